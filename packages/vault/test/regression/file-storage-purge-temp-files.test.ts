/**
 * Regression: a write interrupted by a crash (between creating its temp file
 * and renaming it) leaves `<record file>.<12 hex>.tmp` behind: a complete
 * sealed copy of the record. Nothing ever removed it, so purge(), "hard
 * delete", left the purged secret on disk and it still opened under the
 * keyring. Deleting a record now also removes its leftover temp files, and
 * only those.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWithKeyring } from '../../src/cipher.ts';
import { FileStorage, type FileSystem } from '../../src/file-storage.ts';
import { Keyring } from '../../src/keyring.ts';
import { SecretStore } from '../../src/secret-store.ts';
import { codeOfAsync, failureOfAsync } from '../../src/test-support/helpers.ts';

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'vault-purge-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const plain = (key: string): string => `${Buffer.from(key).toString('base64url')}.rec`;
const hashed = (key: string): string => `${createHash('sha256').update(key).digest('hex')}.hrec`;
const long = `${'n'.repeat(128)}/${'n'.repeat(128)}`;

describe('FileStorage.delete and leftover temp files', () => {
  it('purge() removes the temp copies a crashed write left, so the secret is gone from disk', async () => {
    const keyring = Keyring.generate();
    const storage = new FileStorage(root);
    const store = new SecretStore({ keyring, storage });
    await store.put('payments', 'stripe-key', 'sk_live_v1');
    const file = plain('payments/stripe-key');
    // The crashed second put: its temp file holds the whole sealed record.
    const sealed = await readFile(join(root, file));
    await writeFile(join(root, `${file}.0123456789ab.tmp`), sealed);
    expect(openWithKeyring(keyring, sealed, { store: 'rampart.vault.secrets', namespace: 'payments', name: 'stripe-key' }).plaintext.length).toBeGreaterThan(0);
    expect(await store.purge('payments', 'stripe-key')).toBe(true);
    expect(await readdir(root)).toEqual([]);
  });

  it('removes leftover temp files of plain and hashed names even when the record itself is gone, and nothing else', async () => {
    const storage = new FileStorage(root);
    await storage.put('ns/a', Uint8Array.of(1));
    await storage.put('ns/b', Uint8Array.of(2));
    // What crashed writes leave: `<record file>.<12 hex>.tmp`, for a plain and a hashed name.
    await writeFile(join(root, `${plain('ns/a')}.aaaaaaaaaaaa.tmp`), 'x');
    await writeFile(join(root, `${hashed(long)}.bbbbbbbbbbbb.tmp`), 'x');
    const keep = [plain('ns/b'), `${plain('ns/b')}.cccccccccccc.tmp`, `${plain('ns/a')}.not-a-temp.tmp`, `${plain('ns/a')}.0123456789AB.tmp`, `x${plain('ns/a')}.0123456789ab.tmp`,
      `${plain('ns/a')}.x.0123456789ab.tmp`, `${plain('ns/a')}.0123456789ab.tmpx`];
    for (const name of keep.slice(1)) await writeFile(join(root, name), 'x');
    // The record is there: delete resolves true and removes its temp file too.
    expect(await storage.delete('ns/a')).toBe(true);
    // Only a temp file is left of the long key (its first write crashed): nothing to report, but it is removed.
    expect(await storage.delete(long)).toBe(false);
    expect((await readdir(root)).sort()).toEqual([...keep].sort());
  });

  it('reports a temp file it cannot remove as VAULT_ERR_STORAGE, and a missing directory as nothing to delete', async () => {
    const storage = new FileStorage(root);
    await storage.put('ns/a', Uint8Array.of(1));
    await writeFile(join(root, `${plain('ns/a')}.0123456789ab.tmp`), 'x');
    const stuck = new FileStorage(root, {
      fs: { ...fs, unlink: (p: Parameters<typeof fs.unlink>[0]) => (String(p).endsWith('.tmp') ? Promise.reject(Object.assign(new Error('no'), { code: 'EACCES' })) : fs.unlink(p)) },
    });
    expect(await failureOfAsync(() => stuck.delete('ns/a'))).toBe(`VAULT_ERR_STORAGE: cannot delete record in ${root}`);
    const gone = new FileStorage(join(root, 'missing'));
    expect(await gone.delete('ns/a')).toBe(false);
    // The directory is fsynced when something was removed (a temp file alone counts), and only then.
    const noSync = { ...fs, open: () => Promise.reject(Object.assign(new Error('no'), { code: 'EIO' })) } as unknown as FileSystem;
    expect(await new FileStorage(root, { fs: noSync }).delete('ns/absent')).toBe(false);
    await writeFile(join(root, `${plain('ns/t')}.0123456789ab.tmp`), 'x');
    expect(await failureOfAsync(() => new FileStorage(root, { fs: noSync }).delete('ns/t'))).toBe(`VAULT_ERR_STORAGE: cannot fsync ${root}`);
    const unreadable = new FileStorage(root, { fs: { ...fs, readdir: () => Promise.reject(Object.assign(new Error('no'), { code: 'EACCES' })) } as unknown as FileSystem });
    expect(await codeOfAsync(() => unreadable.delete('ns/a'))).toBe('VAULT_ERR_STORAGE');
  });
});
