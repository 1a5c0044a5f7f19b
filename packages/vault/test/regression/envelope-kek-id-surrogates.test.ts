/**
 * Regression: EnvelopeEncryptor stored kek.id as UTF-8 without checking it,
 * and a lone surrogate encodes as U+FFFD: the KEKs 'kms\uD800' and
 * 'kms\uFFFD' wrote the same id, so an envelope of one reached the other's
 * unwrapKey and failed as VAULT_ERR_TAMPERED (a forgery) instead of
 * VAULT_ERR_UNKNOWN_KEY_VERSION (another KEK). Such an id is refused.
 */
import { describe, expect, it } from 'vitest';
import { EnvelopeEncryptor } from '../../src/envelope.ts';
import { KeyringKekProvider } from '../../src/kek.ts';
import { Keyring } from '../../src/keyring.ts';
import { failureOf, failureOfAsync } from '../../src/test-support/helpers.ts';

describe('EnvelopeEncryptor kek.id', () => {
  it('refuses an id that is not well-formed Unicode', () => {
    for (const id of ['kms\uD800', '\uDC00']) {
      expect(failureOf(() => new EnvelopeEncryptor({ kek: new KeyringKekProvider(Keyring.generate(), id) })), JSON.stringify(id)).toBe(
        'VAULT_ERR_INVALID_INPUT: kek.id must be 1-255 bytes of UTF-8',
      );
    }
  });

  it('tells an envelope of another KEK from a forged one', async () => {
    const blob = await new EnvelopeEncryptor({ kek: new KeyringKekProvider(Keyring.generate(), 'kms\u{1F600}') }).encrypt('x');
    const other = new EnvelopeEncryptor({ kek: new KeyringKekProvider(Keyring.generate(), 'kms\uFFFD') });
    expect(await failureOfAsync(() => other.decrypt(blob))).toBe('VAULT_ERR_UNKNOWN_KEY_VERSION: envelope was wrapped by KEK "kms😀"');
  });
});
