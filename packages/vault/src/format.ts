/**
 * The vault ciphertext format, version 1 (all integers big-endian):
 *
 *   offset 0  u8   format version (1)
 *   offset 1  u8   algorithm id (1 = AES-256-GCM, 2 = XChaCha20-Poly1305)
 *   offset 2  u32  key version
 *   offset 6  nonce (12 or 24 bytes, fixed by the algorithm)
 *   then      ciphertext (same length as the plaintext), then the 16-byte tag
 *
 * The whole header (offsets 0..6+nonce) is part of the associated data, so a
 * header cannot be swapped or edited without failing authentication (Tink's
 * prefix, by contrast, is not authenticated). The text form is the same bytes
 * in unpadded base64url.
 */
import { algorithmById, type AlgorithmSpec } from './aead.ts';
import { VaultError } from './errors.ts';

export const FORMAT_VERSION = 1;
/** Bytes before the nonce: version, algorithm, key version. */
export const FIXED_HEADER = 6;

export interface ParsedCiphertext {
  readonly spec: AlgorithmSpec;
  readonly keyVersion: number;
  readonly nonce: Uint8Array;
  /** Everything up to and including the nonce: authenticated as associated data. */
  readonly header: Uint8Array;
  /** ciphertext || tag */
  readonly sealed: Uint8Array;
}

/** Writes a header (`FIXED_HEADER + nonce.length` bytes) into `out`, which must have room for it. */
export function writeHeader(out: Uint8Array, spec: AlgorithmSpec, keyVersion: number, nonce: Uint8Array): void {
  out[0] = FORMAT_VERSION;
  out[1] = spec.id;
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(2, keyVersion);
  out.set(nonce, FIXED_HEADER);
}

/** Refuses input that ends before `end`: a truncation, reported like any other tampering. */
function need(bytes: Uint8Array, end: number): void {
  if (bytes.length < end) throw new VaultError('VAULT_ERR_TAMPERED', 'ciphertext is truncated');
}

/**
 * Splits a binary ciphertext into its parts. Unknown format or algorithm ids
 * are `VAULT_ERR_MALFORMED_CIPHERTEXT`; input too short to hold a header and
 * a tag is `VAULT_ERR_TAMPERED` (a truncation).
 */
export function parseCiphertext(bytes: Uint8Array): ParsedCiphertext {
  need(bytes, 2);
  if (bytes[0] !== FORMAT_VERSION) throw new VaultError('VAULT_ERR_MALFORMED_CIPHERTEXT', `unknown format version ${String(bytes[0])}`);
  const spec = algorithmById(bytes[1] as number);
  if (spec === undefined) throw new VaultError('VAULT_ERR_MALFORMED_CIPHERTEXT', `unknown algorithm id ${String(bytes[1])}`);
  const headerLength = FIXED_HEADER + spec.nonceLength;
  need(bytes, headerLength + spec.tagLength);
  const keyVersion = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(2);
  return {
    spec,
    keyVersion,
    nonce: bytes.subarray(FIXED_HEADER, headerLength),
    header: bytes.subarray(0, headerLength),
    sealed: bytes.subarray(headerLength),
  };
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Unpadded base64url of `bytes`. */
export function toText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Strict unpadded base64url decoding. Node's decoder silently skips bad
 * characters and ignores stray low bits in the last character; both would let
 * two different strings decode to the same ciphertext, so both are refused.
 */
export function fromText(text: string): Buffer {
  const rest = text.length % 4;
  if (!BASE64URL.test(text) || rest === 1) {
    throw new VaultError('VAULT_ERR_MALFORMED_CIPHERTEXT', 'text form must be unpadded base64url');
  }
  if (rest !== 0) {
    const last = ALPHABET.indexOf(text.charAt(text.length - 1));
    const unused = rest === 2 ? 0b1111 : 0b11;
    if ((last & unused) !== 0) throw new VaultError('VAULT_ERR_MALFORMED_CIPHERTEXT', 'text form is not canonical base64url');
  }
  return Buffer.from(text, 'base64url');
}
