/**
 * One version of a key: its material, lifecycle state and usage counter.
 * Internal: the public API only ever sees `KeyVersionInfo` (no material).
 */
import type { AlgorithmSpec, Algorithm } from './aead.ts';
import { VaultError } from './errors.ts';
import { INSPECT, REDACTED } from './redact.ts';

/**
 * `active`: the primary, encrypts and decrypts. `decrypt-only`: an older version
 * kept to read old data. `disabled`: temporarily refuses everything (reversible).
 * `destroyed`: material zeroed, data under it is gone (irreversible).
 */
export type KeyState = 'active' | 'decrypt-only' | 'disabled' | 'destroyed';

/**
 * Public, secret-free description of a key version.
 * @example
 * keyring.versions().filter((v) => v.state === 'decrypt-only').map((v) => v.version)
 */
export interface KeyVersionInfo {
  readonly version: number;
  readonly algorithm: Algorithm;
  readonly state: KeyState;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /** Encryptions performed with this version (counts toward the nonce bound). */
  readonly encryptions: number;
}

export class KeyVersion {
  readonly version: number;
  readonly spec: AlgorithmSpec;
  readonly createdAt: number;
  state: KeyState;
  #encryptions: number;
  readonly #material: Buffer;

  /** Copies `material` into a dedicated (unpooled) Buffer so zeroing it wipes the only copy we own. */
  constructor(version: number, spec: AlgorithmSpec, material: Uint8Array, state: KeyState, createdAt: number, encryptions: number) {
    this.version = version;
    this.spec = spec;
    this.state = state;
    this.createdAt = createdAt;
    this.#encryptions = encryptions;
    this.#material = Buffer.allocUnsafeSlow(material.length);
    this.#material.set(material);
  }

  /** Key bytes, for the AEAD layer only. Throws once the version is destroyed. */
  get material(): Buffer {
    if (this.state === 'destroyed') throw new VaultError('VAULT_ERR_KEY_DESTROYED', `key version ${this.version}`);
    return this.#material;
  }

  /**
   * Counts one encryption before it happens, refusing past `bound`: counting
   * first means a failed encryption over-counts, which is the safe direction.
   */
  reserve(bound: number): void {
    if (this.#encryptions >= bound) {
      throw new VaultError(
        'VAULT_ERR_NONCE_BOUND_REACHED',
        `key version ${this.version} performed ${this.#encryptions} encryptions (bound ${bound}); call rotate()`,
      );
    }
    this.#encryptions += 1;
  }

  destroy(): void {
    this.#material.fill(0);
    this.state = 'destroyed';
  }

  info(): KeyVersionInfo {
    return { version: this.version, algorithm: this.spec.name, state: this.state, createdAt: this.createdAt, encryptions: this.#encryptions };
  }

  toJSON(): KeyVersionInfo {
    return this.info();
  }

  [INSPECT](): string {
    return `KeyVersion { version: ${this.version}, state: '${this.state}', material: ${REDACTED} }`;
  }
}
