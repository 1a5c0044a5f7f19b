/**
 * The storage interface under the secret store, and its in-memory
 * implementation. Storage sees only opaque sealed records: it never needs to
 * be trusted with confidentiality, only with availability.
 */

/**
 * A flat byte store. Keys are `<namespace>/<name>` strings made of [A-Za-z0-9._-/].
 * @example
 * class RedisStorage implements SecretStorage { ... } // get/put/delete/list over a hash
 */
export interface SecretStorage {
  get(key: string): Promise<Uint8Array | undefined>;
  /** Replaces the value atomically: a reader sees the old or the new bytes, never a mix. */
  put(key: string, value: Uint8Array): Promise<void>;
  /** Resolves true when something was deleted. */
  delete(key: string): Promise<boolean>;
  /** Keys starting with `prefix`, in any order. */
  list(prefix: string): Promise<string[]>;
}

/**
 * Process-local storage for tests and single-process tools.
 * @example
 * const store = new SecretStore({ vault, storage: new MemoryStorage() });
 */
export class MemoryStorage implements SecretStorage {
  // Copies in and out: callers may wipe or reuse their buffers.
  readonly #data = new Map<string, Uint8Array>();

  get(key: string): Promise<Uint8Array | undefined> {
    const value = this.#data.get(key);
    return Promise.resolve(value === undefined ? undefined : new Uint8Array(value));
  }

  put(key: string, value: Uint8Array): Promise<void> {
    this.#data.set(key, new Uint8Array(value));
    return Promise.resolve();
  }

  delete(key: string): Promise<boolean> {
    return Promise.resolve(this.#data.delete(key));
  }

  list(prefix: string): Promise<string[]> {
    return Promise.resolve([...this.#data.keys()].filter((k) => k.startsWith(prefix)));
  }
}
