/**
 * Regression: LocalKekProvider.fromKeyFile merged options as
 * `{ primary: filePrimary, ...options }`, so `{ primary: undefined }` (an unset
 * config value passed through) erased the key file's `primary` and the highest
 * version wrapped new data keys instead of the one the file names.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalKekProvider } from '../../src/local-kek.ts';

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'vault-keyfile-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('fromKeyFile primary', () => {
  it('keeps the file primary when options.primary is undefined, and an explicit one still wins', async () => {
    const path = join(root, 'master.json');
    const keys = [1, 2].map((version) => ({ version, key: randomBytes(32).toString('hex') }));
    await writeFile(path, JSON.stringify({ format: 'rampart.vault.keyfile', version: 1, primary: 1, keys }), { mode: 0o600 });
    expect((await LocalKekProvider.fromKeyFile(path, { primary: undefined })).keyring.primaryVersion).toBe(1);
    expect((await LocalKekProvider.fromKeyFile(path, { primary: undefined, id: 'x' })).id).toBe('x');
    expect((await LocalKekProvider.fromKeyFile(path, { primary: 2 })).keyring.primaryVersion).toBe(2);
  });
});
