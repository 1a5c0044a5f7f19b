/**
 * The local KEK provider: master keys come from configuration secrets (any
 * object with `reveal()`, such as @rampart/config's `Secret`) or from a key
 * file with owner-only permissions. Raw literals are refused on purpose: a key
 * written in source code ends up in git history.
 */
import { readFile, stat } from 'node:fs/promises';
import { VaultError } from './errors.ts';
import { KeyringKekProvider } from './kek.ts';
import { checkKeyBytes, keyFromText } from './key-text.ts';
import { Keyring, type KeyringOptions } from './keyring.ts';

// Windows has no POSIX permission bits (its mode is synthesised from the read-only flag), so nothing is checked there.
// Stryker disable next-line ConditionalExpression,StringLiteral: the Windows side cannot run on these Linux machines
const GROUP_OTHER_BITS = process.platform === 'win32' ? /* v8 ignore next -- Windows only */ 0 : 0o077;
// Key versions are u32 in the ciphertext header (the keyring enforces the same range).
const MAX_VERSION = 0xffff_ffff;

/**
 * Anything that hands out a secret on request, e.g. @rampart/config's `Secret`.
 * @example
 * const secret: Revealable = config.get('vault.masterKey');
 */
export interface Revealable {
  reveal(): string | Uint8Array;
}

/** One master key version taken from a secret. */
export interface SecretKeySource {
  readonly version: number;
  readonly secret: Revealable;
}

export interface LocalKekOptions extends Pick<KeyringOptions, 'clock' | 'randomBytes' | 'maxEncryptionsPerKey'> {
  /** Provider id stored in envelopes. Default `'local'`. */
  id?: string;
  /** Which version wraps new data keys. Default: the highest. */
  primary?: number;
}

function revealKey(source: unknown, index: number): Buffer {
  const secret = (source as { secret?: unknown } | null)?.secret;
  if (typeof (secret as Revealable | undefined)?.reveal !== 'function') {
    throw new VaultError('VAULT_ERR_INVALID_KEY', `key ${index}: pass a config secret with reveal() or use a key file, never a literal`);
  }
  const value = (secret as Revealable).reveal();
  if (typeof value === 'string') return keyFromText(value);
  if (!(value instanceof Uint8Array)) throw new VaultError('VAULT_ERR_INVALID_KEY', `key ${index}: reveal() must return a string or bytes`);
  checkKeyBytes(value);
  return Buffer.from(value);
}

function build(keys: { version: number; key: Buffer }[], options: LocalKekOptions): KeyringKekProvider {
  const id = options.id ?? 'local';
  try {
    const ring = Keyring.fromKeys(keys, { ...options, id });
    return new KeyringKekProvider(ring, id);
  } finally {
    // fromKeys copied the material; wipe our temporary copies (memory hygiene: they are never handed out, so no test can see it).
    // Stryker disable next-line CallExpression: equivalent through every API, the wiped buffers are unreachable
    for (const k of keys) k.key.fill(0);
  }
}

interface KeyFileDocument {
  format: 'rampart.vault.keyfile';
  version: 1;
  primary?: number;
  // unknown: entries are checked one by one in parseEntry.
  keys: unknown[];
}

function parseKeyFile(text: string): { keys: { version: number; key: Buffer }[]; primary: number | undefined } {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return { keys: [{ version: 1, key: keyFromText(trimmed) }], primary: undefined };
  let doc: KeyFileDocument;
  try {
    doc = JSON.parse(trimmed) as KeyFileDocument;
  } catch (error) {
    // V8's SyntaxError quotes the text around the error, i.e. key characters, and util.inspect or a
    // cause-aware logger would print it: keep only its position (content-free), when it gives one.
    const at = / at (position \d+(?: \(line \d+ column \d+\))?)$/.exec((error as SyntaxError).message)?.[1];
    throw new VaultError('VAULT_ERR_KEY_FILE', 'not valid JSON', at === undefined ? undefined : { cause: new SyntaxError(`JSON syntax error at ${at}`) });
  }
  if (doc.format !== 'rampart.vault.keyfile' || doc.version !== 1 || !Array.isArray(doc.keys)) {
    throw new VaultError('VAULT_ERR_KEY_FILE', 'expected { "format": "rampart.vault.keyfile", "version": 1, "keys": [...] }');
  }
  // The keyring would refuse these too, but with its own codes: the file is what the operator must fix.
  if (doc.keys.length === 0) throw new VaultError('VAULT_ERR_KEY_FILE', 'keys must hold at least one key');
  const keys: { version: number; key: Buffer }[] = [];
  try {
    for (const [index, entry] of doc.keys.entries()) {
      const parsed = parseEntry(entry, index);
      keys.push(parsed);
      const first = keys.findIndex((k) => k.version === parsed.version);
      if (first !== index) throw new VaultError('VAULT_ERR_KEY_FILE', `keys[${index}].version repeats keys[${first}].version`);
    }
    if ('primary' in doc && !keys.some((k) => k.version === doc.primary)) {
      throw new VaultError('VAULT_ERR_KEY_FILE', 'primary must be the version of one of the keys');
    }
  } catch (error) {
    // Keys decoded from earlier entries never reach a keyring: wipe them (memory hygiene: they are unreachable, so no test can see it).
    // Stryker disable next-line CallExpression: equivalent through every API, the wiped buffers are unreachable
    for (const k of keys) k.key.fill(0);
    throw error;
  }
  return { keys, primary: doc.primary };
}

