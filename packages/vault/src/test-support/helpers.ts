/** Shared helpers for the vault's own tests (excluded from coverage and from the build). */
import { VAULT_ERRORS, isVaultError } from '../errors.ts';

/** Runs `fn` and returns the vault error code it threw, or a descriptive string otherwise. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return isVaultError(e) ? e.code : `non-vault error: ${String(e)}`;
  }
  return 'no error';
}

/** Async version of `codeOf`. */
export async function codeOfAsync(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    return isVaultError(e) ? e.code : `non-vault error: ${String(e)}`;
  }
  return 'no error';
}

/** A deterministic counter-based byte source (NOT random): distinct outputs, reproducible tests. */
export function counterRandom(seed = 1): (size: number) => Uint8Array {
  let n = seed;
  return (size) => {
    const out = new Uint8Array(size);
    let v = n++;
    for (let i = size - 1; i >= 0 && v > 0; i--) {
      out[i] = v & 0xff;
      v = Math.floor(v / 256);
    }
    out[0] = (out[0] as number) ^ 0xa5; // never an all-equal-bytes key
    return out;
  };
}

/** XORs `mask` into `bytes[at]` in place. */
export function flip(bytes: Uint8Array, at: number, mask: number): void {
  bytes[at] = (bytes[at] as number) ^ mask;
}

/**
 * Runs `fn` and returns `CODE: detail`, the detail being the message after the code's
 * registry text (empty when the error carries none), so tests pin both code and wording.
 */
export function failureOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return describeFailure(e);
  }
  return 'no error';
}

/** Async version of `failureOf`. */
export async function failureOfAsync(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    return describeFailure(e);
  }
  return 'no error';
}

function describeFailure(e: unknown): string {
  if (!isVaultError(e)) return `non-vault error: ${String(e)}`;
  const base = VAULT_ERRORS[e.code].message;
  if (e.message === base) return `${e.code}: `;
  return e.message.startsWith(`${base}: `) ? `${e.code}: ${e.message.slice(base.length + 2)}` : `${e.code} with foreign message: ${e.message}`;
}
