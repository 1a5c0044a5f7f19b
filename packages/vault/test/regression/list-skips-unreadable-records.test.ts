/**
 * Regression: one record that could not be read or opened made `list()` throw
 * for the whole namespace: `SecretStore.list` opens every record (to leave
 * soft-deleted ones out) and failed on the first bad one, and
 * `FileStorage.list` reads every `.hrec` file, whatever the prefix, and failed
 * on one of another layout or key. A user listing secrets gets the healthy
 * ones; each record left out is reported as a logger warning naming it and the
 * error code, never its content. `get` on the bad record still throws.
 */
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogCapture } from '@rampart/mocks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VAULT_ERRORS } from '../../src/errors.ts';
import { FileStorage } from '../../src/file-storage.ts';
import { Keyring, keyringAccess } from '../../src/keyring.ts';
import { SecretStore } from '../../src/secret-store.ts';
import { MemoryStorage, type SecretStorage } from '../../src/storage.ts';
import { codeOfAsync, flip } from '../../src/test-support/helpers.ts';

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'vault-list-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

const STORE_SKIPPED = 'secret left out of list(): its record cannot be read or opened';
const FILE_SKIPPED = 'record file left out of list(): it cannot be read or does not hold a record of its name';
const hashedName = (key: string): string => `${createHash('sha256').update(key).digest('hex')}.hrec`;

/** A store over memory with three secrets, one of whose stored bytes were then edited. */
async function withCorruptRecord(logs: LogCapture): Promise<{ store: SecretStore; storage: MemoryStorage; keyring: Keyring }> {
  const keyring = Keyring.generate();
  const storage = new MemoryStorage();
  const store = new SecretStore({ keyring, storage, logger: logs.logger });
  for (const name of ['alpha', 'bravo', 'charlie']) await store.put('ns', name, `value-of-${name}`);
  const sealed = (await storage.get('ns/bravo')) as Uint8Array;
  flip(sealed, sealed.length - 1, 0x01);
  await storage.put('ns/bravo', sealed);
  return { store, storage, keyring };
}

