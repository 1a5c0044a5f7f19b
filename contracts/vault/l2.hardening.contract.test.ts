/**
 * L2 contract (documented options and errors): input checks and failure
 * behaviour made explicit by the hardening review. Keyring.fromKeys refuses
 * malformed entries with typed errors; Vault refuses keyring options next to a
 * ready keyring; a KEK provider must return bytes; SecretStore methods reject
 * instead of throwing, serialise writes per storage object, treat a repeated
 * delete as a no-op and rewrap every healthy record before reporting the
 * others; FileStorage keeps the write failure as cause and recreates a removed
 * directory; a key file with an empty, repeated or unmatched version list is a
 * key file error. Imports only the public entry. Locked once written: never modified.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EnvelopeEncryptor,
  FileStorage,
  Keyring,
  KeyringKekProvider,
  LocalKekProvider,
  MemoryStorage,
  SecretStore,
  VAULT_ERRORS,
  Vault,
  exportKeyring,
  importKeyring,
  type FileSystem,
  type KekProvider,
  type SecretStorage,
  type VaultLogger,
} from '@rampart/vault';

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'none';
};

const codeOfAsync = async (run: () => Promise<unknown>): Promise<string> => {
  try {
    await run();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'none';
};

const key = (): Uint8Array => new Uint8Array(randomBytes(32));

function recordingLogger(): VaultLogger & { lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { lines, warn: (fields) => lines.push(fields as Record<string, unknown>) };
}

describe('@rampart/vault L2: Keyring.fromKeys checks every entry', () => {
  it('refuses an unknown state, a non-finite createdAt and a malformed list with VAULT_ERR_INVALID_INPUT', () => {
    expect(codeOf(() => Keyring.fromKeys([{ version: 1, key: key() }, { version: 2, key: key(), state: 'Disabled' as never }], { primary: 1 }))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(codeOf(() => Keyring.fromKeys([{ version: 1, key: key(), createdAt: 'yesterday' as never }]))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(codeOf(() => Keyring.fromKeys([null as never]))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(codeOf(() => Keyring.fromKeys(undefined as never))).toBe('VAULT_ERR_INVALID_INPUT');
  });

  it('refuses live material of one repeated byte with VAULT_ERR_INVALID_KEY, and still loads valid entries and exports', async () => {
    expect(codeOf(() => Keyring.fromKeys([{ version: 1, key: new Uint8Array(32) }]))).toBe('VAULT_ERR_INVALID_KEY');
    const ring = Keyring.fromKeys([
      { version: 1, key: key(), state: 'disabled', createdAt: 1_700_000_000_000 },
      { version: 2, state: 'destroyed' },
      { version: 3, key: key() },
    ]);
    expect(ring.versions().map((v) => [v.version, v.state])).toEqual([
      [1, 'disabled'],
      [2, 'destroyed'],
      [3, 'active'],
    ]);
    const kek = new KeyringKekProvider(Keyring.generate({ id: 'master' }));
    const restored = await importKeyring(await exportKeyring(ring, kek), kek);
    expect(restored.toJSON()).toEqual(ring.toJSON());
  });
});

describe('@rampart/vault L2: Vault options', () => {
  it('refuses keyring options next to a ready keyring with VAULT_ERR_INVALID_INPUT', () => {
    const keyring = Keyring.generate();
    expect(codeOf(() => new Vault({ keyring, maxEncryptionsPerKey: 3 }))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(codeOf(() => new Vault({ keyring, algorithm: 'xchacha20-poly1305' }))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(new Vault({ keyring }).keyring).toBe(keyring);
  });
});

describe('@rampart/vault L2: KEK provider results', () => {
  it('refuses a wrapKey that does not return non-empty bytes, and an unwrapKey that does not return bytes, with VAULT_ERR_KEK_FAILED', async () => {
    const local = new KeyringKekProvider(Keyring.generate({ id: 'master' }));
    const text: KekProvider = {
      id: 'kms',
      wrapKey: async (k, c) => Buffer.from(await local.wrapKey(k, c)).toString('base64') as unknown as Uint8Array,
      unwrapKey: (w, c) => local.unwrapKey(w, c),
    };
    expect(await codeOfAsync(() => new EnvelopeEncryptor({ kek: text }).encrypt('invoice'))).toBe('VAULT_ERR_KEK_FAILED');
    const blob = await new EnvelopeEncryptor({ kek: { ...text, wrapKey: (k, c) => local.wrapKey(k, c) } }).encryptBytes('invoice');
    const textBack: KekProvider = { ...text, unwrapKey: async (w, c) => Buffer.from(await local.unwrapKey(w, c)).toString('hex') as unknown as Uint8Array };
    expect(await codeOfAsync(() => new EnvelopeEncryptor({ kek: textBack }).decrypt(blob))).toBe('VAULT_ERR_KEK_FAILED');
  });
});

describe('@rampart/vault L2: SecretStore', () => {
  it('rejects bad input from put, delete and purge instead of throwing', async () => {
    const store = new SecretStore();
    const pending = [store.put('a b', 'k', 'v'), store.put('ns', 'k', 42 as never), store.delete('ns', '..'), store.purge('', 'k')];
    const codes = await Promise.all(pending.map((p) => p.then(() => 'none', (e: unknown) => (e as { code: string }).code)));
    expect(codes).toEqual(['VAULT_ERR_INVALID_SECRET_NAME', 'VAULT_ERR_INVALID_INPUT', 'VAULT_ERR_INVALID_SECRET_NAME', 'VAULT_ERR_INVALID_SECRET_NAME']);
  });

  it('serialises writes to one secret across stores sharing a storage object', async () => {
    const keyring = Keyring.generate();
    const storage = new MemoryStorage();
    const a = new SecretStore({ keyring, storage });
    const b = new SecretStore({ keyring, storage });
    const results = await Promise.all([a.put('ns', 'k', 'A'), b.put('ns', 'k', 'B'), a.put('ns', 'k', 'C'), b.put('ns', 'k', 'D')]);
    expect(results.map((r) => r.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4]);
    expect((await a.history('ns', 'k')).map((h) => h.version)).toEqual([1, 2, 3, 4]);
  });

  it('treats delete of an absent or already-deleted secret as a no-op: false, nothing written', async () => {
    const memory = new MemoryStorage();
    let writes = 0;
    const storage: SecretStorage = {
      get: (k) => memory.get(k),
      put: (k, v) => ((writes += 1), memory.put(k, v)),
      delete: (k) => memory.delete(k),
      list: (p) => memory.list(p),
    };
    const keyring = Keyring.generate({ maxEncryptionsPerKey: 2 });
    const store = new SecretStore({ keyring, storage });
    await store.put('ns', 'k', 'v');
    expect(await store.delete('ns', 'k')).toBe(true);
    expect(await store.delete('ns', 'k')).toBe(false);
    expect(await store.delete('ns', 'never')).toBe(false);
    expect(writes).toBe(2);
    expect(keyring.versions()[0]?.encryptions).toBe(2);
  });

  it('rewrapAll rewraps every healthy record, warns about each bad one, then rejects with VAULT_ERR_REWRAP_INCOMPLETE', async () => {
    const keyring = Keyring.generate();
    const storage = new MemoryStorage();
    const logger = recordingLogger();
    const store = new SecretStore({ keyring, storage, logger });
    for (const name of ['a', 'b', 'c']) await store.put('ns', name, `value-${name}`);
    const sealed = (await storage.get('ns/b')) as Uint8Array;
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] as number) ^ 1;
    await storage.put('ns/b', sealed);
    keyring.rotate();
    const error = (await store.rewrapAll('ns').catch((e: unknown) => e)) as { code: string; message: string; category: string };
    expect([error.code, error.category]).toEqual(['VAULT_ERR_REWRAP_INCOMPLETE', VAULT_ERRORS.VAULT_ERR_REWRAP_INCOMPLETE.category]);
    expect(error.message).toContain('2 rewrapped, 1 not: b');
    expect(logger.lines.map((l) => [l.namespace, l.secretName, l.code])).toEqual([['ns', 'b', 'VAULT_ERR_TAMPERED']]);
    keyring.disable(1);
    expect([(await store.get('ns', 'a'))?.reveal(), (await store.get('ns', 'c'))?.reveal()]).toEqual(['value-a', 'value-c']);
    keyring.enable(1);
    await store.purge('ns', 'b');
    expect(await store.rewrapAll('ns')).toBe(0);
  });
});

describe('@rampart/vault L2: FileStorage and key files', () => {
  it('keeps the write failure as cause when the temp file cannot be removed either, and recreates a removed directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-l2-hardening-'));
    try {
      const enospc = Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      const failing = {
        ...fs,
        rename: () => Promise.reject(enospc),
        unlink: () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })),
      } as unknown as FileSystem;
      const error = (await new FileStorage(dir, { fs: failing }).put('ns/a', Uint8Array.of(1)).catch((e: unknown) => e)) as { code: string; cause: unknown };
      expect([error.code, error.cause]).toEqual(['VAULT_ERR_STORAGE', enospc]);
      const secrets = join(dir, 'secrets');
      const storage = new FileStorage(secrets);
      await storage.put('ns/a', Uint8Array.of(1));
      await rm(secrets, { recursive: true });
      await storage.put('ns/b', Uint8Array.of(2));
      expect([...((await storage.get('ns/b')) as Uint8Array)]).toEqual([2]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports an empty keys list, a repeated version and an unmatched primary as VAULT_ERR_KEY_FILE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-l2-keyfile-'));
    try {
      const entry = (version: number): { version: number; key: string } => ({ version, key: randomBytes(32).toString('base64') });
      const docs = [{ keys: [] }, { keys: [entry(1), entry(1)] }, { primary: 5, keys: [entry(1)] }];
      const codes: string[] = [];
      for (const [i, doc] of docs.entries()) {
        const path = join(dir, `k${i}.json`);
        await writeFile(path, JSON.stringify({ format: 'rampart.vault.keyfile', version: 1, ...doc }));
        await chmod(path, 0o600);
        codes.push(await codeOfAsync(() => LocalKekProvider.fromKeyFile(path)));
      }
      expect(codes).toEqual(['VAULT_ERR_KEY_FILE', 'VAULT_ERR_KEY_FILE', 'VAULT_ERR_KEY_FILE']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
