import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EnvelopeEncryptor } from './envelope.ts';
import { LocalKekProvider } from './local-kek.ts';
import { codeOf, codeOfAsync, counterRandom, failureOfAsync } from './test-support/helpers.ts';

const raw = Buffer.from(counterRandom(3)(32));
const secret = (value: string | Uint8Array): { reveal(): string | Uint8Array } => ({ reveal: () => value });
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vault-kek-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function keyFile(name: string, content: string, mode = 0o600): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  await chmod(path, mode);
  return path;
}

describe('LocalKekProvider.fromSecrets', () => {
  it('accepts base64, base64url, hex and raw bytes, all giving the same KEK', async () => {
    const forms = [raw.toString('base64'), raw.toString('base64url'), raw.toString('hex'), ` ${raw.toString('hex')}\n`, new Uint8Array(raw)];
    const envelope = new EnvelopeEncryptor({ kek: LocalKekProvider.fromSecrets([{ version: 1, secret: secret(forms[0] as string) }]) });
    const sealed = await envelope.encrypt('x');
    for (const form of forms) {
      const other = new EnvelopeEncryptor({ kek: LocalKekProvider.fromSecrets([{ version: 1, secret: secret(form) }]) });
      expect(await other.decryptString(sealed)).toBe('x');
    }
  });

  it('uses the highest version as primary unless told otherwise, and names the provider', () => {
    const sources = [
      { version: 1, secret: secret(raw.toString('hex')) },
      { version: 2, secret: secret(Buffer.from(counterRandom(8)(32)).toString('base64')) },
    ];
    expect(LocalKekProvider.fromSecrets(sources).keyring.primaryVersion).toBe(2);
    expect(LocalKekProvider.fromSecrets(sources).id).toBe('local');
    const chosen = LocalKekProvider.fromSecrets(sources, { primary: 1, id: 'app-master' });
    expect([chosen.keyring.primaryVersion, chosen.id]).toEqual([1, 'app-master']);
  });

  it('refuses literals, wrong sizes, placeholders and odd reveal() results', () => {
    const cases: unknown[] = [
      { version: 1, secret: raw.toString('hex') },
      { version: 1 },
      null,
      { version: 1, secret: secret('hunter2') },
      { version: 1, secret: secret(raw.subarray(0, 16).toString('hex')) },
      { version: 1, secret: secret(new Uint8Array(32)) },
      { version: 1, secret: secret(new Uint8Array(raw.subarray(0, 16))) },
      { version: 1, secret: secret('A'.repeat(43)) },
      { version: 1, secret: { reveal: () => 42 } },
    ];
    for (const c of cases) {
      expect(codeOf(() => LocalKekProvider.fromSecrets([c as never])), JSON.stringify(c)).toBe('VAULT_ERR_INVALID_KEY');
    }
  });

  // Keys decoded before a refused entry used to be left un-wiped (parseKeyFile already wiped them).
  it('wipes the master keys it already decoded when a later secret is refused', () => {
    const decoded: Buffer[] = [];
    const from = Buffer.from.bind(Buffer) as (...a: unknown[]) => Buffer;
    const spy = vi.spyOn(Buffer, 'from').mockImplementation(((...args: unknown[]) => {
      const out = from(...args);
      if (out.length === 32 && out.equals(raw)) decoded.push(out);
      return out;
    }) as typeof Buffer.from);
    try {
      const sources = [
        { version: 1, secret: secret(raw.toString('hex')) },
        { version: 2, secret: { reveal: () => 42 as never } },
      ];
      expect(codeOf(() => LocalKekProvider.fromSecrets(sources))).toBe('VAULT_ERR_INVALID_KEY');
    } finally {
      spy.mockRestore();
    }
    expect(decoded.length).toBeGreaterThan(0);
    expect(decoded.map((b) => b.every((x) => x === 0))).toEqual(decoded.map(() => true));
  });
});