describe('SecretStore.list with a record that cannot be opened', () => {
  it('lists the healthy secrets and warns once, by name and code, about the tampered one', async () => {
    const logs = new LogCapture();
    const { store } = await withCorruptRecord(logs);
    expect(await store.list('ns')).toEqual(['alpha', 'charlie']);
    expect(logs.lines.map(({ levelName, msg, namespace, secretName, code, reason }) => ({ levelName, msg, namespace, secretName, code, reason }))).toEqual([
      { levelName: 'warn', msg: STORE_SKIPPED, namespace: 'ns', secretName: 'bravo', code: 'VAULT_ERR_TAMPERED', reason: VAULT_ERRORS.VAULT_ERR_TAMPERED.message },
    ]);
    // Left out of the listing, not hidden: reading it still fails loudly.
    expect(await codeOfAsync(() => store.get('ns', 'bravo'))).toBe('VAULT_ERR_TAMPERED');
  });

  it('warns with the precise code for a record under a disabled key version or of an unknown layout', async () => {
    const logs = new LogCapture();
    const keyring = Keyring.generate();
    const storage = new MemoryStorage();
    const store = new SecretStore({ keyring, storage, logger: logs.logger });
    await store.put('ns', 'old', 'v');
    keyring.rotate();
    await store.put('ns', 'new', 'v');
    keyring.disable(1);
    await storage.put('ns/junk', Uint8Array.of(1, 2, 3));
    expect(await store.list('ns')).toEqual(['new']);
    expect(logs.lines.map((l) => [l.secretName, l.code])).toEqual([
      ['old', 'VAULT_ERR_KEY_DISABLED'],
      ['junk', 'VAULT_ERR_TAMPERED'],
    ]);
  });

  it('never writes values, plaintext or ciphertext bytes, or key material into the warning', async () => {
    const logs = new LogCapture();
    const { store, storage, keyring } = await withCorruptRecord(logs);
    await store.list('ns');
    const sealed = Buffer.from((await storage.get('ns/bravo')) as Uint8Array);
    const material = Buffer.from((keyringAccess.entries(keyring)[0] as { material: Uint8Array }).material);
    expect(logs.raw).toHaveLength(1);
    for (const bytes of [sealed, material]) {
      for (const encoding of ['hex', 'base64', 'base64url'] as const) expect(logs.text).not.toContain(bytes.toString(encoding));
    }
    expect(logs.text).not.toContain('value-of-');
  });

  it('passes on an error of the storage backend itself (not a vault error): it may be an outage, not one bad record', async () => {
    const storage = new MemoryStorage();
    const store = new SecretStore({ storage, logger: new LogCapture().logger });
    await store.put('ns', 'a', 'v');
    const down: SecretStorage = {
      get: () => Promise.reject(new Error('ECONNRESET')),
      put: (k, v) => storage.put(k, v),
      delete: (k) => storage.delete(k),
      list: (p) => storage.list(p),
    };
    await expect(new SecretStore({ storage: down }).list('ns')).rejects.toThrow('ECONNRESET');
  });

  it('writes the warning as one JSON line on stderr when no logger is given', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    const keyring = Keyring.generate();
    const storage = new MemoryStorage();
    const store = new SecretStore({ keyring, storage });
    await store.put('ns', 'a', 'v');
    await storage.put('ns/b', Uint8Array.of(1));
    expect(await store.list('ns')).toEqual(['a']);
    vi.restoreAllMocks();
    expect(written).toHaveLength(1);
    expect(written[0]?.endsWith('\n')).toBe(true);
    const line = JSON.parse(written[0] as string) as Record<string, unknown>;
    expect(typeof line.time).toBe('number');
    expect({ ...line, time: 0 }).toEqual({
      level: 'warn',
      time: 0,
      name: 'rampart:vault',
      msg: STORE_SKIPPED,
      namespace: 'ns',
      secretName: 'b',
      code: 'VAULT_ERR_TAMPERED',
      reason: `${VAULT_ERRORS.VAULT_ERR_TAMPERED.message}: ciphertext is truncated`,
    });
  });
});

describe('FileStorage.list with a record file that cannot be used', () => {
  const a = `a/${'x'.repeat(200)}`;
  const b = `b/${'y'.repeat(200)}`;

  it('lists every other key and warns about a hashed file copied onto another key', async () => {
    const logs = new LogCapture();
    const storage = new FileStorage(root, { logger: logs.logger });
    await storage.put(a, Uint8Array.of(1));
    await storage.put('ns/short', Uint8Array.of(2));
    await copyFile(join(root, hashedName(a)), join(root, hashedName(b)));
    expect((await storage.list('')).sort()).toEqual([a, 'ns/short']);
    expect(logs.lines.map(({ levelName, msg, directory, file, code, reason }) => ({ levelName, msg, directory, file, code, reason }))).toEqual([
      {
        levelName: 'warn',
        msg: FILE_SKIPPED,
        directory: root,
        file: hashedName(b),
        code: 'VAULT_ERR_STORAGE',
        reason: `${VAULT_ERRORS.VAULT_ERR_STORAGE.message}: record file ${hashedName(b)} belongs to another key`,
      },
    ]);
  });

  it('keeps a SecretStore listing its namespace when a hashed file of another namespace is corrupt', async () => {
    const logs = new LogCapture();
    const keyring = Keyring.generate();
    const store = new SecretStore({ keyring, storage: new FileStorage(root, { logger: logs.logger }), logger: logs.logger });
    await store.put('payments', 'stripe', 'sk_live');
    await writeFile(join(root, hashedName(b)), Uint8Array.of(9, 9));
    expect(await store.list('payments')).toEqual(['stripe']);
    expect(logs.lines.map((l) => [l.file, l.code, l.reason])).toEqual([
      [hashedName(b), 'VAULT_ERR_STORAGE', `${VAULT_ERRORS.VAULT_ERR_STORAGE.message}: record file ${hashedName(b)} has an unknown layout`],
    ]);
    expect(await readdir(root)).toHaveLength(2);
  });
});
