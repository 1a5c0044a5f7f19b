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
import { withRecordLock } from './record-lock.ts';

export interface SecretStoreOptions {
  /** Keyring that seals records. Default: a generated in-memory keyring (secrets die with the process). */
  keyring?: Keyring;
  /** Default: `MemoryStorage`. */
  storage?: SecretStorage;
  /** Versions kept per secret; older ones are dropped on put. Default 10. */
  maxVersions?: number;
  clock?: Clock;
  /**
   * Where `list()` reports a secret it leaves out, and `rewrapAll()` one it cannot rewrap, because its
   * record cannot be read or opened. Default: JSON lines on stderr.
   */
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

/** The storage key of a secret, after checking both names. */
function recordKey(namespace: unknown, name: unknown): string {
  return `${checkName(namespace, 'namespace')}/${checkName(name, 'name')}`;
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

  constructor(options: SecretStoreOptions = {}) {
    const max = options.maxVersions ?? 10;
    if (!Number.isSafeInteger(max) || max < 1) throw new VaultError('VAULT_ERR_INVALID_INPUT', 'maxVersions must be a positive integer');
    this.#keyring = options.keyring ?? Keyring.generate();
    this.#storage = options.storage ?? new MemoryStorage();
    this.#maxVersions = max;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? stderrLogger;
  }

  /** Stores a new version (undeleting a deleted secret); returns its version number. Rejects (never throws) on bad input. */
  async put(namespace: string, name: string, value: string | Uint8Array): Promise<SecretPutResult> {
    const bytes = new Uint8Array(toBytes(value, 'secret value'));
    // #update wipes the copy with the record it sealed; this finally covers the paths that never reach
    // the record (a refused name, a current record that cannot be read or opened).
    try {
      return await this.#update(namespace, name, (record) => {
        const next = record ?? { deletedAt: undefined, latest: 0, versions: [] };
        next.latest += 1;
        next.deletedAt = undefined;
        next.versions.push({ version: next.latest, createdAt: this.#clock.now(), value: bytes });
        // Stryker disable next-line CallExpression: memory hygiene only, dropped values are unreachable from any API
        for (const dropped of next.versions.splice(0, Math.max(0, next.versions.length - this.#maxVersions))) dropped.value.fill(0);
        return { record: next, result: { namespace, name, version: next.latest } };
      });
    } finally {
      bytes.fill(0);
    }
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

  /**
   * Soft delete: `get`/`list` stop returning it, history stays, the next `put` revives it.
   * Resolves false, writing nothing, when the secret is absent or already deleted.
   */
  async delete(namespace: string, name: string): Promise<boolean> {
    return await this.#update(namespace, name, (record) => {
      // Nothing changes, so nothing is written: re-sealing an identical record spent nonce budget (and failed at the bound).
      if (record === undefined || record.deletedAt !== undefined) return { record: undefined, result: false };
      record.deletedAt = this.#clock.now();
      return { record, result: true };
    });
  }

  /** Hard delete: removes every version from storage. */
  async purge(namespace: string, name: string): Promise<boolean> {
    const key = recordKey(namespace, name);
    return await withRecordLock(this.#storage, key, () => this.#storage.delete(key));
  }

  /**
   * Re-seals every record of a namespace under the keyring's primary (after
   * `rotate()`); returns how many changed. A record that cannot be read,
   * opened or resealed (any vault error) does not stop the others: it is
   * reported to the logger like in `list()`, and once every other record is
   * rewrapped the call throws `VAULT_ERR_REWRAP_INCOMPLETE` naming the records
   * left (`cause`: an AggregateError of one error per record, with its code).
   * An error of the storage backend that is not a vault error is passed on at once.
   * @example
   * keyring.rotate();
   * await store.rewrapAll('payments'); // then keyring.setMinDecryptionVersion(keyring.primaryVersion)
   */
  async rewrapAll(namespace: string): Promise<number> {
    const prefix = `${checkName(namespace, 'namespace')}/`;
    let changed = 0;
    const failed: { name: string; error: VaultError }[] = [];
    for (const key of await this.#storage.list(prefix)) {
      const name = key.slice(prefix.length);
      try {
        if (await this.#rewrap(namespace, name)) changed += 1;
      } catch (error) {
        if (!isVaultError(error)) throw error;
        this.#warn(namespace, name, error, 'secret not rewrapped by rewrapAll(): its record cannot be read, opened or resealed');
        failed.push({ name, error: new VaultError(error.code, `secret ${key}`, { cause: error }) });
      }
    }
    if (failed.length > 0) {
      const names = failed.map((f) => f.name).join(', ');
      const cause = new AggregateError(failed.map((f) => f.error), 'records not rewrapped');
      throw new VaultError('VAULT_ERR_REWRAP_INCOMPLETE', `namespace ${JSON.stringify(namespace)}: ${changed} rewrapped, ${failed.length} not: ${names}`, { cause });
    }
    return changed;
  }

  /** Re-seals one record under the primary; false when it is already there or was purged since the listing. */
  #rewrap(namespace: string, name: string): Promise<boolean> {
    const key = `${namespace}/${name}`;
    return withRecordLock(this.#storage, key, async () => {
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
      this.#warn(namespace, name, error, 'secret left out of list(): its record cannot be read or opened');
      return undefined;
    }
  }

  #warn(namespace: string, name: string, error: VaultError, msg: string): void {
    // Vault messages never carry values, ciphertext or key material, so the reason is safe to log.
    this.#logger.warn({ namespace, secretName: name, code: error.code, reason: error.message }, msg);
  }

  /**
   * One read-modify-write cycle under the record's lock. `change` returns the
   * record to write, or undefined to write nothing.
   */
  #update<T>(namespace: string, name: string, change: (record: SecretRecord | undefined) => { record: SecretRecord | undefined; result: T }): Promise<T> {
    const key = recordKey(namespace, name);
    return withRecordLock(this.#storage, key, async () => {
      const current = await this.#read(namespace, name);
      let outcome: { record: SecretRecord | undefined; result: T } | undefined;
      let sealed: Uint8Array | undefined;
      try {
        outcome = change(current);
        if (outcome.record !== undefined) sealed = this.#seal(namespace, name, outcome.record);
      } finally {
        // The record read and the one written (put appends to the first, or starts a new one) hold every value:
        // wipe both, also when nothing is written or the seal is refused (the primary reached its message bound).
        for (const record of [current, outcome?.record]) for (const v of record?.versions ?? []) v.value.fill(0);
      }
      if (sealed !== undefined) await this.#storage.put(key, sealed);
      return outcome.result;
    });
  }

  #seal(namespace: string, name: string, record: SecretRecord): Uint8Array {
    const plaintext = encodeRecord(record);
    try {
      return sealWithKeyring(this.#keyring, plaintext, this.#context(namespace, name));
    } finally {
      plaintext.fill(0);
    }
  }
}
