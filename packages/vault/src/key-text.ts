/**
 * Parsing master keys given as text (config secrets, key files). Accepts
 * base64, base64url or hex of exactly 32 bytes; anything else is refused
 * rather than stretched, because a password is not a key.
 */
import { VaultError } from './errors.ts';

const HEX = /^[0-9a-fA-F]{64}$/;
const B64 = /^[A-Za-z0-9+/_-]{43}={0,1}$/;

/** Decodes a 256-bit key from its text form. */
export function keyFromText(text: string): Buffer {
  const trimmed = text.trim();
  let key: Buffer;
  if (HEX.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  // Node's base64 decoder reads both alphabets, padded or not; B64 already refused everything else.
  else if (B64.test(trimmed)) key = Buffer.from(trimmed, 'base64');
  else throw new VaultError('VAULT_ERR_INVALID_KEY', 'a master key is 32 bytes as base64, base64url or hex');
  checkKeyBytes(key);
  return key;
}

/** Refuses keys of the wrong size or made of one repeated byte (an unfilled buffer, a placeholder). */
export function checkKeyBytes(key: Uint8Array): void {
  if (key.length !== 32) throw new VaultError('VAULT_ERR_INVALID_KEY', 'a master key is exactly 32 bytes');
  if (isPlaceholder(key)) throw new VaultError('VAULT_ERR_INVALID_KEY', 'a master key of one repeated byte is a placeholder, not a key');
}

/** True for material made of one repeated byte (all zeros: an unfilled buffer; all 0x41: an "AAAA..." placeholder). */
export function isPlaceholder(key: Uint8Array): boolean {
  return key.every((b) => b === key[0]);
}
