/**
 * Context binding: a ciphertext is sealed for a place (`{ table, column, row }`)
 * and that place is authenticated as associated data, so a value copied to
 * another row or column no longer decrypts. The encoding is canonical: the same
 * context always yields the same bytes whatever the key order, and two different
 * contexts never yield the same bytes (every field is length-prefixed).
 */
import { VaultError } from './errors.ts';

/** A context value: strings, or integers (encoded as their decimal string, so `42` and `'42'` are the same context). */
export type ContextValue = string | number | bigint;

/**
 * Where a value lives, bound into the ciphertext as associated data. Either a
 * flat record (canonicalised) or raw associated-data bytes.
 * @example
 * vault.encrypt(ssn, { context: { table: 'users', column: 'ssn', row: 42 } });
 */
export type EncryptionContext = Readonly<Record<string, ContextValue>> | Uint8Array;

const KIND_NONE = 0;
const KIND_RECORD = 1;
const KIND_BYTES = 2;
const encoder = new TextEncoder();
const NONE = Uint8Array.of(KIND_NONE);

function valueText(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString(10);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new VaultError('VAULT_ERR_INVALID_CONTEXT', `context field ${JSON.stringify(key)} must be a string, a safe integer or a bigint`);
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

function encodeRecord(context: object): Uint8Array {
  if (Array.isArray(context) || Object.getPrototypeOf(context) !== Object.prototype && Object.getPrototypeOf(context) !== null) {
    throw new VaultError('VAULT_ERR_INVALID_CONTEXT', 'context must be a plain object or a Uint8Array');
  }
  // Sorted by UTF-16 code units: deterministic and independent of insertion order.
  const keys = Object.keys(context).sort();
  const parts: Uint8Array[] = [Uint8Array.of(KIND_RECORD), u32(keys.length)];
  for (const key of keys) {
    const k = encoder.encode(key);
    const v = encoder.encode(valueText(key, (context as Record<string, unknown>)[key]));
    parts.push(u32(k.length), k, u32(v.length), v);
  }
  return concatBytes(parts);
}

/** Concatenates byte arrays into one fresh Uint8Array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Canonical associated-data bytes for a context. A leading kind byte keeps the
 * three forms (none, record, raw bytes) from ever colliding.
 * @example
 * canonicalContext({ row: 42, table: 'users' }) // equals canonicalContext({ table: 'users', row: '42' })
 */
export function canonicalContext(context: EncryptionContext | undefined): Uint8Array {
  if (context === undefined) return NONE;
  if (context instanceof Uint8Array) return concatBytes([Uint8Array.of(KIND_BYTES), context]);
  if (typeof context !== 'object' || context === null) {
    throw new VaultError('VAULT_ERR_INVALID_CONTEXT', 'context must be a plain object or a Uint8Array');
  }
  return encodeRecord(context);
}
