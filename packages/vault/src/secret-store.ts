/**
 * An encrypted, versioned key-value store for application secrets (API keys,
 * webhook secrets, credentials), in the spirit of Vault's KV v2: namespaces,
 * a version history per secret, soft delete and purge. Each secret's record
 * is sealed as a whole under the keyring with its namespace and name as
 * context, so records cannot be swapped between names, read, or edited.
 */
import { openWithKeyring, sealWithKeyring } from './cipher.ts';
import { constantTimeEqual } from './compare.ts';
import { VaultError, isVaultError } from './errors.ts';
import { Keyring } from './keyring.ts';
import { stderrLogger, type VaultLogger } from './logger.ts';
import { toBytes } from './plaintext.ts';
import { systemClock, type Clock } from './random.ts';
import { SecretEntry } from './secret-entry.ts';
import { decodeRecord, encodeRecord, type SecretRecord, type SecretVersionInfo } from './secret-record.ts';
import { MemoryStorage, type SecretStorage } from './storage.ts';

export interface SecretStoreOptions {
  /** Keyring that seals records. Default: a generated in-memory keyring (secrets die with the process). */
  keyring?: Keyring;
  /** Default: `MemoryStorage`. */
  storage?: SecretStorage;
  /** Versions kept per secret; older ones are dropped on put. Default 10. */
  maxVersions?: number;
  clock?: Clock;
  /** Where `list()` reports a secret it leaves out because its record cannot be read or opened. Default: JSON lines on stderr. */
  logger?: VaultLogger;
}

/** What `put` returns. */
export interface SecretPutResult {
  readonly namespace: string;
  readonly name: string;
  readonly version: number;
}

const NAME = /^[A-Za-z0-9._-]{1,128}$/;

function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string' || !NAME.test(value) || value === '.' || value === '..') {
    throw new VaultError('VAULT_ERR_INVALID_SECRET_NAME', `${what} ${JSON.stringify(String(value))}`);
  }
  return value;
}

/**
 * @example
 * const store = new SecretStore({ keyring, storage: new FileStorage('/var/lib/app/secrets') });
 * await store.put('payments', 'stripe-key', 'sk_live_...');
 * const key = (await store.get('payments', 'stripe-key'))?.reveal();
 */
export class SecretStore {
  readonly #keyring: Keyring;
  readonly #storage: SecretStorage;
  readonly #maxVersions: number;
  readonly #clock: Clock;
  readonly #logger: VaultLogger;
  // Per-record queue: read-modify-write cycles on one secret never interleave (no lost updates in-process).
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(options: SecretStoreOptions = {}) {
    const max = options.maxVersions ?? 10;
    if (!Number.isSafeInteger(max) || max < 1) throw new VaultError('VAULT_ERR_INVALID_INPUT', 'maxVersions must be a positive integer');
    this.#keyring = options.keyring ?? Keyring.generate();
    this.#storage = options.storage ?? new MemoryStorage();
    this.#maxVersions = max;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? stderrLogger;
  }

