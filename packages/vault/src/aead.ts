/**
 * The AEAD layer: the only place that touches cipher primitives. AES-256-GCM
 * comes from node:crypto (OpenSSL), XChaCha20-Poly1305 from the audited
 * @noble/ciphers; nothing here is hand-written cryptography. Takes an explicit
 * nonce so the known-answer tests can drive it; the vault always passes a
 * fresh random one.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { VaultError } from './errors.ts';

/** Supported AEAD algorithms. */
export type Algorithm = 'aes-256-gcm' | 'xchacha20-poly1305';

export interface AlgorithmSpec {
  readonly name: Algorithm;
  /** One byte in the ciphertext header. */
  readonly id: number;
  readonly keyLength: number;
  readonly nonceLength: number;
  readonly tagLength: number;
  /**
   * Messages per key before random nonces risk a collision. AES-GCM: 2^32 per
   * NIST SP 800-38D §8.3 for 96-bit random IVs. XChaCha20: 192-bit nonces make
   * collisions negligible far beyond any counter we can hold, so the bound is
   * the largest exact integer.
   */
  readonly safeMessageBound: number;
}

export const ALGORITHMS: Readonly<Record<Algorithm, AlgorithmSpec>> = {
  'aes-256-gcm': { name: 'aes-256-gcm', id: 1, keyLength: 32, nonceLength: 12, tagLength: 16, safeMessageBound: 2 ** 32 },
  'xchacha20-poly1305': {
    name: 'xchacha20-poly1305',
    id: 2,
    keyLength: 32,
    nonceLength: 24,
    tagLength: 16,
    safeMessageBound: Number.MAX_SAFE_INTEGER,
  },
};

/** Looks up an algorithm by its header id; undefined for ids this version does not know. */
export function algorithmById(id: number): AlgorithmSpec | undefined {
  if (id === ALGORITHMS['aes-256-gcm'].id) return ALGORITHMS['aes-256-gcm'];
  if (id === ALGORITHMS['xchacha20-poly1305'].id) return ALGORITHMS['xchacha20-poly1305'];
  return undefined;
}

/** Validates an algorithm name coming from user options or a document. */
export function algorithmSpec(name: unknown): AlgorithmSpec {
  if (name === 'aes-256-gcm' || name === 'xchacha20-poly1305') return ALGORITHMS[name];
  throw new VaultError('VAULT_ERR_INVALID_KEY', `unsupported algorithm ${JSON.stringify(String(name))}`);
}

// Only 256-bit keys and the algorithm's nominal nonce are accepted: other GCM
// key/IV sizes are legal in the spec but weaker (short IVs) or GHASH-derived
// (long IVs) and the vault never produces them, so refusing them shrinks the
// attack surface (see the Wycheproof SmallIv / LongIv / ZeroLengthIv notes).
function checkParams(spec: AlgorithmSpec, key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== spec.keyLength) {
    throw new VaultError('VAULT_ERR_INVALID_KEY', `${spec.name} needs a ${spec.keyLength * 8}-bit key`);
  }
  if (nonce.length !== spec.nonceLength) {
    throw new VaultError('VAULT_ERR_INVALID_INPUT', `${spec.name} needs a ${spec.nonceLength * 8}-bit nonce`);
  }
}

/**
 * Encrypts `plaintext` and writes `ciphertext || tag` (`plaintext.length + 16`
 * bytes) into `out` at `offset`, so callers can place a header in front
 * without a second copy.
 */
export function sealInto(
  spec: AlgorithmSpec,
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
  out: Uint8Array,
  offset: number,
): void {
  checkParams(spec, key, nonce);
  if (spec.name === 'aes-256-gcm') {
    // Stryker disable next-line ObjectLiteral: equivalent, 16 bytes is also node's default GCM tag length; kept explicit as the format's contract
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: spec.tagLength });
    cipher.setAAD(aad);
    const body = cipher.update(plaintext);
    out.set(body, offset);
    // GCM is a stream mode: final() emits no bytes (body has the plaintext's length), it only computes the tag.
    cipher.final();
    out.set(cipher.getAuthTag(), offset + body.length);
    return;
  }
  out.set(xchacha20poly1305(key, nonce, aad).encrypt(plaintext), offset);
}

/**
 * Encrypts and returns `ciphertext || tag`.
 * @internal exported for the known-answer tests and the envelope layer.
 */
export function seal(spec: AlgorithmSpec, key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const out = new Uint8Array(plaintext.length + spec.tagLength);
  sealInto(spec, key, nonce, plaintext, aad, out, 0);
  return out;
}

/**
 * Verifies and decrypts `sealed = ciphertext || tag`. Every authentication
 * failure becomes one `VAULT_ERR_TAMPERED` with no detail: the caller must not
 * learn which byte or check failed.
 */
export function open(spec: AlgorithmSpec, key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer {
  checkParams(spec, key, nonce);
  // Declared out here so the catch can wipe it: update() hands out the plaintext before final() checks the tag.
  let body: Buffer | undefined;
  try {
    // A body shorter than the tag needs no check of its own: setAuthTag (wrong tag
    // length) and @noble/ciphers both throw on it, and the catch makes that TAMPERED.
    if (spec.name === 'aes-256-gcm') {
      const split = sealed.length - spec.tagLength;
      // Stryker disable next-line ObjectLiteral: equivalent, the tag passed to setAuthTag below is always exactly 16 bytes; pinned so a short tag can never be accepted
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: spec.tagLength });
      decipher.setAAD(aad);
      decipher.setAuthTag(sealed.subarray(split));
      body = decipher.update(sealed.subarray(0, split));
      // GCM is a stream mode: final() emits no bytes, it only verifies the tag.
      decipher.final();
      return body;
    }
    // @noble/ciphers checks the tag before it decrypts, so a failure leaves no plaintext behind on this path.
    const plain = xchacha20poly1305(key, nonce, aad).decrypt(sealed);
    return Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
  } catch (cause) {
    // A failed tag leaves real plaintext in `body` (right key, forged or misbound data): never let it outlive the call.
    body?.fill(0);
    // The library's own message ("Unsupported state or unable to authenticate
    // data", "invalid tag") is kept only as `cause` for debugging; it names no secret.
    throw new VaultError('VAULT_ERR_TAMPERED', undefined, { cause });
  }
}
