/**
 * Regression: Keyring options accepted any `id`. A number (say, a tenant id
 * read from config) made exportKeyring write a document whose `id` importKeyring
 * refuses (VAULT_ERR_KEYRING_DOCUMENT): the backup of every key was unusable,
 * and nothing said so until it was needed. An id with a lone surrogate was
 * only refused at export time. Both are refused when the keyring is made.
 */
import { describe, expect, it } from 'vitest';
import { KeyringKekProvider } from '../../src/kek.ts';
import { Keyring } from '../../src/keyring.ts';
import { exportKeyring, importKeyring } from '../../src/keyring-document.ts';
import { Vault } from '../../src/vault.ts';
import { failureOf, counterRandom } from '../../src/test-support/helpers.ts';

const REFUSED = 'VAULT_ERR_INVALID_INPUT: the keyring id must be a well-formed string';

describe('keyring ids', () => {
  it('refuses an id that is not a well-formed string, in generate, fromKeys and new Vault', () => {
    for (const [shown, id] of [['42', 42], ['42n', 42n], ['{}', {}], ['lone high', '\uD800'], ['lone low', 'tenant-\uDC00']] as const) {
      expect(failureOf(() => Keyring.generate({ id: id as never })), shown).toBe(REFUSED);
      expect(failureOf(() => Keyring.fromKeys([{ version: 1, key: counterRandom()(32) }], { id: id as never })), shown).toBe(REFUSED);
      expect(failureOf(() => new Vault({ id: id as never })), shown).toBe(REFUSED);
    }
  });

  it('every id it accepts survives an export and import', async () => {
    const kek = new KeyringKekProvider(Keyring.generate({ id: 'kek' }));
    for (const id of ['', 'tenant-42', '\u{1F600}', 'x'.repeat(300)]) {
      const ring = Keyring.generate({ id });
      const back = await importKeyring(JSON.parse(JSON.stringify(await exportKeyring(ring, kek))) as unknown, kek);
      expect(back.id).toBe(id);
    }
    expect(Keyring.generate().id).toBe('default');
  });
});
