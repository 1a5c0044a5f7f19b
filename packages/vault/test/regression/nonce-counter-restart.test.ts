/**
 * Regression (documentation): the README said restarting does not reset a key
 * version's encryption counter. The counter lives in memory; it survives only
 * through a sealed export that carries it. These tests pin both sides of what
 * the README now says.
 */
import { describe, expect, it } from 'vitest';
import { EnvelopeEncryptor } from '../../src/envelope.ts';
import { KeyringKekProvider } from '../../src/kek.ts';
import { Keyring } from '../../src/keyring.ts';
import { exportKeyring, importKeyring } from '../../src/keyring-document.ts';
import { LocalKekProvider } from '../../src/local-kek.ts';
import { Vault } from '../../src/vault.ts';
import { codeOf, counterRandom } from '../../src/test-support/helpers.ts';

const counts = (keyring: Keyring): number[] => keyring.versions().map((v) => v.encryptions);

describe('where the nonce-bound counter survives', () => {
  it('an exported then imported keyring keeps its count, so the bound holds across the restart', async () => {
    const kek = new KeyringKekProvider(Keyring.generate({ id: 'master' }));
    const before = new Vault({ keyring: Keyring.generate({ maxEncryptionsPerKey: 3 }) });
    before.encrypt('a');
    before.encrypt('b');
    const doc = await exportKeyring(before.keyring, kek);
    const after = new Vault({ keyring: await importKeyring(doc, kek, { maxEncryptionsPerKey: 3 }) });
    expect(counts(after.keyring)).toEqual([2]);
    after.encrypt('c');
    expect(codeOf(() => after.encrypt('d'))).toBe('VAULT_ERR_NONCE_BOUND_REACHED');
  });

  it('Keyring.fromKeys continues from `encryptions` when given and starts at 0 when not', () => {
    const key = counterRandom(21)(32);
    expect(counts(Keyring.fromKeys([{ version: 1, key, encryptions: 7 }]))).toEqual([7]);
    expect(counts(Keyring.fromKeys([{ version: 1, key }]))).toEqual([0]);
  });
});

describe('where it does not', () => {
  const secret = { reveal: () => Buffer.from(counterRandom(22)(32)).toString('hex') };

  it('a LocalKekProvider rebuilt from the same secret starts at 0: the bound is per process, not per key', async () => {
    const first = LocalKekProvider.fromSecrets([{ version: 1, secret }], { maxEncryptionsPerKey: 2 });
    const envelope = new EnvelopeEncryptor({ kek: first });
    await envelope.encrypt('a');
    await envelope.encrypt('b');
    expect(counts(first.keyring)).toEqual([2]);
    await expect(envelope.encrypt('c')).rejects.toMatchObject({ code: 'VAULT_ERR_NONCE_BOUND_REACHED' });
    // "restart": the same master key, a fresh count; two more wraps under a key that already did two
    const rebuilt = LocalKekProvider.fromSecrets([{ version: 1, secret }], { maxEncryptionsPerKey: 2 });
    expect(counts(rebuilt.keyring)).toEqual([0]);
    await new EnvelopeEncryptor({ kek: rebuilt }).encrypt('c');
    expect(counts(rebuilt.keyring)).toEqual([1]);
  });

  it('two processes importing one export count separately', async () => {
    const kek = new KeyringKekProvider(Keyring.generate({ id: 'master' }));
    const doc = await exportKeyring(Keyring.generate(), kek);
    const [one, two] = [new Vault({ keyring: await importKeyring(doc, kek) }), new Vault({ keyring: await importKeyring(doc, kek) })];
    one.encrypt('a');
    two.encrypt('b');
    expect([counts(one.keyring), counts(two.keyring)]).toEqual([[1], [1]]);
  });
});
