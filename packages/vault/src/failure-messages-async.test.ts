/**
 * Every asynchronous failure path (envelopes, KEK providers, key files, sealed
 * keyrings, the secret store and its file storage), pinned by exact code AND detail.
 */
import * as fs from 'node:fs/promises';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeEncryptor } from './envelope.ts';
import { FileStorage, type FileSystem } from './file-storage.ts';
import { KeyringKekProvider, type KekProvider } from './kek.ts';
import { Keyring } from './keyring.ts';
import { exportKeyring, importKeyring } from './keyring-document.ts';
import { LocalKekProvider } from './local-kek.ts';
import { SecretStore } from './secret-store.ts';
import { codeOfAsync, counterRandom, failureOf, failureOfAsync } from './test-support/helpers.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vault-msg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const down: KekProvider = {
  id: 'kms',
  wrapKey: () => Promise.reject(new Error('ECONNREFUSED')),
  unwrapKey: () => Promise.reject(new Error('ECONNREFUSED')),
};

/** node:fs/promises with `op` rejecting with `code` (for paths `when` accepts). */
function failing(op: keyof FileSystem, code: string, when: (path: string) => boolean = () => true): FileSystem {
  const real = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const error = Object.assign(new Error(code), { code });
  return { ...fs, [op]: (...args: unknown[]) => (when(String(args[0])) ? Promise.reject(error) : real[op]?.(...args)) };
}

describe('envelope failures', () => {
  it('names the provider and operation that failed, keeping the provider error as cause', async () => {
    expect(await failureOfAsync(() => new EnvelopeEncryptor({ kek: down }).encrypt('x'))).toBe('VAULT_ERR_KEK_FAILED: wrapKey on "kms"');
    const kek = new KeyringKekProvider(Keyring.generate(), 'kms');
    const sealed = await new EnvelopeEncryptor({ kek }).encryptBytes('x');
    const failing = new EnvelopeEncryptor({ kek: { ...down, wrapKey: kek.wrapKey.bind(kek) } });
    const error = await failing.decrypt(sealed).catch((e: unknown) => e);
    expect(failureOf(() => { throw error; })).toBe('VAULT_ERR_KEK_FAILED: unwrapKey on "kms"');
    expect((error as Error).cause).toEqual(new Error('ECONNREFUSED'));
  });

  it('explains refused ids, oversized wrapped keys, foreign formats and foreign KEKs', async () => {
    expect(failureOf(() => new EnvelopeEncryptor({ kek: { ...down, id: '' } }))).toBe('VAULT_ERR_INVALID_INPUT: kek.id must be 1-255 bytes of UTF-8');
    const huge = { ...down, wrapKey: () => Promise.resolve(new Uint8Array(0x10000)) };
    expect(await failureOfAsync(() => new EnvelopeEncryptor({ kek: huge }).encrypt('x'))).toBe(
      'VAULT_ERR_KEK_FAILED: wrapped data key longer than 65535 bytes',
    );
    const envelope = new EnvelopeEncryptor({ kek: new KeyringKekProvider(Keyring.generate(), 'kms') });
    const bytes = await envelope.encryptBytes('x');
    expect(await failureOfAsync(() => envelope.decrypt(Uint8Array.of(1, 0)))).toBe('VAULT_ERR_MALFORMED_CIPHERTEXT: not an envelope');
    expect(await failureOfAsync(() => envelope.decrypt(bytes.subarray(0, 1)))).toBe('VAULT_ERR_TAMPERED: envelope is truncated');
    const alg = bytes.slice();
    alg[2 + 3 + 2 + 66] = 9;
    expect(await failureOfAsync(() => envelope.decrypt(alg))).toBe('VAULT_ERR_MALFORMED_CIPHERTEXT: unknown algorithm id');
    const other = new EnvelopeEncryptor({ kek: new KeyringKekProvider(Keyring.generate(), 'other') });
    expect(await failureOfAsync(() => other.decrypt(bytes))).toBe('VAULT_ERR_UNKNOWN_KEY_VERSION: envelope was wrapped by KEK "kms"');
    expect(await failureOfAsync(() => envelope.decrypt(42 as never))).toBe('VAULT_ERR_INVALID_INPUT: envelope must be a string or a Uint8Array');
  });
});

