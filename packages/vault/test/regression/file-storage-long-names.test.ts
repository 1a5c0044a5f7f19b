/**
 * Regression: FileStorage named each file base64url(`namespace/name`) + `.rec`,
 * so any key past ~175 UTF-8 bytes (two 128-character names need 257) made a
 * file name over Linux's 255-byte NAME_MAX and every write failed with
 * VAULT_ERR_STORAGE. Keys that fit keep their old file name; longer ones are
 * stored under a SHA-256 name with the key inside the file.
 */
import * as fs from 'node:fs/promises';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogCapture } from '@rampart/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VAULT_ERRORS } from '../../src/errors.ts';
import { FileStorage, type FileSystem } from '../../src/file-storage.ts';
import { Keyring } from '../../src/keyring.ts';
import { SecretStore } from '../../src/secret-store.ts';
import { codeOfAsync, failureOfAsync } from '../../src/test-support/helpers.ts';

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'vault-long-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const legacyName = (key: string): string => `${Buffer.from(key).toString('base64url')}.rec`;
const hashedName = (key: string): string => `${createHash('sha256').update(key).digest('hex')}.hrec`;
const bytesOf = (value: Uint8Array | undefined): number[] | undefined => (value === undefined ? undefined : [...value]);

describe('FileStorage stores every key the secret store accepts', () => {
  it('puts, gets, lists, rewraps, deletes and purges a 128-character namespace and name', async () => {
    const keyring = Keyring.generate();
    const store = new SecretStore({ keyring, storage: new FileStorage(root) });
    const [ns, name] = ['n'.repeat(128), 'x'.repeat(128)];
    expect(await store.put(ns, name, 'v1')).toEqual({ namespace: ns, name, version: 1 });
    expect(await store.put(ns, name, 'v2')).toEqual({ namespace: ns, name, version: 2 });
    expect(await readdir(root)).toEqual([hashedName(`${ns}/${name}`)]);
    const reopened = new SecretStore({ keyring, storage: new FileStorage(root) });
    expect((await reopened.get(ns, name))?.reveal()).toBe('v2');
    expect((await reopened.get(ns, name, { version: 1 }))?.reveal()).toBe('v1');
    expect(await reopened.list(ns)).toEqual([name]);
    expect((await reopened.history(ns, name)).map((v) => v.version)).toEqual([1, 2]);
    keyring.rotate();
    expect(await reopened.rewrapAll(ns)).toBe(1);
    expect(await reopened.delete(ns, name)).toBe(true);
    expect(await reopened.list(ns)).toEqual([]);
    expect(await reopened.purge(ns, name)).toBe(true);
    expect(await readdir(root)).toEqual([]);
  });

  it('keeps the base64url name up to 175 UTF-8 bytes (temp name exactly 255) and hashes from 176, multi-byte included', async () => {
    const storage = new FileStorage(root);
    const fits = `${'é'.repeat(87)}a`; // 175 bytes
    const over = 'é'.repeat(88); // 176 bytes
    const widest = `${'€'.repeat(128)}/${'😀'.repeat(128)}`; // 128 UTF-16 units each side: 897 bytes
    expect([Buffer.byteLength(fits), Buffer.byteLength(over), legacyName(fits).length]).toEqual([175, 176, 238]);
    for (const [i, key] of [fits, over, widest].entries()) await storage.put(key, Uint8Array.of(i));
    expect((await readdir(root)).sort()).toEqual([legacyName(fits), hashedName(over), hashedName(widest)].sort());
    for (const [i, key] of [fits, over, widest].entries()) expect(bytesOf(await storage.get(key))).toEqual([i]);
    expect((await storage.list('')).sort()).toEqual([fits, over, widest].sort());
    expect(await storage.list('€')).toEqual([widest]);
    for (const key of [fits, over, widest]) expect(await storage.delete(key)).toBe(true);
    expect(await storage.delete(widest)).toBe(false);
    expect(await storage.get(widest)).toBeUndefined();
    expect(await readdir(root)).toEqual([]);
  });

  it('still reads and lists records written under the old naming, next to long ones', async () => {
    const short = 'db/password';
    const longest = `k/${'a'.repeat(173)}`; // the longest key the old naming could write
    await writeFile(join(root, legacyName(short)), Uint8Array.of(7));
    await writeFile(join(root, legacyName(longest)), Uint8Array.of(8));
    const storage = new FileStorage(root);
    await storage.put(`k/${'b'.repeat(174)}`, Uint8Array.of(9));
    expect(bytesOf(await storage.get(short))).toEqual([7]);
    expect(bytesOf(await storage.get(longest))).toEqual([8]);
    expect((await storage.list('k/')).sort()).toEqual([longest, `k/${'b'.repeat(174)}`]);
    await storage.put(short, Uint8Array.of(1));
    expect((await readdir(root)).filter((f) => f.endsWith('.rec')).sort()).toEqual([legacyName(short), legacyName(longest)].sort());
  });
});

