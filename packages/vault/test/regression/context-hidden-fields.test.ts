/**
 * Regression: canonicalContext read fields with Object.keys, which skips
 * symbol keys and non-enumerable properties. Such a field was silently left
 * out of the associated data, so `{ row: 1, [tenant]: 'a' }` and
 * `{ row: 1, [tenant]: 'b' }` gave the same bytes and a value sealed for one
 * tenant opened for the other. A field the encoding cannot carry is refused.
 */
import { describe, expect, it } from 'vitest';
import { canonicalContext } from '../../src/context.ts';
import { Vault } from '../../src/vault.ts';
import { failureOf } from '../../src/test-support/helpers.ts';

const REFUSED = 'VAULT_ERR_INVALID_CONTEXT: context fields must be enumerable string keys';

function hidden(value: string): Record<string, string> {
  const context: Record<string, string> = { row: '1' };
  Object.defineProperty(context, 'tenant', { value, enumerable: false });
  return context;
}

describe('context fields the canonical encoding cannot carry', () => {
  it('refuses symbol keys and non-enumerable properties with VAULT_ERR_INVALID_CONTEXT', () => {
    expect(failureOf(() => canonicalContext({ row: 1, [Symbol.for('tenant')]: 'a' }))).toBe(REFUSED);
    expect(failureOf(() => canonicalContext({ [Symbol('only')]: 1 }))).toBe(REFUSED);
    expect(failureOf(() => canonicalContext(hidden('a')))).toBe(REFUSED);
    // A null-prototype record is still a plain record.
    const bare = Object.assign(Object.create(null) as Record<string, string>, { row: '1' });
    expect(Buffer.from(canonicalContext(bare)).equals(Buffer.from(canonicalContext({ row: 1 })))).toBe(true);
  });

  it('no longer opens a value sealed for one tenant under another', () => {
    const vault = new Vault();
    const tenant = Symbol.for('tenant');
    expect(failureOf(() => vault.encrypt('secret', { context: { row: 1, [tenant]: 'a' } as never }))).toBe(REFUSED);
    expect(failureOf(() => vault.encrypt('secret', { context: hidden('a') }))).toBe(REFUSED);
    const token = vault.encrypt('secret', { context: { row: 1 } });
    expect(failureOf(() => vault.decrypt(token, { context: { row: 1, [tenant]: 'b' } as never }))).toBe(REFUSED);
  });
});
