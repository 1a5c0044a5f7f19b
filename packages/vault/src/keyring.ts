/**
 * A keyring: numbered key versions, one primary that encrypts, older ones that
 * still decrypt, and the lifecycle operations an operator needs to rotate keys
 * without downtime (modelled on Tink keysets and Vault's transit engine).
 */
import { channel } from 'node:diagnostics_channel';
import { algorithmSpec, type Algorithm, type AlgorithmSpec } from './aead.ts';
import { VaultError } from './errors.ts';
import { checkCreatedAt, checkKeyList, checkLiveMaterial, checkState } from './key-input.ts';
import { KeyVersion, type KeyState, type KeyVersionInfo } from './key-version.ts';
import { defaultRandom, systemClock, type Clock, type RandomSource } from './random.ts';
import { INSPECT } from './redact.ts';

/** Key lifecycle events (`{ op, keyringId, version }`, never material) for audit logs. */
export const keyringChannel = channel('rampart:vault.keyring');

export interface KeyringOptions {
  /** Names the keyring in audit events and sealed exports. Default `'default'`. */
  id?: string;
  /** Algorithm for versions created by `generate`/`rotate`. Default `'aes-256-gcm'`. */
  algorithm?: Algorithm;
  /**
   * Encryptions allowed per key version before `VAULT_ERR_NONCE_BOUND_REACHED`.
   * Capped at the algorithm's safe bound (2^32 for AES-256-GCM with random
   * nonces); set it lower to force earlier rotation.
   */
  maxEncryptionsPerKey?: number;
  /** Source of key material and nonces. Default: node:crypto `randomBytes`. */
  randomBytes?: RandomSource;
  /** Source of `createdAt` timestamps. Default: `Date`. */
  clock?: Clock;
}

/**
 * Existing key material to load into a keyring (from a config secret, a key file, a sealed export).
 * @example
 * Keyring.fromKeys([{ version: 1, key: bytesFromSecret }])
 */
export interface KeyInput {
  readonly version: number;
  /** 32 bytes. Omitted only for a destroyed version. */
  readonly key?: Uint8Array;
  readonly algorithm?: Algorithm;
  /** Default: `'active'` for the primary, `'decrypt-only'` for the others. */
  readonly state?: KeyState;
  readonly createdAt?: number;
  readonly encryptions?: number;
}

const MAX_VERSION = 0xffff_ffff;

/**
 * Package-internal access to key material and counters. Not re-exported from
 * index.ts, so users cannot reach material through the public API; the
 * functions are installed by a static block because only code inside the
 * class body may read its #private fields.
 */
export interface KeyringAccess {
  /** The primary version, after counting one encryption against its bound. */
  reserveEncryption(ring: Keyring): KeyVersion;
  /** A version allowed to decrypt, or the precise reason it is not. */
  decryptionKey(ring: Keyring, version: number): KeyVersion;
  /** Fresh random bytes from the keyring's source (nonces). */
  random(ring: Keyring, size: number): Uint8Array;
  /** Every version with its material (for the sealed export; order is irrelevant: lookups go by version and versions() sorts). */
  entries(ring: Keyring): readonly KeyVersion[];
}

// Assigned once, by the static block in Keyring, before any importer can call it.
export let keyringAccess!: KeyringAccess;

function checkVersionNumber(version: unknown): number {
  // Number.isInteger is false for every non-number, so no typeof check is needed.
  const n = Number.isInteger(version) ? (version as number) : 0;
  if (n < 1 || n > MAX_VERSION) throw new VaultError('VAULT_ERR_INVALID_INPUT', 'key versions are integers from 1 to 2^32-1');
  return n;
}

/**
 * @example
 * const keyring = Keyring.generate();
 * const v2 = keyring.rotate();           // v2 encrypts, v1 still decrypts
 * keyring.setMinDecryptionVersion(v2);   // after rewrapping old rows
 * keyring.destroy(1);                    // material zeroed
 */
export class Keyring {
  readonly id: string;
  readonly #versions = new Map<number, KeyVersion>();
  readonly #algorithm: AlgorithmSpec;
  readonly #maxEncryptions: number;
  readonly #random: RandomSource;
  readonly #clock: Clock;
  #primary = 0;
  #minDecryption = 1;

