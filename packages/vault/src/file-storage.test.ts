import * as fs from 'node:fs/promises';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStorage, type FileSystem } from './file-storage.ts';
import { Keyring } from './keyring.ts';
import { SecretStore } from './secret-store.ts';
import { codeOfAsync, failureOfAsync } from './test-support/helpers.ts';

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'vault-fs-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** node:fs/promises with one operation made to fail. */
function failing(op: 'open' | 'rename' | 'readFile' | 'readdir' | 'mkdir' | 'unlink', error: NodeJS.ErrnoException, when: (arg: string) => boolean = () => true): FileSystem {
  const real = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const wrapped = { ...fs } as unknown as Record<string, unknown>;
  wrapped[op] = (...args: unknown[]) => (when(String(args[0])) ? Promise.reject(error) : real[op]?.(...args));
  return wrapped as unknown as FileSystem;
}

const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });

describe('FileStorage', () => {
  it('creates the directory (0700) and files (0600), and round-trips values', async () => {
    const dir = join(root, 'secrets');
    const storage = new FileStorage(dir);
    await storage.put('ns/a', Uint8Array.of(1, 2));
    await storage.put('ns/a', Uint8Array.of(3));
    await storage.put('other/b', Uint8Array.of(4));
    expect([...((await storage.get('ns/a')) as Uint8Array)]).toEqual([3]);
    expect(await storage.get('ns/missing')).toBeUndefined();
    expect((await storage.list('ns/')).sort()).toEqual(['ns/a']);
    expect((await storage.list('')).sort()).toEqual(['ns/a', 'other/b']);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const files = await readdir(dir);
    expect(files.length).toBe(2);
    for (const f of files) expect((await stat(join(dir, f))).mode & 0o777).toBe(0o600);
    expect(await storage.delete('ns/a')).toBe(true);
    expect(await storage.delete('ns/a')).toBe(false);
  });

  it('lists nothing for a directory that does not exist yet, and ignores foreign files', async () => {
    expect(await new FileStorage(join(root, 'none')).list('')).toEqual([]);
    const storage = new FileStorage(root);
    await writeFile(join(root, 'README.txt'), 'hi');
    expect(await storage.list('')).toEqual([]);
  });

  it('lists a key once, from its own file: a stray name that only decodes to it is left out', async () => {
    // Node decodes base64url leniently, so 'a2V5' (the file of 'key') and 'a2V5=' ('key' with padding) both
    // decoded to 'key', and list() reported it twice; so is a name whose bytes are not UTF-8 (decoded with U+FFFD).
    const storage = new FileStorage(root);
    await storage.put('key', new Uint8Array([1]));
    await writeFile(join(root, 'a2V5=.rec'), 'stray');
    await writeFile(join(root, `${Buffer.from([0xed, 0xa0, 0x80]).toString('base64url')}.rec`), 'stray');
    expect(await storage.list('')).toEqual(['key']);
  });

  it('maps keys to base64url file names, so keys cannot escape the directory', async () => {
    const storage = new FileStorage(root);
    await storage.put('../../etc/passwd', Uint8Array.of(1));
    expect(await readdir(root)).toEqual([`${Buffer.from('../../etc/passwd').toString('base64url')}.rec`]);
  });

  for (const op of ['open', 'rename'] as const) {
    it(`leaves the previous record intact and no temp file when ${op} fails`, async () => {
      await new FileStorage(root).put('ns/a', Uint8Array.of(1));
      const storage = new FileStorage(root, { fs: failing(op, err('EIO'), (p) => p.endsWith('.tmp')) });
      expect(await codeOfAsync(() => storage.put('ns/a', Uint8Array.of(2)))).toBe('VAULT_ERR_STORAGE');
      expect(await readdir(root)).toHaveLength(1);
      expect([...((await storage.get('ns/a')) as Uint8Array)]).toEqual([1]);
    });
  }

  it('reports a failed temp-file cleanup (other than ENOENT) with the write failure', async () => {
    const fsx = failing('rename', err('EIO'));
    (fsx as unknown as Record<string, unknown>).unlink = () => Promise.reject(err('EPERM'));
    expect(await codeOfAsync(() => new FileStorage(root, { fs: fsx }).put('ns/a', Uint8Array.of(1)))).toBe('VAULT_ERR_STORAGE');
  });

  // The thrown error used to carry only the cleanup failure: the reason the write failed (disk full) was lost.
  it('throws the write failure, naming the temp file it could not remove, when the cleanup fails too', async () => {
    const enospc = err('ENOSPC');
    const fsx = failing('rename', enospc);
    const unlinked: string[] = [];
    (fsx as unknown as Record<string, unknown>).unlink = (path: string) => {
      unlinked.push(path);
      return Promise.reject(err('EACCES'));
    };
    const error = (await new FileStorage(root, { fs: fsx }).put('ns/a', Uint8Array.of(1)).catch((e: unknown) => e)) as Error;
    expect(error.cause).toBe(enospc);
    const temp = String(unlinked[0]);
    expect(temp.startsWith(join(root, `${Buffer.from('ns/a').toString('base64url')}.rec.`))).toBe(true);
    expect(await failureOfAsync(() => Promise.reject(error))).toBe(`VAULT_ERR_STORAGE: cannot write record in ${root}; the temp file ${temp} could not be removed either (EACCES)`);
    // the cleanup was attempted: the temp file is still there only because unlink was refused
    expect(unlinked).toEqual([temp]);
    const noCode = failing('rename', enospc);
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test: a rejection without a code
    (noCode as unknown as Record<string, unknown>).unlink = () => Promise.reject('busy');
    expect(await failureOfAsync(() => new FileStorage(root, { fs: noCode }).put('ns/a', Uint8Array.of(1)))).toMatch(/could not be removed either \(busy\)$/);
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test: a rejection with null
    (noCode as unknown as Record<string, unknown>).unlink = () => Promise.reject(null);
    expect(await failureOfAsync(() => new FileStorage(root, { fs: noCode }).put('ns/a', Uint8Array.of(1)))).toMatch(/could not be removed either \(null\)$/);
  });

  // The directory was created once and remembered: once removed (tmpfs cleaned, volume remounted), every put failed with ENOENT.
  it('creates the directory again when it was removed after the first write', async () => {
    const dir = join(root, 'secrets');
    const storage = new FileStorage(dir);
    await storage.put('ns/a', Uint8Array.of(1));
    await rm(dir, { recursive: true });
    await storage.put('ns/b', Uint8Array.of(2));
    expect([...((await storage.get('ns/b')) as Uint8Array)]).toEqual([2]);
    expect(await storage.get('ns/a')).toBeUndefined();
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('creates the directory again only once when writing keeps failing with ENOENT', async () => {
    let mkdirs = 0;
    const enoent = err('ENOENT');
    const fsx = { ...failing('open', enoent, (p) => p.endsWith('.tmp')), mkdir: (...args: Parameters<typeof fs.mkdir>) => ((mkdirs += 1), fs.mkdir(...args)) } as FileSystem;
    const storage = new FileStorage(root, { fs: fsx });
    expect(await storage.put('ns/a', Uint8Array.of(1)).catch((e: unknown) => [(e as { code: string }).code, (e as Error).cause])).toEqual(['VAULT_ERR_STORAGE', enoent]);
    expect(mkdirs).toBe(2);
    // another failure is not retried
    mkdirs = 0;
    const eio = new FileStorage(root, { fs: { ...failing('open', err('EIO'), (p) => p.endsWith('.tmp')), mkdir: fsx.mkdir } });
    expect(await codeOfAsync(() => eio.put('ns/a', Uint8Array.of(1)))).toBe('VAULT_ERR_STORAGE');
    expect(mkdirs).toBe(1);
  });

  it('reports read, list, delete, mkdir and directory-fsync failures as VAULT_ERR_STORAGE', async () => {
    await new FileStorage(root).put('ns/a', Uint8Array.of(1));
    expect(await codeOfAsync(() => new FileStorage(root, { fs: failing('readFile', err('EACCES')) }).get('ns/a'))).toBe('VAULT_ERR_STORAGE');
    expect(await codeOfAsync(() => new FileStorage(root, { fs: failing('readdir', err('EACCES')) }).list(''))).toBe('VAULT_ERR_STORAGE');
    expect(await codeOfAsync(() => new FileStorage(root, { fs: failing('unlink', err('EACCES')) }).delete('ns/a'))).toBe('VAULT_ERR_STORAGE');
    const noDir = new FileStorage(join(root, 'x'), { fs: failing('mkdir', err('EACCES')) });
    expect(await codeOfAsync(() => noDir.put('ns/a', Uint8Array.of(1)))).toBe('VAULT_ERR_STORAGE');
    expect(await codeOfAsync(() => noDir.put('ns/a', Uint8Array.of(1)))).toBe('VAULT_ERR_STORAGE');
    const noSync = new FileStorage(root, { fs: failing('open', err('EIO'), (p) => p === root) });
    expect(await codeOfAsync(() => noSync.put('ns/b', Uint8Array.of(1)))).toBe('VAULT_ERR_STORAGE');
  });

  it('closes every file handle it opens, also when a write or an fsync fails', async () => {
    let open = 0;
    const counting = (failSync: (path: string) => boolean): FileSystem =>
      ({
        ...fs,
        open: async (path: string, flags: string, mode?: number) => {
          const handle = await fs.open(path, flags, mode);
          open += 1;
          return Object.assign(Object.create(handle) as object, {
            sync: () => (failSync(path) ? Promise.reject(err('EIO')) : handle.sync()),
            close: () => {
              open -= 1;
              return handle.close();
            },
          });
        },
      }) as unknown as FileSystem;
    await new FileStorage(root, { fs: counting(() => false) }).put('ns/a', Uint8Array.of(1));
    expect(open).toBe(0);
    expect(await codeOfAsync(() => new FileStorage(root, { fs: counting((p) => p.endsWith('.tmp')) }).put('ns/a', Uint8Array.of(2)))).toBe('VAULT_ERR_STORAGE');
    expect(await codeOfAsync(() => new FileStorage(root, { fs: counting((p) => p === root) }).delete('ns/a'))).toBe('VAULT_ERR_STORAGE');
    expect(open).toBe(0);
    expect(await readdir(root)).toEqual([]);
  });

  it('keeps each failure as the cause and reports a temp file that was never created as a write failure', async () => {
    const eio = err('EIO');
    const broken = { ...fs, open: () => Promise.reject(eio), readFile: () => Promise.reject(eio), readdir: () => Promise.reject(eio), unlink: () => Promise.reject(eio) };
    const storage = new FileStorage(root, { fs: broken as unknown as FileSystem });
    for (const run of [() => storage.put('ns/a', Uint8Array.of(1)), () => storage.get('ns/a'), () => storage.list(''), () => storage.delete('ns/a')]) {
      expect(await run().catch((e: unknown) => (e as Error).cause)).toBe(eio);
    }
    const noTemp = new FileStorage(root, { fs: failing('open', err('EIO'), (p) => p.endsWith('.tmp')) });
    expect(await failureOfAsync(() => noTemp.put('ns/a', Uint8Array.of(1)))).toBe(`VAULT_ERR_STORAGE: cannot write record in ${root}`);
    expect(await noTemp.put('ns/a', Uint8Array.of(1)).catch((e: unknown) => (e as Error).cause)).toMatchObject({ code: 'EIO' });
    const noDir = new FileStorage(join(root, 'x'), { fs: failing('mkdir', eio) });
    expect(await noDir.put('ns/a', Uint8Array.of(1)).catch((e: unknown) => (e as Error).cause)).toBe(eio);
    const noSync = new FileStorage(root, { fs: failing('open', eio, (p) => p === root) });
    expect(await noSync.put('ns/b', Uint8Array.of(1)).catch((e: unknown) => (e as Error).cause)).toBe(eio);
  });

  it('retries creating the directory after a failed attempt', async () => {
    let fail = true;
    const flaky = { ...fs, mkdir: (...args: Parameters<typeof fs.mkdir>) => (fail ? Promise.reject(err('EACCES')) : fs.mkdir(...args)) } as FileSystem;
    const storage = new FileStorage(join(root, 'later'), { fs: flaky });
    expect(await codeOfAsync(() => storage.put('ns/a', Uint8Array.of(1)))).toBe('VAULT_ERR_STORAGE');
    fail = false;
    await storage.put('ns/a', Uint8Array.of(1));
    expect([...((await storage.get('ns/a')) as Uint8Array)]).toEqual([1]);
  });

  it('reports an fs that rejects with a non-error value as a storage failure', async () => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test: a rejection that is not an Error
    const odd = new FileStorage(root, { fs: { ...fs, readFile: () => Promise.reject(null) } as unknown as FileSystem });
    expect(await codeOfAsync(() => odd.get('ns/a'))).toBe('VAULT_ERR_STORAGE');
  });

  it('backs a SecretStore that survives a restart', async () => {
    const keyring = Keyring.generate();
    await new SecretStore({ keyring, storage: new FileStorage(root) }).put('db', 'password', 'pg-secret');
    const reopened = new SecretStore({ keyring, storage: new FileStorage(root) });
    expect((await reopened.get('db', 'password'))?.reveal()).toBe('pg-secret');
    expect(await reopened.list('db')).toEqual(['password']);
    const raw = await fs.readFile(join(root, (await readdir(root))[0] as string));
    expect(raw.includes(Buffer.from('pg-secret'))).toBe(false);
  });
});