  /** Stores a new version (undeleting a deleted secret); returns its version number. */
  put(namespace: string, name: string, value: string | Uint8Array): Promise<SecretPutResult> {
    const bytes = new Uint8Array(toBytes(value, 'secret value'));
    return this.#update(namespace, name, (record) => {
      const next = record ?? { deletedAt: undefined, latest: 0, versions: [] };
      next.latest += 1;
      next.deletedAt = undefined;
      next.versions.push({ version: next.latest, createdAt: this.#clock.now(), value: bytes });
      // Stryker disable next-line CallExpression: memory hygiene only, dropped values are unreachable from any API
      for (const dropped of next.versions.splice(0, Math.max(0, next.versions.length - this.#maxVersions))) dropped.value.fill(0);
      return { record: next, result: { namespace, name, version: next.latest } };
    });
  }

  /** The latest (or a given) version; undefined when absent, deleted, or trimmed from history. */
  async get(namespace: string, name: string, options: { version?: number } = {}): Promise<SecretEntry | undefined> {
    const record = await this.#read(checkName(namespace, 'namespace'), checkName(name, 'name'));
    if (record === undefined) return undefined;
    let found: SecretRecord['versions'][number] | undefined;
    try {
      // A deleted secret still has every version in its record: the finally wipes them all.
      if (record.deletedAt !== undefined) return undefined;
      const wanted = options.version ?? record.latest;
      found = record.versions.find((v) => v.version === wanted);
      return found && new SecretEntry(namespace, name, found.version, found.createdAt, found.value);
    } finally {
      for (const v of record.versions) if (v !== found) v.value.fill(0);
    }
  }

  /**
   * Compares `candidate` with the latest value in constant time (HMAC both
   * under a one-off key, then timingSafeEqual), so neither content nor length
   * leaks through timing. For API keys and webhook secrets.
   */
  async verify(namespace: string, name: string, candidate: string | Uint8Array): Promise<boolean> {
    const entry = await this.get(namespace, name);
    try {
      const given = toBytes(candidate, 'candidate');
      if (entry === undefined) return false;
      const stored = entry.revealBytes();
      try {
        return constantTimeEqual(stored, given);
      } finally {
        // revealBytes() hands out a copy: it holds the secret as much as the entry does.
        stored.fill(0);
      }
    } finally {
      // In a finally so that a refused candidate does not leave the entry behind either.
      entry?.wipe();
    }
  }

  /**
   * Names of live (not deleted) secrets in a namespace, sorted. A secret whose
   * record cannot be read or opened (edited, moved, sealed under a disabled or
   * destroyed key version) is left out and reported to the logger by name and
   * error code; `get` on it still throws. An error of the storage backend that
   * is not a vault error is passed on.
   */
  async list(namespace: string): Promise<string[]> {
    const prefix = `${checkName(namespace, 'namespace')}/`;
    const keys = await this.#storage.list(prefix);
    const live: string[] = [];
    for (const key of keys) {
      const name = key.slice(prefix.length);
      const record = await this.#readListed(namespace, name);
      if (record === undefined) continue;
      // Only the deleted flag is needed here: the decrypted values are wiped at once.
      for (const v of record.versions) v.value.fill(0);
      if (record.deletedAt === undefined) live.push(name);
    }
    return live.sort();
  }

  /** Version history (no values), oldest first; empty when the secret never existed or was purged. */
  async history(namespace: string, name: string): Promise<(SecretVersionInfo & { deleted: boolean })[]> {
    const record = await this.#read(checkName(namespace, 'namespace'), checkName(name, 'name'));
    if (record === undefined) return [];
    return record.versions.map((v) => {
      // Stryker disable next-line CallExpression: memory hygiene only, history returns no values
      v.value.fill(0);
      return { version: v.version, createdAt: v.createdAt, deleted: record.deletedAt !== undefined };
    });
  }

  /** Soft delete: `get`/`list` stop returning it, history stays, the next `put` revives it. */
  delete(namespace: string, name: string): Promise<boolean> {
    return this.#update(namespace, name, (record) => {
      if (record === undefined || record.deletedAt !== undefined) return { record, result: false };
      record.deletedAt = this.#clock.now();
      return { record, result: true };
    });
  }

  /** Hard delete: removes every version from storage. */
  purge(namespace: string, name: string): Promise<boolean> {
    const key = `${checkName(namespace, 'namespace')}/${checkName(name, 'name')}`;
    return this.#locked(key, () => this.#storage.delete(key));
  }

  /** Re-seals every record of a namespace under the keyring's primary (after `rotate()`); returns how many changed. */
  async rewrapAll(namespace: string): Promise<number> {
    const prefix = `${checkName(namespace, 'namespace')}/`;
    let changed = 0;
    for (const key of await this.#storage.list(prefix)) {
      const name = key.slice(prefix.length);
      const moved = await this.#locked(key, async () => {
        const sealed = await this.#storage.get(key);
        if (sealed === undefined) return false;
        const { plaintext, keyVersion } = openWithKeyring(this.#keyring, sealed, this.#context(namespace, name));
        try {
          if (keyVersion === this.#keyring.primaryVersion) return false;
          await this.#storage.put(key, sealWithKeyring(this.#keyring, plaintext, this.#context(namespace, name)));
          return true;
        } finally {
          plaintext.fill(0);
        }
      });
      if (moved) changed += 1;
    }
    return changed;
  }

  #context(namespace: string, name: string): Record<string, string> {
    return { store: 'rampart.vault.secrets', namespace, name };
  }

  async #read(namespace: string, name: string): Promise<SecretRecord | undefined> {
    const sealed = await this.#storage.get(`${namespace}/${name}`);
    if (sealed === undefined) return undefined;
    const { plaintext } = openWithKeyring(this.#keyring, sealed, this.#context(namespace, name));
    try {
      return decodeRecord(plaintext);
    } finally {
      plaintext.fill(0);
    }
  }

  /**
   * `#read` for `list()`: one bad record must not hide every healthy one, so a
   * vault error (which describes this record: tampered, key state, layout, a
   * storage failure on this key) becomes a warning. Whether a left-out secret
   * is live or deleted is unknown, so it is not listed either way. Other errors
   * may be an outage of a custom backend, where an empty listing would lie.
   */
  async #readListed(namespace: string, name: string): Promise<SecretRecord | undefined> {
    try {
      return await this.#read(namespace, name);
    } catch (error) {
      if (!isVaultError(error)) throw error;
      // Vault messages never carry values, ciphertext or key material, so the reason is safe to log.
      this.#logger.warn(
        { namespace, secretName: name, code: error.code, reason: error.message },
        'secret left out of list(): its record cannot be read or opened',
      );
      return undefined;
    }
  }

  #update<T>(namespace: string, name: string, change: (record: SecretRecord | undefined) => { record: SecretRecord | undefined; result: T }): Promise<T> {
    const key = `${checkName(namespace, 'namespace')}/${checkName(name, 'name')}`;
    return this.#locked(key, async () => {
      const { record, result } = change(await this.#read(namespace, name));
      if (record !== undefined) {
        const plaintext = encodeRecord(record);
        let sealed: Uint8Array;
        try {
          sealed = sealWithKeyring(this.#keyring, plaintext, this.#context(namespace, name));
        } finally {
          // In a finally so that a refused seal (the primary reached its message bound) leaves no values behind either.
          plaintext.fill(0);
          for (const v of record.versions) v.value.fill(0);
        }
        await this.#storage.put(key, sealed);
      }
      return result;
    });
  }

  #locked<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(key) ?? Promise.resolve();
    // `previous` never rejects (it is a settled marker), so one handler suffices.
    const next = previous.then(run);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.#locks.set(key, settled);
    // Stryker disable next-line BlockStatement: equivalent, without the cleanup a settled marker stays in the map (memory only; waiting on it costs nothing)
    void settled.then(() => {
      // Stryker disable next-line CallExpression: equivalent, as above
      if (this.#locks.get(key) === settled) this.#locks.delete(key);
    });
    return next;
  }
}