/**
 * One `keys[]` entry of a JSON key file. The file is untrusted input, so every
 * shape is checked here (a null entry used to crash with a TypeError), and
 * messages name the entry, never its content: the content may be key material.
 */
function parseEntry(entry: unknown, index: number): { version: number; key: Buffer } {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new VaultError('VAULT_ERR_KEY_FILE', `keys[${index}] must be an object { "version": n, "key": "..." }`);
  }
  const { version, key } = entry as { version?: unknown; key?: unknown };
  if (!Number.isInteger(version) || (version as number) < 1 || (version as number) > MAX_VERSION) {
    throw new VaultError('VAULT_ERR_KEY_FILE', `keys[${index}].version must be an integer from 1 to 2^32-1`);
  }
  if (typeof key !== 'string') throw new VaultError('VAULT_ERR_KEY_FILE', `keys[${index}].key must be a string`);
  try {
    return { version: version as number, key: keyFromText(key) };
  } catch (cause) {
    // keyFromText's messages never quote the text, so the cause is safe to keep.
    throw new VaultError('VAULT_ERR_KEY_FILE', `keys[${index}].key is not a usable master key`, { cause });
  }
}

/**
 * @example
 * const kek = LocalKekProvider.fromSecrets([{ version: 1, secret: config.get('vault.masterKey') }]);
 * const kek2 = await LocalKekProvider.fromKeyFile('/run/secrets/vault-master.key');
 */
export const LocalKekProvider = {
  /** Master keys from config secrets; each `reveal()` yields 32 bytes or their base64/base64url/hex text. */
  fromSecrets(sources: readonly SecretKeySource[], options: LocalKekOptions = {}): KeyringKekProvider {
    // One secret, a key string or nothing (easy from JS or loosely typed config) used to crash with a TypeError.
    // Checked through an `unknown` copy: Array.isArray would narrow `sources` itself to any[].
    const given: unknown = sources;
    if (!Array.isArray(given)) throw new VaultError('VAULT_ERR_INVALID_INPUT', 'sources must be an array of { version, secret } entries');
    const keys: { version: number; key: Buffer }[] = [];
    try {
      for (const [i, source] of sources.entries()) {
        const key = revealKey(source, i);
        keys.push({ version: source.version, key });
      }
    } catch (error) {
      // Keys decoded before a refused entry never reach a keyring: wipe them, as parseKeyFile does.
      for (const k of keys) k.key.fill(0);
      throw error;
    }
    return build(keys, options);
  },

  /**
   * Master keys from a file: either one key as base64/base64url/hex text, or a
   * JSON key file `{ "format": "rampart.vault.keyfile", "version": 1, "keys": [{ "version": 1, "key": "..." }] }`.
   * Refuses files readable by group or others, as ssh does for private keys.
   */
  async fromKeyFile(path: string, options: LocalKekOptions = {}): Promise<KeyringKekProvider> {
    let text: string;
    try {
      const info = await stat(path);
      if ((info.mode & GROUP_OTHER_BITS) !== 0) {
        throw new VaultError('VAULT_ERR_KEY_FILE', `${path} is accessible by group or others; chmod 600 it`);
      }
      text = await readFile(path, 'utf8');
    } catch (cause) {
      if (cause instanceof VaultError) throw cause;
      throw new VaultError('VAULT_ERR_KEY_FILE', `cannot read ${path}`, { cause });
    }
    const { keys, primary } = parseKeyFile(text);
    // The file's primary is a default: an explicit `options.primary` wins, an undefined one (an unset
    // config value passed through) does not erase it as a spread would.
    return build(keys, { ...options, primary: options.primary ?? primary });
  },
};
