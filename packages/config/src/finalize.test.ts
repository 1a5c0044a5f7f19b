import { describe, expect, it } from 'vitest';
import { t } from './builders.ts';
import { finalize, finalizeChildren } from './finalize.ts';
import { Secret } from './secret.ts';

describe('finalize', () => {
  it('leaves an unset value unset, even for a secret field', () => {
    expect(finalize(t.string().secret().optional().spec, undefined)).toBeUndefined();
    expect(finalize(t.string().spec, 'a')).toBe('a');
  });

  it('wraps secret array items one by one in a frozen copy, leaving the input alone', () => {
    const input = ['a', 'b'];
    const out = finalize(t.array(t.string().secret()).spec, input) as Secret[];
    expect(out).not.toBe(input);
    expect(out.map((s) => s.reveal())).toEqual(['a', 'b']);
    expect(out.every((s) => s instanceof Secret)).toBe(true);
    expect(Object.isFrozen(out)).toBe(true);
    expect(Object.isFrozen(input)).toBe(false);
  });

  it('copies and freezes an untyped array without touching its items', () => {
    const item = { a: 1 };
    const input = [item];
    const out = finalize(t.array(undefined as never).spec, input) as unknown[];
    expect(out).toEqual([{ a: 1 }]);
    expect(out).not.toBe(input);
    expect(out[0]).toBe(item);
    expect(Object.isFrozen(out)).toBe(true);
    expect(Object.isFrozen(input)).toBe(false);
  });

  it('wraps a secret object whole, around a frozen copy', () => {
    const input = { user: 'u' };
    const out = finalize(t.object({ user: t.string() }).secret().spec, input) as Secret<{ user: string }>;
    expect(out).toBeInstanceOf(Secret);
    expect(out.reveal()).toEqual({ user: 'u' });
    expect(out.reveal()).not.toBe(input);
    expect(Object.isFrozen(out.reveal())).toBe(true);
  });
});

describe('finalizeChildren', () => {
  it('finalizes every schema key from own properties only, without freezing the object itself', () => {
    const spec = t.object({ toString: t.string().optional(), tags: t.array(t.string()), key: t.string().secret() }).spec;
    const out = finalizeChildren(spec, { tags: ['a'], key: 'k', extra: 1 });
    expect(Object.keys(out)).toEqual(['toString', 'tags', 'key']);
    expect(out.toString).toBeUndefined();
    expect(Object.isFrozen(out.tags)).toBe(true);
    expect(out.key).toBeInstanceOf(Secret);
    expect(Object.isFrozen(out)).toBe(false);
  });
});
