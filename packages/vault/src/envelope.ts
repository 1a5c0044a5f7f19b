/**
 * Envelope encryption: every object gets its own random data key (DEK); the
 * DEK is wrapped by a key-encryption key (KEK) from a `KekProvider`. Rotating
 * the KEK then only rewraps small DEKs, never the data, and a remote KMS sees
 * one call per object instead of the data itself.
 *
 * Envelope format, version 1 (big-endian):
 *   u8 0x02 | u8 kekIdLength | kekId (UTF-8) | u16 wrappedLength | wrapped DEK
 *   | u8 algorithm id | nonce | ciphertext | 16-byte tag
 * Everything before the ciphertext is the header and is authenticated as
 * associated data together with the canonical context.
 */
import { ALGORITHMS, algorithmById, algorithmSpec, open, sealInto, type Algorithm, type AlgorithmSpec } from './aead.ts';
import { canonicalContext, concatBytes } from './context.ts';
import { VaultError } from './errors.ts';
import { fromText, toText } from './format.ts';
import { callKek, kekBytes, type KekProvider } from './kek.ts';
import { toBytes, toUtf8 } from './plaintext.ts';
import { defaultRandom, type RandomSource } from './random.ts';
import type { CryptOptions } from './vault.ts';

export const ENVELOPE_FORMAT = 2;
const WRAP_LABEL = new TextEncoder().encode('rampart.vault.envelope.v1');

export interface EnvelopeOptions {
  kek: KekProvider;
  /** Data algorithm. Default `'aes-256-gcm'` (one message per DEK, so no nonce bound applies). */
  algorithm?: Algorithm;
  randomBytes?: RandomSource;
}

interface ParsedEnvelope {
  kekId: string;
  wrapped: Uint8Array;
  spec: AlgorithmSpec;
  nonce: Uint8Array;
  header: Uint8Array;
  sealed: Uint8Array;
}

/** Refuses input that ends before `end`: every length field is checked before it is trusted. */
function need(bytes: Uint8Array, end: number): void {
  if (bytes.length < end) throw new VaultError('VAULT_ERR_TAMPERED', 'envelope is truncated');
}

function parseEnvelope(bytes: Uint8Array): ParsedEnvelope {
  need(bytes, 2);
  if (bytes[0] !== ENVELOPE_FORMAT) throw new VaultError('VAULT_ERR_MALFORMED_CIPHERTEXT', 'not an envelope');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idEnd = 2 + view.getUint8(1);
  need(bytes, idEnd + 2);
  const wrappedEnd = idEnd + 2 + view.getUint16(idEnd);
  need(bytes, wrappedEnd + 1);
  const spec = algorithmById(view.getUint8(wrappedEnd));
  if (spec === undefined) throw new VaultError('VAULT_ERR_MALFORMED_CIPHERTEXT', 'unknown algorithm id');
  const headerEnd = wrappedEnd + 1 + spec.nonceLength;
  need(bytes, headerEnd + spec.tagLength);
  return {
    kekId: new TextDecoder().decode(bytes.subarray(2, idEnd)),
    wrapped: bytes.subarray(idEnd + 2, wrappedEnd),
    spec,
    nonce: bytes.subarray(wrappedEnd + 1, headerEnd),
    header: bytes.subarray(0, headerEnd),
    sealed: bytes.subarray(headerEnd),
  };
}

function buildHeader(kekId: Uint8Array, wrapped: Uint8Array, spec: AlgorithmSpec, nonce: Uint8Array): Uint8Array {
  if (wrapped.length > 0xffff) throw new VaultError('VAULT_ERR_KEK_FAILED', 'wrapped data key longer than 65535 bytes');
  const lengths = new Uint8Array(2);
  new DataView(lengths.buffer).setUint16(0, wrapped.length);
  return concatBytes([Uint8Array.of(ENVELOPE_FORMAT, kekId.length), kekId, lengths, wrapped, Uint8Array.of(spec.id), nonce]);
}

/**
 * @example
 * const envelope = new EnvelopeEncryptor({ kek: LocalKekProvider.fromSecrets([{ version: 1, secret }]) });
 * const blob = await envelope.encrypt(document, { context: { bucket: 'invoices', object: id } });
 * const back = await envelope.decrypt(blob, { context: { bucket: 'invoices', object: id } });
 */
export class EnvelopeEncryptor {
  readonly #kek: KekProvider;
  readonly #kekId: Uint8Array;
  readonly #spec: AlgorithmSpec;
  readonly #random: RandomSource;