describe('LocalKekProvider.fromKeyFile', () => {
  it('loads a single-key file and a JSON key file with several versions', async () => {
    const single = await LocalKekProvider.fromKeyFile(await keyFile('single.key', `${raw.toString('base64')}\n`));
    expect(single.keyring.primaryVersion).toBe(1);
    const json = JSON.stringify({
      format: 'rampart.vault.keyfile',
      version: 1,
      primary: 1,
      keys: [
        { version: 1, key: raw.toString('base64url') },
        { version: 2, key: Buffer.from(counterRandom(5)(32)).toString('hex') },
      ],
    });
    const multi = await LocalKekProvider.fromKeyFile(await keyFile('multi.json', `\n  ${json}\n`), { id: 'file' });
    expect([multi.keyring.primaryVersion, multi.id]).toEqual([1, 'file']);
    const override = await LocalKekProvider.fromKeyFile(await keyFile('override.json', json), { primary: 2 });
    expect(override.keyring.primaryVersion).toBe(2);
    const sealed = await new EnvelopeEncryptor({ kek: single }).encrypt('x');
    const sameKey = await LocalKekProvider.fromKeyFile(await keyFile('same.json', json.replace('"primary":1,', '')), { id: 'local' });
    expect(sameKey.keyring.primaryVersion).toBe(2);
    expect(await new EnvelopeEncryptor({ kek: sameKey }).decryptString(sealed)).toBe('x');
  });

  it('refuses files readable by group or others', async () => {
    const path = await keyFile('open.key', raw.toString('base64'), 0o644);
    expect(await codeOfAsync(() => LocalKekProvider.fromKeyFile(path))).toBe('VAULT_ERR_KEY_FILE');
  });

  it('reports missing files, bad JSON and unknown documents as VAULT_ERR_KEY_FILE, bad keys as VAULT_ERR_INVALID_KEY', async () => {
    expect(await codeOfAsync(() => LocalKekProvider.fromKeyFile(join(dir, 'missing.key')))).toBe('VAULT_ERR_KEY_FILE');
    expect(await codeOfAsync(async () => LocalKekProvider.fromKeyFile(await keyFile('bad.json', '{ nope')))).toBe('VAULT_ERR_KEY_FILE');
    for (const [i, doc] of [{ format: 'other', version: 1, keys: [] }, { format: 'rampart.vault.keyfile', version: 1, keys: 'k' }].entries()) {
      expect(await codeOfAsync(async () => LocalKekProvider.fromKeyFile(await keyFile(`wrong${i}.json`, JSON.stringify(doc))))).toBe('VAULT_ERR_KEY_FILE');
    }
    expect(await codeOfAsync(async () => LocalKekProvider.fromKeyFile(await keyFile('weak.key', 'password123')))).toBe('VAULT_ERR_INVALID_KEY');
  });

  // These used to surface as VAULT_ERR_KEY_STATE / VAULT_ERR_INVALID_KEY from the keyring, not as a bad key file.
  it('reports a bad primary, a repeated version and an empty keys array as VAULT_ERR_KEY_FILE', async () => {
    const entry = (version: number, seed: number): { version: number; key: string } => ({ version, key: Buffer.from(counterRandom(seed)(32)).toString('hex') });
    const file = (rest: object): string => JSON.stringify({ format: 'rampart.vault.keyfile', version: 1, ...rest });
    const cases: [string, string, string][] = [
      ['missing', file({ primary: 5, keys: [entry(1, 1)] }), 'primary must be the version of one of the keys'],
      ['string', file({ primary: '1', keys: [entry(1, 1)] }), 'primary must be the version of one of the keys'],
      ['null', file({ primary: null, keys: [entry(1, 1)] }), 'primary must be the version of one of the keys'],
      ['repeated', file({ keys: [entry(1, 1), entry(2, 2), entry(1, 3)] }), 'keys[2].version repeats keys[0].version'],
      ['empty', file({ keys: [] }), 'keys must hold at least one key'],
      // the document checks come first: an unknown format is named as such, whatever its keys
      ['other', JSON.stringify({ format: 'other', version: 1, keys: [] }), 'expected { "format": "rampart.vault.keyfile", "version": 1, "keys": [...] }'],
    ];
    for (const [name, text, detail] of cases) {
      expect(await failureOfAsync(async () => LocalKekProvider.fromKeyFile(await keyFile(`${name}.json`, text))), name).toBe(`VAULT_ERR_KEY_FILE: ${detail}`);
    }
    const good = await LocalKekProvider.fromKeyFile(await keyFile('primary-2.json', file({ primary: 2, keys: [entry(1, 1), entry(2, 2), entry(3, 3)] })));
    expect(good.keyring.primaryVersion).toBe(2);
  });

  // V8's SyntaxError used to be kept as the cause, and its message quotes the text around the error: key characters.
  it('keeps key characters out of a JSON syntax error, keeping only its position', async () => {
    const hex = raw.toString('hex');
    const quoted = await keyFile('quoted.json', `{"format":"rampart.vault.keyfile","version":1,"keys":[{"version":1,"key":'${hex}'}]}`);
    const error = (await LocalKekProvider.fromKeyFile(quoted).catch((e: unknown) => e)) as Error & { code: string };
    expect(error.code).toBe('VAULT_ERR_KEY_FILE');
    expect(inspect(error)).not.toContain(hex.slice(0, 8));
    // this V8 message gives no position, so nothing of it is kept
    expect(error.cause).toBeUndefined();
    const at = (await LocalKekProvider.fromKeyFile(await keyFile('position.json', '{ nope')).catch((e: unknown) => e)) as Error;
    expect(at.cause).toEqual(new SyntaxError('JSON syntax error at position 2 (line 1 column 3)'));
  });
});
