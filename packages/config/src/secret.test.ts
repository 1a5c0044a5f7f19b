import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from './secret.ts';

describe('Secret', () => {
  const secret = new Secret('hunter2');

  it('reveals the value only through reveal()', () => {
    expect(secret.reveal()).toBe('hunter2');
    expect(new Secret({ a: 1 }).reveal()).toEqual({ a: 1 });
  });

  it('renders as [redacted] through every text conversion', () => {
    expect(String(secret)).toBe('[redacted]');
    // The point of the test: a careless template literal or concatenation must not leak.
    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions
    expect(`${secret}`).toBe('[redacted]');
    // eslint-disable-next-line @typescript-eslint/restrict-plus-operands
    expect(secret + '').toBe('[redacted]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(inspect(secret)).toBe('Secret([redacted])');
    expect(inspect({ nested: [secret] }, { depth: 5 })).toBe('{ nested: [ Secret([redacted]) ] }');
    expect(Object.keys(secret)).toEqual([]);
    expect({ ...secret }).toEqual({});
  });

  it('is frozen', () => {
    expect(Object.isFrozen(secret)).toBe(true);
  });

  it('redacts an explicit toString() call and carries the cross-copy brand on its prototype', () => {
    expect(secret.toString()).toBe('[redacted]');
    expect((Secret.prototype as unknown as Record<symbol, unknown>)[Symbol.for('rampart.secret')]).toBe(true);
  });

  it('recognizes secrets, including a branded one from another copy', () => {
    expect(Secret.isSecret(secret)).toBe(true);
    expect(Secret.isSecret({ [Symbol.for('rampart.secret')]: true })).toBe(true);
    expect(Secret.isSecret({})).toBe(false);
    expect(Secret.isSecret(null)).toBe(false);
    expect(Secret.isSecret('[redacted]')).toBe(false);
  });
});