describe('local KEK failures', () => {
  it('explains refused secrets', () => {
    expect(failureOf(() => LocalKekProvider.fromSecrets([{ version: 1, secret: 'abc' as never }]))).toBe(
      'VAULT_ERR_INVALID_KEY: key 0: pass a config secret with reveal() or use a key file, never a literal',
    );
    const good = { version: 1, secret: { reveal: () => Buffer.from(counterRandom(1)(32)).toString('hex') } };
    expect(failureOf(() => LocalKekProvider.fromSecrets([good, { version: 2, secret: { reveal: () => 42 as never } }]))).toBe(
      'VAULT_ERR_INVALID_KEY: key 1: reveal() must return a string or bytes',
    );
  });

  it('explains refused key files', async () => {
    const file = async (name: string, content: string, mode = 0o600): Promise<string> => {
      const path = join(dir, name);
      await writeFile(path, content);
      await chmod(path, mode);
      return path;
    };
    const open = await file('open.key', 'x', 0o640);
    expect(await failureOfAsync(() => LocalKekProvider.fromKeyFile(open))).toBe(`VAULT_ERR_KEY_FILE: ${open} is accessible by group or others; chmod 600 it`);
    const missing = join(dir, 'missing.key');
    expect(await failureOfAsync(() => LocalKekProvider.fromKeyFile(missing))).toBe(`VAULT_ERR_KEY_FILE: cannot read ${missing}`);
    expect(await LocalKekProvider.fromKeyFile(missing).catch((e: unknown) => (e as Error).cause)).toMatchObject({ code: 'ENOENT' });
    const bad = await file('bad.json', '{ nope');
    expect(await failureOfAsync(() => LocalKekProvider.fromKeyFile(bad))).toBe('VAULT_ERR_KEY_FILE: not valid JSON');
    expect(await LocalKekProvider.fromKeyFile(bad).catch((e: unknown) => (e as Error).cause)).toBeInstanceOf(SyntaxError);
    const wrong = JSON.stringify({ format: 'rampart.vault.keyfile', version: 2, keys: [] });
    expect(await failureOfAsync(async () => LocalKekProvider.fromKeyFile(await file('wrong.json', wrong)))).toBe(
      'VAULT_ERR_KEY_FILE: expected { "format": "rampart.vault.keyfile", "version": 1, "keys": [...] }',
    );
  });
});

describe('sealed keyring document failures', () => {
  it('explains a document of another shape and a sealed field that is not an envelope', async () => {
    const kek = new KeyringKekProvider(Keyring.generate());
    const doc = await exportKeyring(Keyring.generate(), kek);
    expect(await failureOfAsync(() => importKeyring({ ...doc, version: 2 }, kek))).toBe(
      'VAULT_ERR_KEYRING_DOCUMENT: expected { format: "rampart.vault.keyring", version: 1, id, kek, sealed }',
    );
    expect(await failureOfAsync(() => importKeyring({ ...doc, sealed: 'AQAA' }, kek))).toBe('VAULT_ERR_KEYRING_DOCUMENT: sealed field is not an envelope');
    const error = await importKeyring({ ...doc, sealed: 'AQAA' }, kek).catch((e: unknown) => e);
    expect((error as Error).cause).toMatchObject({ code: 'VAULT_ERR_MALFORMED_CIPHERTEXT' });
  });
});

