import { describe, expect, it } from 'vitest';
import { canonicalContext } from './context.ts';
import { codeOf } from './test-support/helpers.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('canonicalContext', () => {
  it('encodes no context as a single kind byte', () => {
    expect(hex(canonicalContext(undefined))).toBe('00');
  });

  it('encodes a record with sorted, length-prefixed fields', () => {
    expect(hex(canonicalContext({ b: 'x', a: 7 }))).toBe('01' + '00000002' + '00000001' + '61' + '00000001' + '37' + '00000001' + '62' + '00000001' + '78');
  });

  it('is independent of key insertion order and of number vs decimal string', () => {
    expect(hex(canonicalContext({ table: 'users', row: 42 }))).toBe(hex(canonicalContext({ row: '42', table: 'users' })));
    expect(hex(canonicalContext({ row: 42n }))).toBe(hex(canonicalContext({ row: 42 })));
  });

  it('never lets field boundaries shift: {a:"bc"} differs from {ab:"c"}', () => {
    expect(hex(canonicalContext({ a: 'bc' }))).not.toBe(hex(canonicalContext({ ab: 'c' })));
  });

  it('keeps raw bytes and records apart with a kind byte', () => {
    expect(hex(canonicalContext(Uint8Array.of(1, 2)))).toBe('020102');
    expect(hex(canonicalContext({}))).toBe('0100000000');
    expect(hex(canonicalContext(Object.create(null) as Record<string, string>))).toBe('0100000000');
  });

  it('rejects values and shapes that have no canonical form', () => {
    const bad: unknown[] = [{ a: '\uD800' }, { a: 1.5 }, { a: Number.NaN }, { a: 2 ** 53 }, { a: null }, { a: { nested: 1 } }, { a: true }, ['x'], new Date(0), 'str', null];
    for (const context of bad) {
      expect(codeOf(() => canonicalContext(context as Record<string, string>)), String(context)).toBe('VAULT_ERR_INVALID_CONTEXT');
    }
  });
});
