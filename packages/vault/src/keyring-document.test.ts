import { describe, expect, it } from 'vitest';
import { EnvelopeEncryptor } from './envelope.ts';
import { KeyringKekProvider } from './kek.ts';
import { Keyring } from './keyring.ts';
import { exportKeyring, importKeyring } from './keyring-document.ts';
import { Vault } from './vault.ts';
import { codeOf, codeOfAsync } from './test-support/helpers.ts';

function kek(): KeyringKekProvider {
  return new KeyringKekProvider(Keyring.generate({ id: 'master' }));
}

describe('sealed keyring document', () => {
  it('round-trips versions, states, counters and minDecryptionVersion; old data still decrypts', async () => {
    const master = kek();
    const vault = new Vault({ id: 'app' });
    const v1 = vault.encrypt('one');
    vault.keyring.rotate();
    const v2 = vault.encrypt('two');
    vault.keyring.rotate();
    vault.keyring.rotate();
    const v4 = vault.encrypt('four');
    vault.keyring.disable(3);
    vault.keyring.destroy(2);
    const doc = await exportKeyring(vault.keyring, master);
    expect(Object.keys(doc)).toEqual(['format', 'version', 'id', 'kek', 'sealed']);
    expect([doc.format, doc.version, doc.id, doc.kek]).toEqual(['rampart.vault.keyring', 1, 'app', 'keyring:master']);
    const restored = new Vault({ keyring: await importKeyring(JSON.parse(JSON.stringify(doc)), master) });
    expect(restored.keyring.toJSON()).toEqual(vault.keyring.toJSON());
    expect(restored.decryptString(v1)).toBe('one');
    expect(restored.decryptString(v4)).toBe('four');
    expect(codeOf(() => restored.decrypt(v2))).toBe('VAULT_ERR_KEY_DESTROYED');
  });

  it('seals u32 length | metadata JSON | live material under the documented context', async () => {
    const master = kek();
    const ring = Keyring.fromKeys([{ version: 1, key: new Uint8Array(32).fill(1).fill(2, 31) }, { version: 2, state: 'destroyed' }, { version: 3, key: new Uint8Array(32).fill(3).fill(4, 31) }], { id: 'app' });
    const doc = await exportKeyring(ring, master);
    const payload = await new EnvelopeEncryptor({ kek: master }).decrypt(doc.sealed, { context: { purpose: 'rampart.vault.keyring', id: 'app' } });
    const jsonLength = payload.readUInt32BE(0);
    const meta = JSON.parse(payload.subarray(4, 4 + jsonLength).toString()) as { primary: number; min: number; keys: { version: number; state: string }[] };
    expect([meta.primary, meta.min, meta.keys.map((k) => [k.version, k.state])]).toEqual([3, 1, [[1, 'decrypt-only'], [2, 'destroyed'], [3, 'active']]]);
    expect(payload.length).toBe(4 + jsonLength + 64);
    expect([payload[4 + jsonLength], payload[4 + jsonLength + 31], payload[4 + jsonLength + 32], payload.at(-1)]).toEqual([1, 2, 3, 4]);
  });

  it("keeps the keyring's algorithm for new versions: the primary key's, unless import names one", async () => {
    // Before the fix, rotate() on an imported XChaCha20 keyring made AES-256-GCM keys (and brought back their 2^32 bound).
    const master = kek();
    const doc = await exportKeyring(Keyring.generate({ id: 'app', algorithm: 'xchacha20-poly1305' }), master);
    const restored = await importKeyring(doc, master);
    restored.rotate();
    expect(restored.versions().map((v) => v.algorithm)).toEqual(['xchacha20-poly1305', 'xchacha20-poly1305']);
    const chosen = await importKeyring(doc, master, { algorithm: 'aes-256-gcm' });
    chosen.rotate();
    expect(chosen.versions().map((v) => v.algorithm)).toEqual(['xchacha20-poly1305', 'aes-256-gcm']);
  });

  it('refuses a sealed document that names a primary version it does not hold', async () => {
    const master = kek();
    const json = new TextEncoder().encode(JSON.stringify({ primary: 2, min: 1, keys: [{ version: 1, algorithm: 'aes-256-gcm', state: 'decrypt-only', createdAt: 0, encryptions: 0 }] }));
    const payload = new Uint8Array(4 + json.length + 32);
    new DataView(payload.buffer).setUint32(0, json.length);
    payload.set(json, 4);
    // usable material (not one repeated byte), so the missing primary is the only fault
    payload.fill(7, 4 + json.length).fill(8, -1);
    const sealed = await new EnvelopeEncryptor({ kek: master }).encrypt(payload, { context: { purpose: 'rampart.vault.keyring', id: 'odd' } });
    const doc = { format: 'rampart.vault.keyring', version: 1, id: 'odd', kek: master.id, sealed };
    expect(await codeOfAsync(() => importKeyring(doc, master))).toBe('VAULT_ERR_KEY_STATE');
  });

  it('keeps the nonce counter across export and import', async () => {
    const master = kek();
    const vault = new Vault({ maxEncryptionsPerKey: 2 });
    vault.encrypt('a');
    vault.encrypt('b');
    const restored = new Vault({ keyring: await importKeyring(await exportKeyring(vault.keyring, master), master, { maxEncryptionsPerKey: 2 }) });
    expect(codeOf(() => restored.encrypt('c'))).toBe('VAULT_ERR_NONCE_BOUND_REACHED');
  });

  it('refuses an edited document or another keyring id (metadata is authenticated too)', async () => {
    const master = kek();
    const doc = await exportKeyring(Keyring.generate({ id: 'app' }), master);
    expect(await codeOfAsync(() => importKeyring({ ...doc, id: 'other' }, master))).toBe('VAULT_ERR_TAMPERED');
    const flipped = doc.sealed.slice(0, 40) + (doc.sealed[40] === 'A' ? 'B' : 'A') + doc.sealed.slice(41);
    expect(await codeOfAsync(() => importKeyring({ ...doc, sealed: flipped }, master))).toBe('VAULT_ERR_TAMPERED');
    expect(await codeOfAsync(() => importKeyring(doc, kek()))).toBe('VAULT_ERR_TAMPERED');
  });

  it('rejects documents of another shape as VAULT_ERR_KEYRING_DOCUMENT', async () => {
    const master = kek();
    const doc = await exportKeyring(Keyring.generate(), master);
    for (const bad of [null, {}, { ...doc, version: 2 }, { ...doc, format: 'x' }, { ...doc, sealed: 42 }, { ...doc, id: 1 }, { ...doc, sealed: 'AQAA' }]) {
      expect(await codeOfAsync(() => importKeyring(bad, master)), JSON.stringify(bad)).toBe('VAULT_ERR_KEYRING_DOCUMENT');
    }
  });
});
