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
const NONE = Uint8Array.of(KIND_NONE);

function valueText(key: string, value: unknown): string {
  // A lone surrogate would encode as U+FFFD and collide with a context that really contains U+FFFD.
  // Keys are UTF-8 encoded just like values, so the same holds for them.
  if (!key.isWellFormed()) throw new VaultError('VAULT_ERR_INVALID_CONTEXT', `context key ${JSON.stringify(key)} must be a well-formed string`);
  if (typeof value === 'string' && value.isWellFormed()) return value;
  if (typeof value === 'bigint') return value.toString(10);
  if (Number.isSafeInteger(value)) return String(value);
  throw new VaultError('VAULT_ERR_INVALID_CONTEXT', `context field ${JSON.stringify(key)} must be a well-formed string, a safe integer or a bigint`);
}

function encodeRecord(context: object): Uint8Array {
  // Sorted by UTF-16 code units: deterministic and independent of insertion order.
  const fields = Object.keys(context)
    .sort()
    .map((key) => [key, valueText(key, (context as Record<string, unknown>)[key])] as const);
  let size = 5;
  for (const [k, v] of fields) size += 8 + Buffer.byteLength(k) + Buffer.byteLength(v);
  // One allocation, written in place: this runs on every encrypt and decrypt with a context.
  const out = Buffer.allocUnsafe(size);
  out[0] = KIND_RECORD;
  out.writeUInt32BE(fields.length, 1);
  let at = 5;
  for (const [k, v] of fields) {
    for (const text of [k, v]) {
      const length = out.write(text, at + 4);
      out.writeUInt32BE(length, at);
      at += 4 + length;
    }
  }
  return out;
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
  // Plain objects only. null has no prototype to read; primitives (their wrapper's
  // prototype), arrays, Dates and class instances all have a foreign one.
  const proto: unknown = context === null ? undefined : Object.getPrototypeOf(context);
  if (proto !== Object.prototype && proto !== null) {
    throw new VaultError('VAULT_ERR_INVALID_CONTEXT', 'context must be a plain object or a Uint8Array');
  }
  // The encoding reads Object.keys, which skips symbol keys and non-enumerable properties: such a
  // field would be left out of the associated data, and contexts differing only in it would collide.
  if (Reflect.ownKeys(context).length !== Object.keys(context).length) {
    throw new VaultError('VAULT_ERR_INVALID_CONTEXT', 'context fields must be enumerable string keys');
  }
  return encodeRecord(context);
}
