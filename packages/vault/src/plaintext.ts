/**
 * Plaintext conversions. Strings must be well-formed UTF-16 so that decrypting
 * gives back exactly what was encrypted (a lone surrogate would silently turn
 * into U+FFFD).
 */
import { VaultError } from './errors.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes of a plaintext given as a string (UTF-8) or bytes (as is). */
export function toBytes(value: unknown, what: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') {
    if (!value.isWellFormed()) throw new VaultError('VAULT_ERR_INVALID_INPUT', `${what} string contains a lone surrogate`);
    return encoder.encode(value);
  }
  throw new VaultError('VAULT_ERR_INVALID_INPUT', `${what} must be a string or a Uint8Array`);
}

/** UTF-8 decoding that refuses invalid sequences instead of inventing characters. */
export function toUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new VaultError('VAULT_ERR_INVALID_INPUT', 'plaintext is not valid UTF-8; use decrypt() for bytes', { cause });
  }
}
