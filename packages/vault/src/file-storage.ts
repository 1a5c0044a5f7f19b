/**
 * Secret storage in a directory, one file per record. Writes are atomic and
 * durable: write a temp file, fsync it, rename it over the target, fsync the
 * directory (so the rename itself survives a crash). On any failure the temp
 * file is removed and the previous record stays intact.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import { VaultError } from './errors.ts';
import type { SecretStorage } from './storage.ts';

/** The subset of node:fs/promises used here; injectable to simulate disk failures in tests. */
export type FileSystem = Pick<typeof nodeFs, 'open' | 'rename' | 'unlink' | 'readFile' | 'readdir' | 'mkdir'>;

export interface FileStorageOptions {
  /** Default: node:fs/promises. */
  fs?: FileSystem;
}

const SUFFIX = '.rec';

// Keys map to base64url file names: no separators, no "..", no case folding issues on the key side.
function fileName(key: string): string {
  return Buffer.from(key).toString('base64url') + SUFFIX;
}

function isCode(error: unknown, code: string): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}

/**
 * @example
 * const storage = new FileStorage('/var/lib/app/secrets');
 * const store = new SecretStore({ vault, storage });
 */
export class FileStorage implements SecretStorage {
  readonly directory: string;
  readonly #fs: FileSystem;
  #ready: Promise<void> | undefined;

  constructor(directory: string, options: FileStorageOptions = {}) {
    this.directory = directory;
    this.#fs = options.fs ?? nodeFs;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await this.#fs.readFile(join(this.directory, fileName(key)));
    } catch (cause) {
      if (isCode(cause, 'ENOENT')) return undefined;
      throw new VaultError('VAULT_ERR_STORAGE', `cannot read record in ${this.directory}`, { cause });
    }
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    await this.#ensureDirectory();
    const target = join(this.directory, fileName(key));
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await this.#fs.open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(value);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.#fs.rename(temp, target);
    } catch (cause) {
      await this.#fs.unlink(temp).catch((unlinkError: unknown) => {
        // ENOENT: the temp file was never created or already renamed; anything else is reported with the original failure.
        if (!isCode(unlinkError, 'ENOENT')) throw new VaultError('VAULT_ERR_STORAGE', `cannot remove ${temp}`, { cause: unlinkError });
      });
      throw new VaultError('VAULT_ERR_STORAGE', `cannot write record in ${this.directory}`, { cause });
    }
    await this.#syncDirectory();
  }

  async delete(key: string): Promise<boolean> {
    try {
      await this.#fs.unlink(join(this.directory, fileName(key)));
    } catch (cause) {
      if (isCode(cause, 'ENOENT')) return false;
      throw new VaultError('VAULT_ERR_STORAGE', `cannot delete record in ${this.directory}`, { cause });
    }
    await this.#syncDirectory();
    return true;
  }

  async list(prefix: string): Promise<string[]> {
    let names: string[];
    try {
      names = await this.#fs.readdir(this.directory);
    } catch (cause) {
      if (isCode(cause, 'ENOENT')) return [];
      throw new VaultError('VAULT_ERR_STORAGE', `cannot list ${this.directory}`, { cause });
    }
    return names
      .filter((n) => n.endsWith(SUFFIX))
      .map((n) => Buffer.from(n.slice(0, -SUFFIX.length), 'base64url').toString('utf8'))
      .filter((k) => k.startsWith(prefix));
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