  constructor(options: EnvelopeOptions) {
    const text = String(options.kek?.id ?? '');
    const id = new TextEncoder().encode(text);
    // A lone surrogate encodes as U+FFFD: two KEK ids would share one envelope id (and an envelope of
    // the other KEK would reach this one's unwrapKey and fail as tampered, not as another KEK's).
    if (id.length === 0 || id.length > 255 || !text.isWellFormed()) throw new VaultError('VAULT_ERR_INVALID_INPUT', 'kek.id must be 1-255 bytes of UTF-8');
    this.#kek = options.kek;
    this.#kekId = id;
    this.#spec = algorithmSpec(options.algorithm ?? ALGORITHMS['aes-256-gcm'].name);
    this.#random = options.randomBytes ?? defaultRandom;
  }

  /** Encrypts under a fresh data key; returns the base64url text form. */
  async encrypt(plaintext: string | Uint8Array, options: CryptOptions = {}): Promise<string> {
    return toText(await this.encryptBytes(plaintext, options));
  }

  /** Encrypts under a fresh data key; returns the binary envelope. */
  async encryptBytes(plaintext: string | Uint8Array, options: CryptOptions = {}): Promise<Uint8Array> {
    const given = toBytes(plaintext, 'plaintext');
    const context = canonicalContext(options.context);
    // A copy taken before the KEK call: the caller may reuse its buffer while a KMS answers,
    // and the bytes sealed must be the ones given. The finally below wipes the copy.
    const data = new Uint8Array(given);
    // The random source's own buffer is the data key (no copy), so the finally below wipes the only copy.
    const dek = this.#random(this.#spec.keyLength);
    try {
      const returned = await callKek(this.#kek, 'wrapKey', () => this.#kek.wrapKey(dek, concatBytes([WRAP_LABEL, context])));
      const wrapped = kekBytes(this.#kek, 'wrapKey', returned);
      const nonce = this.#random(this.#spec.nonceLength);
      const header = buildHeader(this.#kekId, wrapped, this.#spec, nonce);
      const out = new Uint8Array(header.length + data.length + this.#spec.tagLength);
      out.set(header);
      sealInto(this.#spec, dek, nonce, data, concatBytes([header, context]), out, header.length);
      return out;
    } finally {
      dek.fill(0);
      data.fill(0);
    }
  }

  /** Decrypts either form; returns the plaintext bytes. */
  async decrypt(envelope: string | Uint8Array, options: CryptOptions = {}): Promise<Buffer> {
    const parsed = this.#parse(envelope);
    const context = canonicalContext(options.context);
    const dek = await this.#unwrap(parsed, context);
    try {
      return open(parsed.spec, dek, parsed.nonce, parsed.sealed, concatBytes([parsed.header, context]));
    } finally {
      dek.fill(0);
    }
  }

  /** Decrypts either form; returns UTF-8 text. */
  async decryptString(envelope: string | Uint8Array, options: CryptOptions = {}): Promise<string> {
    const bytes = await this.decrypt(envelope, options);
    try {
      return toUtf8(bytes);
    } finally {
      bytes.fill(0);
    }
  }

  /**
   * Re-wraps the data key under the KEK's current primary version and
   * re-encrypts the data under a fresh nonce. Returns the form it was given;
   * plaintext never leaves this method.
   */
  async rewrap<T extends string | Uint8Array>(envelope: T, options: CryptOptions = {}): Promise<T> {
    const plaintext = await this.decrypt(envelope, options);
    try {
      const bytes = await this.encryptBytes(plaintext, options);
      return (typeof envelope === 'string' ? toText(bytes) : bytes) as T;
    } finally {
      plaintext.fill(0);
    }
  }

  #parse(envelope: string | Uint8Array): ParsedEnvelope {
    const parsed = parseEnvelope(typeof envelope === 'string' ? fromText(envelope) : toBytes(envelope, 'envelope'));
    if (parsed.kekId !== new TextDecoder().decode(this.#kekId)) {
      throw new VaultError('VAULT_ERR_UNKNOWN_KEY_VERSION', `envelope was wrapped by KEK ${JSON.stringify(parsed.kekId)}`);
    }
    return parsed;
  }

  async #unwrap(parsed: ParsedEnvelope, context: Uint8Array): Promise<Uint8Array> {
    const returned = await callKek(this.#kek, 'unwrapKey', () => this.#kek.unwrapKey(parsed.wrapped, concatBytes([WRAP_LABEL, context])));
    const dek = kekBytes(this.#kek, 'unwrapKey', returned);
    if (dek.length !== parsed.spec.keyLength) {
      // Refused, but it may still be key material (a KMS answer of another format): wipe it like any data key.
      dek.fill(0);
      throw new VaultError('VAULT_ERR_TAMPERED');
    }
    return dek;
  }
}