describe('hashed record files are checked against the key inside them', () => {
  const a = `a/${'x'.repeat(200)}`;
  const b = `b/${'y'.repeat(200)}`;

  it('refuses a record copied onto another key on get, and leaves it out of list with a warning', async () => {
    const logs = new LogCapture();
    const storage = new FileStorage(root, { logger: logs.logger });
    await storage.put(a, Uint8Array.of(1));
    await copyFile(join(root, hashedName(a)), join(root, hashedName(b)));
    expect(await failureOfAsync(() => storage.get(b))).toBe(`VAULT_ERR_STORAGE: record file ${hashedName(b)} belongs to another key`);
    // Listed once, under its own file only (see test/regression/list-skips-unreadable-records.test.ts).
    expect(await storage.list('')).toEqual([a]);
    expect(logs.lines.map((l) => [l.file, l.code])).toEqual([[hashedName(b), 'VAULT_ERR_STORAGE']]);
    expect(bytesOf(await storage.get(a))).toEqual([1]);
  });

  it('refuses a hashed record file of another layout', async () => {
    const logs = new LogCapture();
    const storage = new FileStorage(root, { logger: logs.logger });
    const name = Buffer.from(b);
    const length = (n: number): Buffer => Buffer.from([0, 0, 0, 0].map((_, i) => (n >>> (24 - 8 * i)) & 0xff));
    const layouts = [Buffer.alloc(0), Buffer.of(1, 0, 0), Buffer.concat([Buffer.of(2), length(name.length), name]), Buffer.concat([Buffer.of(1), length(name.length + 1), name])];
    for (const bytes of layouts) {
      await writeFile(join(root, hashedName(b)), bytes);
      expect(await failureOfAsync(() => storage.get(b)), bytes.toString('hex')).toBe(`VAULT_ERR_STORAGE: record file ${hashedName(b)} has an unknown layout`);
      expect(await storage.list(''), bytes.toString('hex')).toEqual([]);
    }
    expect(logs.lines.map((l) => [l.file, l.reason])).toEqual(
      layouts.map(() => [hashedName(b), `${VAULT_ERRORS.VAULT_ERR_STORAGE.message}: record file ${hashedName(b)} has an unknown layout`]),
    );
    await writeFile(join(root, hashedName(b)), Buffer.concat([Buffer.of(1), length(name.length), name]));
    expect(bytesOf(await storage.get(b))).toEqual([]);
  });

  it('lists around a hashed record deleted after readdir, and warns about other read failures', async () => {
    await new FileStorage(root).put(a, Uint8Array.of(1));
    const logs = new LogCapture();
    const readFailing = (code: string): FileSystem => ({ ...fs, readFile: () => Promise.reject(Object.assign(new Error(code), { code })) });
    expect(await new FileStorage(root, { fs: readFailing('ENOENT'), logger: logs.logger }).list('')).toEqual([]);
    expect(logs.lines).toEqual([]);
    expect(await new FileStorage(root, { fs: readFailing('EACCES'), logger: logs.logger }).list('')).toEqual([]);
    expect(logs.lines.map((l) => [l.file, l.code, l.reason])).toEqual([
      [hashedName(a), 'VAULT_ERR_STORAGE', `${VAULT_ERRORS.VAULT_ERR_STORAGE.message}: cannot read record in ${root}`],
    ]);
  });

  it('passes on a failure that is not about the file (an fs double answering without bytes)', async () => {
    await new FileStorage(root).put(a, Uint8Array.of(1));
    const noBytes = { ...fs, readFile: () => Promise.resolve(null) } as unknown as FileSystem;
    expect(await codeOfAsync(() => new FileStorage(root, { fs: noBytes, logger: new LogCapture().logger }).list(''))).toMatch(/^non-vault error: TypeError/);
  });

  it('refuses keys with a lone surrogate, which would share a file with U+FFFD', async () => {
    const storage = new FileStorage(root);
    for (const run of [() => storage.put('ns/\uD800', Uint8Array.of(1)), () => storage.get('ns/\uDC00'), () => storage.delete('ns/\uD800')]) {
      expect(await failureOfAsync(run)).toBe('VAULT_ERR_INVALID_INPUT: storage keys must be well-formed Unicode');
    }
    await storage.put('ns/\uFFFD', Uint8Array.of(2));
    expect(await storage.list('')).toEqual(['ns/\uFFFD']);
  });
});
