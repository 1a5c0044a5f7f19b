/**
 * L2 contract (documented options and errors): behaviour made explicit by the
 * second security review. A context field the canonical encoding cannot carry
 * (symbol key, non-enumerable property) is refused instead of dropped; a
 * keyring id must be a well-formed string, so every export imports again;
 * LocalKekProvider.fromSecrets refuses a non-list with a typed error and
 * fromKeyFile keeps the file's primary when options.primary is undefined; a
 * KEK id must be well-formed Unicode; FileStorage.delete (so SecretStore.purge)
 * also removes the temp files crashed writes of that record left; put() wipes
 * its copy of the value when it fails before sealing. Imports only the public
 * entry. Locked once written: never modified.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvelopeEncryptor, FileStorage, Keyring, KeyringKekProvider, LocalKekProvider, MemoryStorage, SecretStore, Vault, canonicalContext, exportKeyring, importKeyring } from '@rampart/vault';

/** The code a call throws or rejects with, sync or async alike. */
const codeOf = async (run: () => unknown): Promise<string> => {
  try {
    await run();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'none';
};

const recordFile = (key: string): string => `${Buffer.from(key).toString('base64url')}.rec`;

describe('@rampart/vault L2: context fields', () => {
  it('refuses symbol keys and non-enumerable properties with VAULT_ERR_INVALID_CONTEXT instead of leaving them out of the associated data', async () => {
    const vault = new Vault();
    const tenant = Symbol.for('tenant');
    expect(await codeOf(() => vault.encrypt('x', { context: { row: 1, [tenant]: 'a' } as never }))).toBe('VAULT_ERR_INVALID_CONTEXT');
    const hidden: Record<string, string> = { row: '1' };
    Object.defineProperty(hidden, 'tenant', { value: 'a', enumerable: false });
    expect(await codeOf(() => canonicalContext(hidden))).toBe('VAULT_ERR_INVALID_CONTEXT');
    const token = vault.encrypt('x', { context: { row: 1 } });
    expect(await codeOf(() => vault.decrypt(token, { context: { row: 1, [tenant]: 'b' } as never }))).toBe('VAULT_ERR_INVALID_CONTEXT');
    expect(vault.decryptString(token, { context: { row: '1' } })).toBe('x');
  });
});

describe('@rampart/vault L2: keyring ids', () => {
  it('refuses an id that is not a well-formed string with VAULT_ERR_INVALID_INPUT', async () => {
    expect(await codeOf(() => Keyring.generate({ id: 42 as never }))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(await codeOf(() => Keyring.generate({ id: 'a\uD800' }))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(await codeOf(() => Keyring.fromKeys([{ version: 1, key: randomBytes(32) }], { id: 7 as never }))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(await codeOf(() => new Vault({ id: 7 as never }))).toBe('VAULT_ERR_INVALID_INPUT');
  });

  it('an accepted id survives exportKeyring and importKeyring', async () => {
    const kek = new KeyringKekProvider(Keyring.generate({ id: 'kek' }));
    const ring = Keyring.generate({ id: 'tenant-42' });
    const back = await importKeyring(JSON.parse(JSON.stringify(await exportKeyring(ring, kek))) as unknown, kek);
    expect(back.id).toBe('tenant-42');
  });
});

describe('@rampart/vault L2: local KEK sources', () => {
  it('fromSecrets refuses anything but a list with VAULT_ERR_INVALID_INPUT', async () => {
    const secret = { reveal: () => randomBytes(32).toString('hex') };
    expect(await codeOf(() => LocalKekProvider.fromSecrets(undefined as never))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(await codeOf(() => LocalKekProvider.fromSecrets({ version: 1, secret } as never))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(await codeOf(() => LocalKekProvider.fromSecrets(secret.reveal() as never))).toBe('VAULT_ERR_INVALID_INPUT');
  });

  it('fromKeyFile keeps the file primary when options.primary is undefined', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-l2-keyfile-'));
    try {
      const path = join(dir, 'master.json');
      const keys = [1, 2].map((version) => ({ version, key: randomBytes(32).toString('base64url') }));
      await writeFile(path, JSON.stringify({ format: 'rampart.vault.keyfile', version: 1, primary: 1, keys }), { mode: 0o600 });
      expect((await LocalKekProvider.fromKeyFile(path, { primary: undefined })).keyring.primaryVersion).toBe(1);
      expect((await LocalKekProvider.fromKeyFile(path, { primary: 2 })).keyring.primaryVersion).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('@rampart/vault L2: KEK ids', () => {
  it('EnvelopeEncryptor refuses a kek.id that is not well-formed Unicode with VAULT_ERR_INVALID_INPUT', async () => {
    expect(await codeOf(() => new EnvelopeEncryptor({ kek: new KeyringKekProvider(Keyring.generate(), 'kms\uD800') }))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(await codeOf(() => new EnvelopeEncryptor({ kek: new KeyringKekProvider(Keyring.generate(), 'kms\uFFFD') }))).toBe('none');
  });
});

describe('@rampart/vault L2: FileStorage leftover temp files', () => {
  it('purge() removes the temp copies crashed writes of the record left, and only those', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-l2-purge-'));
    try {
      const store = new SecretStore({ storage: new FileStorage(dir) });
      await store.put('payments', 'stripe-key', 'sk_live_1');
      await store.put('payments', 'other', 'sk_live_2');
      const file = recordFile('payments/stripe-key');
      // What a crash between a write's fsync and its rename leaves: a full sealed copy of the record.
      await writeFile(join(dir, `${file}.0123456789ab.tmp`), await readFile(join(dir, file)));
      await writeFile(join(dir, `${recordFile('payments/other')}.0123456789ab.tmp`), 'x');
      expect(await store.purge('payments', 'stripe-key')).toBe(true);
      expect((await readdir(dir)).sort()).toEqual([recordFile('payments/other'), `${recordFile('payments/other')}.0123456789ab.tmp`].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('delete() resolves false when only a temp file was left, and removes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-l2-purge-'));
    try {
      const long = `${'n'.repeat(128)}/${'n'.repeat(128)}`;
      const hashed = `${createHash('sha256').update(long).digest('hex')}.hrec`;
      await writeFile(join(dir, `${hashed}.abcdefabcdef.tmp`), 'x');
      expect(await new FileStorage(dir).delete(long)).toBe(false);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('@rampart/vault L2: SecretStore.put wipes its copy', () => {
  it('when the current record cannot be opened', async () => {
    const Real = globalThis.Uint8Array;
    const made: Uint8Array[] = [];
    const Watched = class extends Real {
      constructor(...args: unknown[]) {
        super(...(args as []));
        made.push(this);
      }
    };
    const storage = new MemoryStorage();
    await storage.put('payments/stripe', Real.of(1, 2, 3));
    const store = new SecretStore({ storage });
    const value = new Watched(Buffer.from('sk_live_SECRET'));
    made.length = 0;
    globalThis.Uint8Array = Watched;
    let code: string;
    try {
      code = await codeOf(() => store.put('payments', 'stripe', value));
    } finally {
      globalThis.Uint8Array = Real;
    }
    expect(code).toBe('VAULT_ERR_TAMPERED');
    expect(made.filter((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).includes('sk_live_SECRET'))).toEqual([]);
  });
});
