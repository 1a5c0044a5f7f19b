/**
 * Regression: LocalKekProvider.fromSecrets called `sources.entries()` without
 * checking `sources`, so passing one secret, a key string or nothing (easy
 * from JS or a loosely typed config) crashed with a TypeError instead of the
 * typed error Keyring.fromKeys gives for the same mistake.
 */
import { describe, expect, it } from 'vitest';
import { LocalKekProvider } from '../../src/local-kek.ts';
import { failureOf } from '../../src/test-support/helpers.ts';

describe('LocalKekProvider.fromSecrets with something other than a list', () => {
  it('is VAULT_ERR_INVALID_INPUT, not a TypeError, and never echoes the value', () => {
    const secret = { reveal: () => 'q'.repeat(43) };
    for (const sources of [undefined, null, 'q'.repeat(43), secret, { version: 1, secret }, 7]) {
      const failure = failureOf(() => LocalKekProvider.fromSecrets(sources as never));
      expect(failure, typeof sources).toBe('VAULT_ERR_INVALID_INPUT: sources must be an array of { version, secret } entries');
    }
  });
});