  private constructor(options: KeyringOptions) {
    const id: unknown = options.id ?? 'default';
    // The id is sealed into exports (documentContext) and importKeyring reads it back as a string: any
    // other id made an export that cannot be imported, found out only when the backup was needed.
    if (typeof id !== 'string' || !id.isWellFormed()) throw new VaultError('VAULT_ERR_INVALID_INPUT', 'the keyring id must be a well-formed string');
    this.id = id;
    this.#algorithm = algorithmSpec(options.algorithm ?? 'aes-256-gcm');
    const max = options.maxEncryptionsPerKey ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new VaultError('VAULT_ERR_INVALID_INPUT', 'maxEncryptionsPerKey must be a positive safe integer');
    }
    this.#maxEncryptions = max;
    this.#random = options.randomBytes ?? defaultRandom;
    this.#clock = options.clock ?? systemClock;
  }

  /** A new keyring with one freshly generated primary version (1). */
  static generate(options: KeyringOptions = {}): Keyring {
    const ring = new Keyring(options);
    ring.#addNew(1, ring.#algorithm, 'active');
    ring.#primary = 1;
    return ring;
  }

  /**
   * A keyring from existing material. `primary` defaults to the highest
   * version that is not disabled or destroyed. Each entry is checked: an
   * unknown `state`, a `createdAt` that is not a finite number, or live
   * material of one repeated byte (a placeholder) is refused. A refusal leaves
   * nothing behind: material already copied for earlier versions is wiped.
   */
  static fromKeys(keys: readonly KeyInput[], options: KeyringOptions & { primary?: number; minDecryptionVersion?: number } = {}): Keyring {
    const ring = new Keyring(options);
    try {
      ring.#loadAll(checkKeyList(keys), options.primary, options.minDecryptionVersion);
      return ring;
    } catch (error) {
      // The versions loaded before the refusal hold copies of their material; the ring is never handed out,
      // so wipe them now rather than leave live keys to the garbage collector.
      for (const entry of ring.#versions.values()) entry.destroy();
      throw error;
    }
  }

  #loadAll(checked: readonly KeyInput[], primaryOption: number | undefined, minDecryptionVersion: number | undefined): void {
    const usable = checked.filter((k) => k.state !== 'disabled' && k.state !== 'destroyed').map((k) => k.version);
    const primary = primaryOption ?? Math.max(0, ...usable);
    for (const k of checked) this.#load(k, primary);
    const entry = this.#versions.get(primary);
    if (entry === undefined || entry.state !== 'active') {
      throw new VaultError('VAULT_ERR_KEY_STATE', `primary version ${primary} must exist and be usable`);
    }
    this.#primary = primary;
    this.#setMin(minDecryptionVersion ?? 1);
  }

  #load(k: KeyInput, primary: number): void {
    const version = checkVersionNumber(k.version);
    if (this.#versions.has(version)) throw new VaultError('VAULT_ERR_INVALID_KEY', `duplicate key version ${version}`);
    const spec = algorithmSpec(k.algorithm ?? this.#algorithm.name);
    const state = checkState(k.state, version) ?? (version === primary ? 'active' : 'decrypt-only');
    if (state === 'active' && version !== primary) {
      throw new VaultError('VAULT_ERR_KEY_STATE', `only the primary version may be active, not ${version}`);
    }
    const material = state === 'destroyed' ? new Uint8Array(spec.keyLength) : k.key;
    if (!(material instanceof Uint8Array) || material.length !== spec.keyLength) {
      throw new VaultError('VAULT_ERR_INVALID_KEY', `key version ${version} needs ${spec.keyLength} bytes of material`);
    }
    if (state !== 'destroyed') checkLiveMaterial(material, version);
    const encryptions = k.encryptions ?? 0;
    if (!Number.isSafeInteger(encryptions) || encryptions < 0) throw new VaultError('VAULT_ERR_INVALID_INPUT', 'encryptions must be a count');
    const createdAt = checkCreatedAt(k.createdAt, version) ?? this.#clock.now();
    // A destroyed version is loaded as all-zero material in the destroyed state: exactly what destroy() leaves.
    this.#add(version, spec, material, state, createdAt, encryptions);
  }

  /** Adds a version with fresh material. KeyVersion copies the material, so the random source's buffer is wiped here. */
  #addNew(version: number, spec: AlgorithmSpec, state: KeyState): KeyVersion {
    const key = this.#random(spec.keyLength);
    try {
      if (key.length !== spec.keyLength) throw new VaultError('VAULT_ERR_INVALID_KEY', 'randomBytes returned the wrong length');
      return this.#add(version, spec, key, state, this.#clock.now(), 0);
    } finally {
      key.fill(0);
    }
  }

  #add(version: number, spec: AlgorithmSpec, material: Uint8Array, state: KeyState, createdAt: number, encryptions: number): KeyVersion {
    const entry = new KeyVersion(version, spec, material, state, createdAt, encryptions);
    this.#versions.set(version, entry);
    return entry;
  }

  #event(op: string, version: number): void {
    // Stryker disable next-line ConditionalExpression: equivalent, publish() without subscribers is a no-op; the check only skips building the message
    if (keyringChannel.hasSubscribers) keyringChannel.publish({ op, keyringId: this.id, version });
  }

  /** The version new data is encrypted under. */
  get primaryVersion(): number {
    return this.#primary;
  }

  /** Versions below this refuse to decrypt (`VAULT_ERR_KEY_VERSION_RETIRED`). */
  get minDecryptionVersion(): number {
    return this.#minDecryption;
  }

  /** Secret-free description of every version, ascending. */
  versions(): KeyVersionInfo[] {
    return [...this.#versions.values()].sort((a, b) => a.version - b.version).map((v) => v.info());
  }

  /** Adds a new version, makes it primary, demotes the old primary to `decrypt-only`. Returns the new version. */
  rotate(options: { algorithm?: Algorithm } = {}): number {
    const spec = options.algorithm === undefined ? this.#algorithm : algorithmSpec(options.algorithm);
    const version = Math.max(...this.#versions.keys()) + 1;
    if (version > MAX_VERSION) throw new VaultError('VAULT_ERR_KEY_STATE', 'the keyring ran out of version numbers');
    // Stryker disable next-line StringLiteral: equivalent, #promote sets the new version's state to 'active' right away
    this.#promote(this.#addNew(version, spec, 'decrypt-only'));
    this.#event('rotate', version);
    return version;
  }

  /** Makes an existing `decrypt-only` version the primary (e.g. to roll back a rotation). */
  setPrimary(version: number): void {
    const entry = this.#get(version);
    if (entry.state === 'active') return;
    if (entry.state !== 'decrypt-only') throw new VaultError('VAULT_ERR_KEY_STATE', `version ${version} is ${entry.state}`);
    if (version < this.#minDecryption) throw new VaultError('VAULT_ERR_KEY_STATE', `version ${version} is below minDecryptionVersion`);
    this.#promote(entry);
    this.#event('set-primary', version);
  }

  #promote(entry: KeyVersion): void {
    this.#get(this.#primary).state = 'decrypt-only';
    entry.state = 'active';
    this.#primary = entry.version;
  }

  /** Temporarily refuses all use of a non-primary version; undo with `enable`. */
  disable(version: number): void {
    const entry = this.#nonPrimary(version, 'disable');
    if (entry.state === 'destroyed') throw new VaultError('VAULT_ERR_KEY_STATE', `version ${version} is destroyed`);
    entry.state = 'disabled';
    this.#event('disable', version);
  }

  /** Returns a disabled version to `decrypt-only`. */
  enable(version: number): void {
    const entry = this.#get(version);
    if (entry.state !== 'disabled') throw new VaultError('VAULT_ERR_KEY_STATE', `version ${version} is ${entry.state}, not disabled`);
    entry.state = 'decrypt-only';
    this.#event('enable', version);
  }

  /** Zeroes a non-primary version's material. Irreversible: data under it can never be decrypted again. */
  destroy(version: number): void {
    const entry = this.#nonPrimary(version, 'destroy');
    entry.destroy();
    this.#event('destroy', version);
  }

  /** Refuses decryption under versions below `version` (which may not exceed the primary). */
  setMinDecryptionVersion(version: number): void {
    this.#setMin(version);
    this.#event('set-min-decryption-version', version);
  }

  #setMin(version: number): void {
    checkVersionNumber(version);
    if (version > this.#primary) throw new VaultError('VAULT_ERR_KEY_STATE', 'minDecryptionVersion may not exceed the primary version');
    this.#minDecryption = version;
  }

  #get(version: number): KeyVersion {
    const entry = this.#versions.get(version);
    if (entry === undefined) throw new VaultError('VAULT_ERR_UNKNOWN_KEY_VERSION', `version ${String(version)}`);
    return entry;
  }

  #nonPrimary(version: number, op: string): KeyVersion {
    const entry = this.#get(version);
    if (version === this.#primary) throw new VaultError('VAULT_ERR_KEY_STATE', `cannot ${op} the primary version; rotate first`);
    return entry;
  }

  static {
    keyringAccess = {
      reserveEncryption(ring) {
        const entry = ring.#get(ring.#primary);
        entry.reserve(Math.min(ring.#maxEncryptions, entry.spec.safeMessageBound));
        return entry;
      },
      decryptionKey(ring, version) {
        const entry = ring.#get(version);
        if (entry.state === 'destroyed') throw new VaultError('VAULT_ERR_KEY_DESTROYED', `version ${version}`);
        if (entry.state === 'disabled') throw new VaultError('VAULT_ERR_KEY_DISABLED', `version ${version}`);
        if (version < ring.#minDecryption) throw new VaultError('VAULT_ERR_KEY_VERSION_RETIRED', `version ${version}`);
        return entry;
      },
      random: (ring, size) => ring.#random(size),
      entries: (ring) => [...ring.#versions.values()],
    };
  }

  toJSON(): { id: string; primaryVersion: number; minDecryptionVersion: number; versions: KeyVersionInfo[] } {
    return { id: this.id, primaryVersion: this.#primary, minDecryptionVersion: this.#minDecryption, versions: this.versions() };
  }

  [INSPECT](): string {
    return `Keyring { id: '${this.id}', primaryVersion: ${this.#primary}, versions: ${this.#versions.size}, material: [redacted] }`;
  }
}

