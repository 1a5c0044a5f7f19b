/**
 * How an empty environment variable (`PORT=`) is read. docker compose `.env` files,
 * Kubernetes manifests and shell scripts clear a variable by setting it to nothing,
 * and Spring, envalid users and dotenv-expand setups read that as "not set" for a
 * typed value: failing the load on `PORT=` (as this package did) forced operators to
 * delete the line instead. Text fields keep the empty text: it is a value there.
 */
import type { FieldSpec } from './field.ts';

// The feeders that deliver environment text. Their nested objects only hold variables that exist:
// they never write a section on their own, so they cannot make an optional section present either.
const TEXT_FEEDERS: ReadonlySet<string> = new Set(['env', 'dotenv']);

/**
 * True for a feeder kind whose values are environment text (`env`, `dotenv`).
 * @example isTextSource('dotenv') // true
 */
export function isTextSource(kind: string): boolean {
  return TEXT_FEEDERS.has(kind);
}

/**
 * True when a blank variable reads as unset for this field: every type but a string (the
 * empty string is a value), an array (it is the empty list, as `a,b` is two items) and an
 * enum that lists the blank text. Blank, not just empty: every other type trims its text,
 * so `PORT=" "` could never be a value either.
 * @example isBlankUnset(t.port().spec, '') // true; isBlankUnset(t.string().spec, '') // false
 */
export function isBlankUnset(spec: FieldSpec, raw: unknown): boolean {
  if (typeof raw !== 'string' || raw.trim() !== '') return false;
  if (spec.kind === 'string' || spec.kind === 'array') return false;
  return spec.kind !== 'enum' || !(spec.values as readonly string[]).includes(raw);
}
