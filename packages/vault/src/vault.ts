/**
 * The everyday API: encrypt and decrypt values with a keyring, in the compact
 * base64url text form (for database columns, cookies, URLs) or as bytes.
 */
import { openWithKeyring, sealWithKeyring } from './cipher.ts';
import type { EncryptionContext } from './context.ts';
import { fromText, parseCiphertext, toText } from './format.ts';
import { Keyring, type KeyringOptions } from './keyring.ts';
import { toBytes, toUtf8 } from './plaintext.ts';
import { VaultError } from './errors.ts';
import { INSPECT } from './redact.ts';

/**
 * Either a ready `keyring`, or the options of the keyring to generate; not both
 * (`VAULT_ERR_INVALID_INPUT`): options next to a keyring could not apply to it.
 */
export interface VaultOptions extends KeyringOptions {
  /** The keyring to use. Default: a new keyring with one generated key (process memory only). */
  keyring?: Keyring;
}

// Every KeyringOptions key: a ready keyring has its own, fixed when it was created.
const KEYRING_OPTIONS = ['id', 'algorithm', 'maxEncryptionsPerKey', 'randomBytes', 'clock'] as const satisfies readonly (keyof KeyringOptions)[];
// Fails to compile when KeyringOptions gains an option the list above does not name (it would be ignored again).
type _EveryKeyringOption<T extends never = Exclude<keyof KeyringOptions, (typeof KEYRING_OPTIONS)[number]>> = T;

/** The keyring to use; refuses keyring options next to a ready one, which used to be ignored without a word. */
function keyringOf(options: VaultOptions): Keyring {
  if (options.keyring === undefined) return Keyring.generate(options);
  const given = KEYRING_OPTIONS.filter((name) => options[name] !== undefined);
  if (given.length > 0) {
    throw new VaultError('VAULT_ERR_INVALID_INPUT', `keyring options (${given.join(', ')}) cannot be combined with a ready keyring: set them when creating it`);
  }
  return options.keyring;
}

/** Per-call options for encrypt, decrypt and rewrap. */
export interface CryptOptions {
  /** Where the value lives; must be the same to decrypt. See `EncryptionContext`. */
  context?: EncryptionContext;
}

function ciphertextBytes(ciphertext: string | Uint8Array): Uint8Array {
  return typeof ciphertext === 'string' ? fromText(ciphertext) : toBytes(ciphertext, 'ciphertext');
}

/**
 * @example
 * const vault = new Vault();
 * const token = vault.encrypt('123-45-6789', { context: { table: 'users', column: 'ssn', row: 42 } });
 * vault.decryptString(token, { context: { table: 'users', column: 'ssn', row: 42 } }); // '123-45-6789'
 */
export class Vault {
  readonly keyring: Keyring;

  constructor(options: VaultOptions = {}) {
    this.keyring = keyringOf(options);
  }

  /** Encrypts under the primary key; returns the unpadded base64url text form. */
  encrypt(plaintext: string | Uint8Array, options: CryptOptions = {}): string {
    return toText(sealWithKeyring(this.keyring, toBytes(plaintext, 'plaintext'), options.context));
  }

  /** Encrypts under the primary key; returns the binary form (for BYTEA/BLOB columns). */
  encryptBytes(plaintext: string | Uint8Array, options: CryptOptions = {}): Uint8Array {
    return sealWithKeyring(this.keyring, toBytes(plaintext, 'plaintext'), options.context);
  }

  /** Decrypts either form and returns the plaintext bytes. */
  decrypt(ciphertext: string | Uint8Array, options: CryptOptions = {}): Buffer {
    return openWithKeyring(this.keyring, ciphertextBytes(ciphertext), options.context).plaintext;
  }

  /** Decrypts either form and returns the plaintext as UTF-8 text. */
  decryptString(ciphertext: string | Uint8Array, options: CryptOptions = {}): string {
    const bytes = this.decrypt(ciphertext, options);
    try {
      return toUtf8(bytes);
    } finally {
      bytes.fill(0);
    }
  }

  /**
   * Re-encrypts under the primary key without handing plaintext to the caller;
   * returns the same form it was given. A ciphertext already under the primary
   * is authenticated and returned unchanged, so rewrap is idempotent and
   * spends no nonce budget.
   * @example
   * row.ssn = vault.rewrap(row.ssn, { context }); // after keyring.rotate()
   */
  rewrap<T extends string | Uint8Array>(ciphertext: T, options: CryptOptions = {}): T {
    const bytes = ciphertextBytes(ciphertext);
    const { plaintext, keyVersion } = openWithKeyring(this.keyring, bytes, options.context);
    try {
      if (keyVersion === this.keyring.primaryVersion) return ciphertext;
      const sealed = sealWithKeyring(this.keyring, plaintext, options.context);
      return (typeof ciphertext === 'string' ? toText(sealed) : sealed) as T;
    } finally {
      plaintext.fill(0);
    }
  }

  /** The key version a ciphertext claims in its header (unauthenticated until decrypted). */
  keyVersionOf(ciphertext: string | Uint8Array): number {
    return parseCiphertext(ciphertextBytes(ciphertext)).keyVersion;
  }

  toJSON(): { keyring: ReturnType<Keyring['toJSON']> } {
    return { keyring: this.keyring.toJSON() };
  }

  [INSPECT](): string {
    return `Vault { keyring: '${this.keyring.id}', primaryVersion: ${this.keyring.primaryVersion} }`;
  }
}

/**
 * Zero-config vault with a freshly generated key (kept in memory only: data
 * encrypted with it is unreadable after the process exits unless you persist
 * the keyring, see `exportKeyring`).
 * @example
 * const vault = createVault();
 * vault.decryptString(vault.encrypt('hello')); // 'hello'
 */
export function createVault(options: VaultOptions = {}): Vault {
  return new Vault(options);
}
