/**
 * Regression: context values were checked for lone surrogates but keys were
 * not, and UTF-8 encoding turns a lone surrogate into U+FFFD, so
 * `{ '\uD800': 'a' }` and `{ '\uFFFD': 'a' }` gave the same associated data.
 */
import { describe, expect, it } from 'vitest';
import { canonicalContext } from '../../src/context.ts';
import { Vault } from '../../src/vault.ts';
import { failureOf } from '../../src/test-support/helpers.ts';

describe('context keys with lone surrogates', () => {
  it('are refused with VAULT_ERR_INVALID_CONTEXT, like values', () => {
    for (const key of ['\uD800', '\uDC00', 'a\uD83D', '\uDE00b']) {
      expect(failureOf(() => canonicalContext({ [key]: 'a' })), JSON.stringify(key)).toBe(
        `VAULT_ERR_INVALID_CONTEXT: context key ${JSON.stringify(key)} must be a well-formed string`,
      );
    }
    expect(failureOf(() => canonicalContext({ a: '\uD800' }))).toBe(
      'VAULT_ERR_INVALID_CONTEXT: context field "a" must be a well-formed string, a safe integer or a bigint',
    );
  });

  it('cannot make a ciphertext for { "\\uFFFD": "a" } open under { "\\uD800": "a" }', () => {
    const vault = new Vault();
    const token = vault.encrypt('x', { context: { '\uFFFD': 'a' } });
    expect(failureOf(() => vault.decryptString(token, { context: { '\uD800': 'a' } }))).toBe(
      'VAULT_ERR_INVALID_CONTEXT: context key "\\ud800" must be a well-formed string',
    );
    expect(vault.decryptString(token, { context: { '\uFFFD': 'a' } })).toBe('x');
    expect(Buffer.from(canonicalContext({ '\uD83D\uDE00': 'a' })).toString('hex')).toBe('01' + '00000001' + '00000004' + 'f09f9880' + '00000001' + '61');
  });
});
