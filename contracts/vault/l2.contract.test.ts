/**
 * L2 contract (documented options): context binding, keyring rotation and
 * states, rewrap, envelope encryption, sealed keyring export and the secret
 * store. Imports only the public entry. Locked once written: never modified.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EnvelopeEncryptor,
  FileStorage,
  Keyring,
  KeyringKekProvider,
  LocalKekProvider,
  SecretStore,
  Vault,
  exportKeyring,
  importKeyring,
} from '@rampart/vault';

const context = { table: 'users', column: 'ssn', row: 42 };
const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'none';
};

describe('@rampart/vault L2: context and algorithms', () => {
  it('binds a ciphertext to its context', () => {
    const vault = new Vault();
    const token = vault.encrypt('123-45-6789', { context });
    expect(vault.decryptString(token, { context: { row: '42', column: 'ssn', table: 'users' } })).toBe('123-45-6789');
    expect(code(() => vault.decrypt(token, { context: { ...context, row: 43 } }))).toBe('VAULT_ERR_TAMPERED');
  });

  it('supports XChaCha20-Poly1305', () => {
    const vault = new Vault({ algorithm: 'xchacha20-poly1305' });
    expect(vault.decryptString(vault.encrypt('x', { context }), { context })).toBe('x');
  });

  it('stops at maxEncryptionsPerKey until rotated', () => {
    const vault = new Vault({ maxEncryptionsPerKey: 1 });
    vault.encrypt('a');
    expect(code(() => vault.encrypt('b'))).toBe('VAULT_ERR_NONCE_BOUND_REACHED');
    vault.keyring.rotate();
    expect(vault.decryptString(vault.encrypt('b'))).toBe('b');
  });
});

describe('@rampart/vault L2: keyring', () => {
  it('rotates, rewraps, retires and destroys versions', () => {
    const vault = new Vault({ keyring: Keyring.generate({ id: 'app' }) });
    const old = vault.encrypt('payload', { context });
    expect(vault.keyring.rotate()).toBe(2);
    expect(vault.decryptString(old, { context })).toBe('payload');
    const moved = vault.rewrap(old, { context });
    expect(vault.keyVersionOf(moved)).toBe(2);
    expect(vault.rewrap(moved, { context })).toBe(moved);
    vault.keyring.setMinDecryptionVersion(2);
    expect(code(() => vault.decrypt(old, { context }))).toBe('VAULT_ERR_KEY_VERSION_RETIRED');
    vault.keyring.setMinDecryptionVersion(1);
    vault.keyring.disable(1);
    expect(code(() => vault.decrypt(old, { context }))).toBe('VAULT_ERR_KEY_DISABLED');
    vault.keyring.enable(1);
    vault.keyring.destroy(1);
    expect(code(() => vault.decrypt(old, { context }))).toBe('VAULT_ERR_KEY_DESTROYED');
    expect(code(() => vault.keyring.destroy(2))).toBe('VAULT_ERR_KEY_STATE');
    expect(vault.keyring.versions().map((v) => [v.version, v.state])).toEqual([
      [1, 'destroyed'],
      [2, 'active'],
    ]);
    expect(vault.decryptString(moved, { context })).toBe('payload');
  });

  it('rolls back with setPrimary', () => {
    const vault = new Vault();
    vault.keyring.rotate();
    vault.keyring.setPrimary(1);
    expect(vault.keyVersionOf(vault.encrypt('x'))).toBe(1);
  });

  it('persists a keyring as a sealed document', async () => {
    const kek = new KeyringKekProvider(Keyring.generate({ id: 'master' }));
    const vault = new Vault({ keyring: Keyring.generate({ id: 'app' }) });
    const token = vault.encrypt('kept');
    const doc = await exportKeyring(vault.keyring, kek);
    expect(JSON.stringify(doc)).not.toContain('kept');
    const restored = new Vault({ keyring: await importKeyring(JSON.parse(JSON.stringify(doc)), kek) });
    expect(restored.decryptString(token)).toBe('kept');
  });
});

describe('@rampart/vault L2: envelope encryption', () => {
  it('encrypts with per-object data keys under a KEK from a config secret', async () => {
    const secret = { reveal: () => Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0', 'hex') };
    const kek = LocalKekProvider.fromSecrets([{ version: 1, secret }]);
    const envelope = new EnvelopeEncryptor({ kek });
    const blob = await envelope.encrypt('invoice', { context: { object: 'inv-1' } });
    expect(await envelope.decryptString(blob, { context: { object: 'inv-1' } })).toBe('invoice');
    kek.keyring.rotate();
    const rewrapped = await envelope.rewrap(blob, { context: { object: 'inv-1' } });
    kek.keyring.disable(1);
    expect(await envelope.decryptString(rewrapped, { context: { object: 'inv-1' } })).toBe('invoice');
    await expect(envelope.decrypt(blob, { context: { object: 'inv-1' } })).rejects.toMatchObject({ code: 'VAULT_ERR_KEY_DISABLED' });
  });

  it('refuses a literal master key', () => {
    expect(code(() => LocalKekProvider.fromSecrets([{ version: 1, secret: 'literal' as never }]))).toBe('VAULT_ERR_INVALID_KEY');
  });
});

describe('@rampart/vault L2: secret store', () => {
  it('stores versioned secrets with history, list, delete and purge (memory)', async () => {
    const store = new SecretStore();
    expect(await store.put('payments', 'stripe', 'sk_1')).toEqual({ namespace: 'payments', name: 'stripe', version: 1 });
    await store.put('payments', 'stripe', 'sk_2');
    expect((await store.get('payments', 'stripe'))?.reveal()).toBe('sk_2');
    expect((await store.get('payments', 'stripe', { version: 1 }))?.reveal()).toBe('sk_1');
    expect(await store.list('payments')).toEqual(['stripe']);
    expect((await store.history('payments', 'stripe')).map((h) => h.version)).toEqual([1, 2]);
    expect(await store.verify('payments', 'stripe', 'sk_2')).toBe(true);
    expect(await store.delete('payments', 'stripe')).toBe(true);
    expect(await store.get('payments', 'stripe')).toBeUndefined();
    expect(await store.list('payments')).toEqual([]);
    expect(await store.purge('payments', 'stripe')).toBe(true);
    expect(await store.history('payments', 'stripe')).toEqual([]);
  });

  it('persists secrets in files that survive a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-l2-'));
    try {
      const keyring = Keyring.generate();
      await new SecretStore({ keyring, storage: new FileStorage(dir) }).put('db', 'password', 'pg');
      const reopened = new SecretStore({ keyring, storage: new FileStorage(dir) });
      expect((await reopened.get('db', 'password'))?.reveal()).toBe('pg');
      keyring.rotate();
      expect(await reopened.rewrapAll('db')).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
