/**
 * Secret storage in a directory, one file per record. Writes are atomic and
 * durable: write a temp file, fsync it, rename it over the target, fsync the
 * directory (so the rename itself survives a crash). On any failure the temp
 * file is removed and the previous record stays intact.
 *
 * File names: `base64url(key).rec` while that name and its temp name fit in
 * NAME_MAX (255 bytes on Linux filesystems); longer keys (a 128-character
 * namespace and name need 344 characters) are stored as
 * `hex(sha256(key)).hrec`, with the key itself inside the file, because the
 * hash alone cannot be listed and must not be trusted blindly on read.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import { VaultError, isVaultError } from './errors.ts';
import { stderrLogger, type VaultLogger } from './logger.ts';
import type { SecretStorage } from './storage.ts';

/** The subset of node:fs/promises used here; injectable to simulate disk failures in tests. */
export type FileSystem = Pick<typeof nodeFs, 'open' | 'rename' | 'unlink' | 'readFile' | 'readdir' | 'mkdir'>;

export interface FileStorageOptions {
  /** Default: node:fs/promises. */
  fs?: FileSystem;
  /** Where `list()` reports a record file it leaves out because it cannot be read or used. Default: JSON lines on stderr. */
  logger?: VaultLogger;
}

const SUFFIX = '.rec';
// A suffix of its own, so older versions (which list only `.rec`) skip these files instead of decoding hex as base64url.
const HASHED_SUFFIX = '.hrec';
// Linux NAME_MAX, in bytes; every name here is ASCII, so characters are bytes.
const NAME_MAX = 255;
// `${target}.${12 hex digits}.tmp`, see put().
const TEMP_EXTRA = '.'.length + 12 + '.tmp'.length;
// What follows the record file's name in the name of one of its temp files.
const TEMP = /^\.[0-9a-f]{12}\.tmp$/;
const HASHED_LAYOUT = 1;
// u8 layout | u32 key length | key (UTF-8) | value
const HASHED_HEADER = 5;

// Keys map to base64url file names: no separators, no "..", no case folding issues on the key side.
// Names that fit keep exactly the encoding earlier versions wrote, so their files stay readable.
function fileName(key: string): string {
  // A lone surrogate encodes as U+FFFD, so two different keys would share one file.
  if (!key.isWellFormed()) throw new VaultError('VAULT_ERR_INVALID_INPUT', 'storage keys must be well-formed Unicode');
  const plain = Buffer.from(key).toString('base64url') + SUFFIX;
  if (plain.length + TEMP_EXTRA <= NAME_MAX) return plain;
  return createHash('sha256').update(key).digest('hex') + HASHED_SUFFIX;
}

function isHashed(file: string): boolean {
  return file.endsWith(HASHED_SUFFIX);
}

function encodeHashed(key: string, value: Uint8Array): Uint8Array {
  const name = Buffer.from(key);
  const out = Buffer.allocUnsafe(HASHED_HEADER + name.length + value.length);
  out[0] = HASHED_LAYOUT;
  out.writeUInt32BE(name.length, 1);
  out.set(name, HASHED_HEADER);
  out.set(value, HASHED_HEADER + name.length);
  return out;
}

/** Splits a `.hrec` file into the key written inside it and the value; refuses any other layout. */
function decodeHashed(bytes: Buffer, file: string): { key: string; value: Buffer } {
  const end = bytes.length >= HASHED_HEADER ? HASHED_HEADER + bytes.readUInt32BE(1) : Infinity;
  if (bytes[0] !== HASHED_LAYOUT || end > bytes.length) throw new VaultError('VAULT_ERR_STORAGE', `record file ${file} has an unknown layout`);
  return { key: bytes.toString('utf8', HASHED_HEADER, end), value: bytes.subarray(end) };
}

// A file copied or renamed onto another hash (or, in theory, a SHA-256 collision) is not the record of that key.
function foreign(file: string): VaultError {
  return new VaultError('VAULT_ERR_STORAGE', `record file ${file} belongs to another key`);
}

/** An unlink of a file that is already gone (removed meanwhile) removed nothing; any other error is passed on. */
function gone(error: unknown): number {
  if (isCode(error, 'ENOENT')) return 0;
  throw error;
}

function isCode(error: unknown, code: string): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}

/** An fs error's code (`EACCES`) for a message, or the value itself when it has none. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(error);
}

/**
 * @example
 * const storage = new FileStorage('/var/lib/app/secrets');
 * const store = new SecretStore({ vault, storage });
 */
export class FileStorage implements SecretStorage {
  readonly directory: string;
  readonly #fs: FileSystem;
  readonly #logger: VaultLogger;
  #ready: Promise<void> | undefined;

  constructor(directory: string, options: FileStorageOptions = {}) {
    this.directory = directory;
    this.#fs = options.fs ?? nodeFs;
    this.#logger = options.logger ?? stderrLogger;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const file = fileName(key);
    const bytes = await this.#read(file);
    if (bytes === undefined || !isHashed(file)) return bytes;
    const stored = decodeHashed(bytes, file);
    if (stored.key !== key) throw foreign(file);
    return stored.value;
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    const file = fileName(key);
    const content = isHashed(file) ? encodeHashed(key, value) : value;
    const target = join(this.directory, file);
    await this.#ensureDirectory();
    try {
      await this.#write(target, content);
    } catch (error) {
      // The directory is created once and remembered; it may have been removed since (tmpfs cleaned,
      // volume remounted, an operator wiping it): create it again, once, rather than fail every put.
      if (!isCode((error as Error).cause, 'ENOENT')) throw error;
      this.#ready = undefined;
      await this.#ensureDirectory();
      await this.#write(target, content);
    }
    await this.#syncDirectory();
  }

