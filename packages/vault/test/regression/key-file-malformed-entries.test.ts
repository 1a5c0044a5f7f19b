/**
 * Regression: a JSON key file's `keys[]` entries were used unchecked, so
 * `"keys": [null]` crashed with a TypeError, and a missing version or a bad
 * key surfaced as other codes. Every malformed entry is now VAULT_ERR_KEY_FILE,
 * naming the entry but never its content.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVaultError } from '../../src/errors.ts';
import { LocalKekProvider } from '../../src/local-kek.ts';
import { counterRandom } from '../../src/test-support/helpers.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vault-keyfile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const material = Buffer.from(counterRandom(11)(32));
const good = material.toString('base64url');
const otherGood = Buffer.from(counterRandom(12)(32)).toString('hex');
/** Every text form of the key bytes in play: none may appear in an error. */
const forbidden = [material, Buffer.from(otherGood, 'hex')].flatMap((b) => ['base64', 'base64url', 'hex'].map((enc) => b.toString(enc as BufferEncoding)));

async function load(keys: unknown[], name: string): Promise<unknown> {
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify({ format: 'rampart.vault.keyfile', version: 1, keys }));
  await chmod(path, 0o600);
  return LocalKekProvider.fromKeyFile(path).then(
    () => 'no error',
    (e: unknown) => e,
  );
}

/** The error's message, JSON form and every cause's message, for the leak check. */
function everythingSaid(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) parts.push(e.message, JSON.stringify(e), String(e));
  return parts.join('\n');
}

describe('malformed key file entries', () => {
  const cases: [string, unknown[], string][] = [
    ['null entry', [null], 'keys[0] must be an object { "version": n, "key": "..." }'],
    ['number entry', [42], 'keys[0] must be an object { "version": n, "key": "..." }'],
    ['string entry holding a key', [good], 'keys[0] must be an object { "version": n, "key": "..." }'],
    ['array entry', [[1, good]], 'keys[0] must be an object { "version": n, "key": "..." }'],
    ['missing version', [{ key: good }], 'keys[0].version must be an integer from 1 to 2^32-1'],
    ['string version', [{ version: '1', key: good }], 'keys[0].version must be an integer from 1 to 2^32-1'],
    ['fractional version', [{ version: 1.5, key: good }], 'keys[0].version must be an integer from 1 to 2^32-1'],
    ['version 0', [{ version: 0, key: good }], 'keys[0].version must be an integer from 1 to 2^32-1'],
    ['version 2^32', [{ version: 2 ** 32, key: good }], 'keys[0].version must be an integer from 1 to 2^32-1'],
    ['missing key', [{ version: 1 }], 'keys[0].key must be a string'],
    ['numeric key', [{ version: 1, key: 42 }], 'keys[0].key must be a string'],
    ['bad key encoding', [{ version: 1, key: `${good.slice(0, 20)}!${good.slice(21)}` }], 'keys[0].key is not a usable master key'],
    ['truncated key', [{ version: 1, key: good.slice(0, 40) }], 'keys[0].key is not a usable master key'],
    ['placeholder key', [{ version: 1, key: 'ab'.repeat(32) }], 'keys[0].key is not a usable master key'],
    ['bad entry after a good one', [{ version: 1, key: good }, null], 'keys[1] must be an object { "version": n, "key": "..." }'],
    ['bad key after a good one', [{ version: 2, key: otherGood }, { version: 1, key: otherGood.slice(2) }], 'keys[1].key is not a usable master key'],
  ];

  for (const [label, keys, detail] of cases) {
    it(`${label}: VAULT_ERR_KEY_FILE, no key material in the error`, async () => {
      const error = await load(keys, label.replaceAll(' ', '-'));
      expect(isVaultError(error, 'VAULT_ERR_KEY_FILE'), String(error)).toBe(true);
      expect((error as Error).message).toBe(`The key file cannot be used: ${detail}`);
      const said = everythingSaid(error);
      for (const text of [...forbidden, good.slice(0, 20), otherGood.slice(2, 34)]) expect(said.includes(text), `${label} leaks key text`).toBe(false);
    });
  }

  it('keeps the key parser error as cause for an unusable key, and still loads a well-formed file', async () => {
    const error = await load([{ version: 1, key: 'ab'.repeat(32) }], 'cause');
    expect(isVaultError((error as Error).cause, 'VAULT_ERR_INVALID_KEY')).toBe(true);
    expect(await load([{ version: 1, key: good }, { version: 3, key: otherGood }], 'good')).toBe('no error');
  });
});