describe('secret store failures', () => {
  it('names the refused namespace or name, and the bad option', async () => {
    const store = new SecretStore();
    expect(await failureOfAsync(() => store.put('a b', 'k', 'v'))).toBe('VAULT_ERR_INVALID_SECRET_NAME: namespace "a b"');
    expect(await failureOfAsync(() => store.get('ns', '..'))).toBe('VAULT_ERR_INVALID_SECRET_NAME: name ".."');
    const byName: [string, (ns: string, name: string) => Promise<unknown>][] = [
      ['put', (ns, name) => store.put(ns, name, 'v')],
      ['get', (ns, name) => store.get(ns, name)],
      ['history', (ns, name) => store.history(ns, name)],
      ['delete', (ns, name) => store.delete(ns, name)],
      ['purge', (ns, name) => store.purge(ns, name)],
    ];
    for (const [method, run] of byName) {
      expect(await failureOfAsync(() => run('a b', 'k')), method).toBe('VAULT_ERR_INVALID_SECRET_NAME: namespace "a b"');
      expect(await failureOfAsync(() => run('ns', 'a b')), method).toBe('VAULT_ERR_INVALID_SECRET_NAME: name "a b"');
    }
    expect(await failureOfAsync(() => store.list('a b'))).toBe('VAULT_ERR_INVALID_SECRET_NAME: namespace "a b"');
    expect(await failureOfAsync(() => store.rewrapAll('a b'))).toBe('VAULT_ERR_INVALID_SECRET_NAME: namespace "a b"');
    expect(await failureOfAsync(() => store.put('ns', 'k', 7 as never))).toBe('VAULT_ERR_INVALID_INPUT: secret value must be a string or a Uint8Array');
    expect(await failureOfAsync(() => store.verify('ns', 'k', 7 as never))).toBe('VAULT_ERR_INVALID_INPUT: candidate must be a string or a Uint8Array');
    expect(failureOf(() => new SecretStore({ maxVersions: 1.5 }))).toBe('VAULT_ERR_INVALID_INPUT: maxVersions must be a positive integer');
  });
});

describe('file storage failures', () => {
  it('names the directory and the operation', async () => {
    const root = join(dir, 'store');
    await new FileStorage(root).put('ns/a', Uint8Array.of(1));
    expect(await failureOfAsync(() => new FileStorage(root, { fs: failing('readFile', 'EACCES') }).get('ns/a'))).toBe(
      `VAULT_ERR_STORAGE: cannot read record in ${root}`,
    );
    expect(await failureOfAsync(() => new FileStorage(root, { fs: failing('readdir', 'EACCES') }).list(''))).toBe(`VAULT_ERR_STORAGE: cannot list ${root}`);
    expect(await failureOfAsync(() => new FileStorage(root, { fs: failing('unlink', 'EACCES') }).delete('ns/a'))).toBe(
      `VAULT_ERR_STORAGE: cannot delete record in ${root}`,
    );
    const nested = join(root, 'nested');
    expect(await failureOfAsync(() => new FileStorage(nested, { fs: failing('mkdir', 'EACCES') }).put('ns/a', Uint8Array.of(1)))).toBe(
      `VAULT_ERR_STORAGE: cannot create ${nested}`,
    );
    const noSync = new FileStorage(root, { fs: failing('open', 'EIO', (p) => p === root) });
    expect(await failureOfAsync(() => noSync.put('ns/b', Uint8Array.of(1)))).toBe(`VAULT_ERR_STORAGE: cannot fsync ${root}`);
    expect(await failureOfAsync(() => noSync.delete('ns/a'))).toBe(`VAULT_ERR_STORAGE: cannot fsync ${root}`);
    const noRename = new FileStorage(root, { fs: failing('rename', 'EIO') });
    expect(await failureOfAsync(() => noRename.put('ns/a', Uint8Array.of(2)))).toBe(`VAULT_ERR_STORAGE: cannot write record in ${root}`);
  });

  // The cleanup error used to replace the write failure as the error and its cause.
  it('keeps the write failure as cause and names the temp file it could not remove', async () => {
    const root = join(dir, 'cleanup');
    const fsx = { ...failing('rename', 'EIO'), unlink: () => Promise.reject(Object.assign(new Error('EPERM'), { code: 'EPERM' })) } as FileSystem;
    const error = await new FileStorage(root, { fs: fsx }).put('ns/a', Uint8Array.of(1)).catch((e: unknown) => e);
    expect(failureOf(() => { throw error; })).toMatch(
      new RegExp(`^VAULT_ERR_STORAGE: cannot write record in ${root}; the temp file ${root}/[A-Za-z0-9_-]+\\.rec\\.[0-9a-f]{12}\\.tmp could not be removed either \\(EPERM\\)$`),
    );
    expect((error as Error).cause).toMatchObject({ code: 'EIO' });
    expect(await codeOfAsync(() => new FileStorage(root).get('ns/a'))).toBe('no error');
  });
});