  /** Writes a temp file, fsyncs it and renames it over `target`; on failure removes the temp file. */
  async #write(target: string, content: Uint8Array): Promise<void> {
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await this.#fs.open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.#fs.rename(temp, target);
    } catch (cause) {
      // The write failure is the error (disk full, ...), whatever happens to the cleanup; a temp file
      // that cannot be removed is named in the message. ENOENT: it was never created or already renamed.
      const left = await this.#fs.unlink(temp).then(
        () => '',
        (unlinkError: unknown) => (isCode(unlinkError, 'ENOENT') ? '' : `; the temp file ${temp} could not be removed either (${errorCode(unlinkError)})`),
      );
      throw new VaultError('VAULT_ERR_STORAGE', `cannot write record in ${this.directory}${left}`, { cause });
    }
  }

  /**
   * Removes the record and the temp files crashed writes of it left (`<file>.<12 hex>.tmp`, each a
   * complete sealed copy of the record: a hard delete must not leave them behind). Resolves whether
   * the record itself existed. Temp files go first, so a failure leaves the record for a retry.
   */
  async delete(key: string): Promise<boolean> {
    const file = fileName(key);
    let removed = 0;
    let deleted: boolean;
    try {
      const temps = (await this.#fs.readdir(this.directory)).filter((n) => n.startsWith(file) && TEMP.test(n.slice(file.length)));
      for (const name of temps) removed += await this.#fs.unlink(join(this.directory, name)).then(() => 1, gone);
      // Counted apart: a temp file another process removed meanwhile must not make the record look absent.
      deleted = (await this.#fs.unlink(join(this.directory, file)).then(() => 1, gone)) === 1;
      if (deleted) removed += 1;
    } catch (cause) {
      // A missing directory holds no record.
      if (isCode(cause, 'ENOENT')) return false;
      throw new VaultError('VAULT_ERR_STORAGE', `cannot delete record in ${this.directory}`, { cause });
    }
    if (removed > 0) await this.#syncDirectory();
    return deleted;
  }

  async list(prefix: string): Promise<string[]> {
    let names: string[];
    try {
      names = await this.#fs.readdir(this.directory);
    } catch (cause) {
      if (isCode(cause, 'ENOENT')) return [];
      throw new VaultError('VAULT_ERR_STORAGE', `cannot list ${this.directory}`, { cause });
    }
    const keys: string[] = [];
    for (const n of names) {
      if (n.endsWith(SUFFIX)) {
        const key = Buffer.from(n.slice(0, -SUFFIX.length), 'base64url').toString('utf8');
        // Node decodes base64url leniently (padding, `+`/`/`): a stray file whose name only
        // decodes to a key would list that key twice. Only the file the key is stored in counts.
        if (fileName(key) === n) keys.push(key);
      } else if (isHashed(n)) {
        const key = await this.#listedKey(n);
        if (key !== undefined) keys.push(key);
      }
    }
    return keys.filter((k) => k.startsWith(prefix));
  }

  /**
   * The key inside a `.hrec` file (the hash hides it), or undefined for a file
   * deleted since readdir or one that cannot be used. list() reads every such
   * file whatever the prefix, so one unreadable, foreign or malformed file
   * must not fail every listing: it is left out and reported by file name
   * (`get` of its key still throws). Only vault errors describe the file.
   */
  async #listedKey(file: string): Promise<string | undefined> {
    try {
      const bytes = await this.#read(file);
      if (bytes === undefined) return undefined;
      const { key } = decodeHashed(bytes, file);
      if (fileName(key) !== file) throw foreign(file);
      return key;
    } catch (error) {
      if (!isVaultError(error)) throw error;
      this.#logger.warn(
        { directory: this.directory, file, code: error.code, reason: error.message },
        'record file left out of list(): it cannot be read or does not hold a record of its name',
      );
      return undefined;
    }
  }

  async #read(file: string): Promise<Buffer | undefined> {
    try {
      return await this.#fs.readFile(join(this.directory, file));
    } catch (cause) {
      if (isCode(cause, 'ENOENT')) return undefined;
      throw new VaultError('VAULT_ERR_STORAGE', `cannot read record in ${this.directory}`, { cause });
    }
  }

  #ensureDirectory(): Promise<void> {
    this.#ready ??= this.#fs.mkdir(this.directory, { recursive: true, mode: 0o700 }).then(
      () => undefined,
      (cause: unknown) => {
        this.#ready = undefined;
        throw new VaultError('VAULT_ERR_STORAGE', `cannot create ${this.directory}`, { cause });
      },
    );
    return this.#ready;
  }

  // fsync on the directory makes the rename/unlink durable (POSIX leaves it to the directory entry).
  async #syncDirectory(): Promise<void> {
    try {
      const dir = await this.#fs.open(this.directory, 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (cause) {
      throw new VaultError('VAULT_ERR_STORAGE', `cannot fsync ${this.directory}`, { cause });
    }
  }
}
