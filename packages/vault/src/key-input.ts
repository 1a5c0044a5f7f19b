/**
 * Checks of `Keyring.fromKeys` input. Keys come from outside the keyring
 * (config, key files, JS callers without types), so each field is checked
 * before a version is built from it: a state outside the four documented ones
 * used to be kept and decrypt ('Disabled' for 'disabled'), a text createdAt
 * was kept as is, and a null entry crashed with a TypeError.
 */
import { VaultError } from './errors.ts';
import { isPlaceholder } from './key-text.ts';
import type { KeyState } from './key-version.ts';
import type { KeyInput } from './keyring.ts';

const STATES: readonly unknown[] = ['active', 'decrypt-only', 'disabled', 'destroyed'] satisfies KeyState[];

/** The list itself: an array of objects, at least one. Fields are checked per version (`checkState`, ...). */
export function checkKeyList(keys: unknown): readonly KeyInput[] {
  if (!Array.isArray(keys)) throw new VaultError('VAULT_ERR_INVALID_INPUT', 'keys must be an array of { version, key } entries');
  if (keys.length === 0) throw new VaultError('VAULT_ERR_INVALID_KEY', 'a keyring needs at least one key');
  for (const [index, entry] of keys.entries()) {
    if (typeof entry !== 'object' || entry === null) throw new VaultError('VAULT_ERR_INVALID_INPUT', `keys[${index}] must be an object { version, key }`);
  }
  return keys as readonly KeyInput[];
}

/** One of the four documented states, or undefined for the default. */
export function checkState(state: unknown, version: number): KeyState | undefined {
  if (state === undefined || STATES.includes(state)) return state as KeyState | undefined;
  // Only a string is quoted: anything else is named by its type (its text could be anything, even [object Object]).
  const shown = typeof state === 'string' ? JSON.stringify(state) : `of type ${state === null ? 'null' : typeof state}`;
  throw new VaultError('VAULT_ERR_INVALID_INPUT', `key version ${version} has state ${shown}; expected active, decrypt-only, disabled or destroyed`);
}

/** Milliseconds since the epoch, or undefined for "now". */
export function checkCreatedAt(createdAt: unknown, version: number): number | undefined {
  if (createdAt === undefined || Number.isFinite(createdAt)) return createdAt as number | undefined;
  throw new VaultError('VAULT_ERR_INVALID_INPUT', `key version ${version} createdAt must be a finite number (milliseconds since the epoch)`);
}

/** The placeholder check master keys get (key-text.ts), for the material of a live version. */
export function checkLiveMaterial(material: Uint8Array, version: number): void {
  if (isPlaceholder(material)) throw new VaultError('VAULT_ERR_INVALID_KEY', `key version ${version} is one repeated byte: a placeholder, not a key`);
}
