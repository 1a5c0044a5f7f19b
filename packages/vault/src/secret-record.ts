/**
 * The plaintext layout of one secret's record (all its versions), sealed as a
 * whole by the store. Values travel as bytes after a JSON metadata block, so
 * secret values never become JS strings that could not be wiped.
 *
 *   u32 metadataLength | metadata JSON | value bytes of each version, in order
 */
import { concatBytes } from './context.ts';
import { VaultError } from './errors.ts';

/**
 * One version in a secret's history (no value).
 * @example
 * (await store.history('payments', 'stripe-key')).at(-1)?.version
 */
export interface SecretVersionInfo {
  readonly version: number;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
}

export interface SecretRecord {
  /** Set by delete(); cleared by the next put(). */
  deletedAt: number | undefined;
  /** Highest version ever written, so numbers are never reused after trimming. */
  latest: number;
  versions: { version: number; createdAt: number; value: Uint8Array }[];
}

interface Metadata {
  deletedAt: number | null;
  latest: number;
  versions: { version: number; createdAt: number; length: number }[];
}

export function encodeRecord(record: SecretRecord): Uint8Array {
  const meta: Metadata = {
    deletedAt: record.deletedAt ?? null,
    latest: record.latest,
    versions: record.versions.map((v) => ({ version: v.version, createdAt: v.createdAt, length: v.value.length })),
  };
  const json = new TextEncoder().encode(JSON.stringify(meta));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, json.length);
  return concatBytes([length, json, ...record.versions.map((v) => v.value)]);
}

/** Decodes a record that was authenticated by the vault; shape errors here mean a bug or an incompatible writer. */
export function decodeRecord(bytes: Uint8Array): SecretRecord {
  try {
    const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
    const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + jsonLength))) as Metadata;
    let at = 4 + jsonLength;
    const versions = meta.versions.map((v) => {
      const value = new Uint8Array(bytes.subarray(at, at + v.length));
      at += v.length;
      return { version: v.version, createdAt: v.createdAt, value };
    });
    return { deletedAt: meta.deletedAt ?? undefined, latest: meta.latest, versions };
  } catch (cause) {
    throw new VaultError('VAULT_ERR_STORAGE', 'secret record has an unknown layout', { cause });
  }
}
