/**
 * The one error registry of @rampart/vault. Codes are stable API: users match
 * on `code`, never on the message, and a retired code is never reused.
 * Messages never contain key material, plaintext or ciphertext bytes.
 */

/** Error categories shared with the core taxonomy (kept as strings so the vault needs no runtime import). */
export type ErrorCategory = 'config' | 'validation' | 'dependency' | 'lifecycle' | 'security';

interface CodeSpec {
  readonly message: string;
  readonly category: ErrorCategory;
}

/**
 * Every error code the vault can raise, with its default message and category.
 * @example
 * if (err.code === VaultErrorCodes.VAULT_ERR_NONCE_BOUND_REACHED) keyring.rotate();
 */
export const VAULT_ERRORS = {
  VAULT_ERR_TAMPERED: {
    message: 'Decryption failed: the ciphertext was modified or truncated, or it was opened under a different context or key',
    category: 'security',
  },
  VAULT_ERR_MALFORMED_CIPHERTEXT: {
    message: 'Input is not a vault ciphertext of a format this vault understands',
    category: 'validation',
  },
  VAULT_ERR_UNKNOWN_KEY_VERSION: { message: 'The ciphertext names a key version this keyring does not hold', category: 'security' },
  VAULT_ERR_KEY_DISABLED: { message: 'The key version is disabled; enable it to decrypt', category: 'security' },
  VAULT_ERR_KEY_DESTROYED: { message: 'The key version was destroyed; its data cannot be decrypted', category: 'security' },
  VAULT_ERR_KEY_VERSION_RETIRED: {
    message: 'The key version is below minDecryptionVersion and may no longer decrypt',
    category: 'security',
  },
  VAULT_ERR_NONCE_BOUND_REACHED: {
    message: 'The primary key version reached its safe encryption bound for random nonces; call rotate() on the keyring',
    category: 'security',
  },
  VAULT_ERR_INVALID_CONTEXT: { message: 'The encryption context cannot be canonicalised', category: 'validation' },
  VAULT_ERR_INVALID_INPUT: { message: 'Invalid input', category: 'validation' },
  VAULT_ERR_INVALID_KEY: { message: 'Invalid key material or key source', category: 'config' },
  VAULT_ERR_KEY_STATE: { message: 'The keyring operation is not allowed in the key version current state', category: 'lifecycle' },
  VAULT_ERR_KEY_FILE: { message: 'The key file cannot be used', category: 'config' },
  VAULT_ERR_KEYRING_DOCUMENT: { message: 'The sealed keyring document is malformed or unsupported', category: 'validation' },
  VAULT_ERR_KEK_FAILED: { message: 'The key-encryption-key provider failed', category: 'dependency' },
  VAULT_ERR_STORAGE: { message: 'The secret storage backend failed', category: 'dependency' },
  VAULT_ERR_REWRAP_INCOMPLETE: {
    message: 'Some records could not be rewrapped under the primary key version; every other record was',
    category: 'security',
  },
  VAULT_ERR_INVALID_SECRET_NAME: {
    message: 'Secret namespaces and names are 1-128 characters of [A-Za-z0-9._-] and not "." or ".."',
    category: 'validation',
  },
} as const satisfies Record<string, CodeSpec>;

/** A stable vault error code. */
export type VaultErrorCode = keyof typeof VAULT_ERRORS;

const BRAND = Symbol.for('rampart.error');

/**
 * Every error thrown by the vault. Branded with `Symbol.for('rampart.error')`
 * so `isVaultError` works across two installed copies of the package.
 * @example
 * try { vault.decrypt(token) } catch (e) { if (isVaultError(e) && e.code === 'VAULT_ERR_TAMPERED') reject() }
 */
export class VaultError extends Error {
  readonly code: VaultErrorCode;
  readonly category: ErrorCategory;
  /** HTTP status: none of the vault failures is the HTTP client's fault, so every one maps to 500. */
  readonly status = 500;
  readonly [BRAND] = true;

  constructor(code: VaultErrorCode, detail?: string, options?: { cause?: unknown }) {
    const spec = VAULT_ERRORS[code];
    super(detail === undefined ? spec.message : `${spec.message}: ${detail}`, options);
    this.name = 'VaultError';
    this.code = code;
    this.category = spec.category;
  }

  /** Plain data for structured logs; never carries secrets because messages never do. */
  toJSON(): { name: string; code: VaultErrorCode; category: ErrorCategory; status: number; message: string } {
    return { name: this.name, code: this.code, category: this.category, status: this.status, message: this.message };
  }
}

/**
 * True when `value` is a vault error (optionally with the given code), even from another copy of the package.
 * @example
 * if (isVaultError(err, 'VAULT_ERR_KEY_DESTROYED')) markRowLost(row);
 */
export function isVaultError(value: unknown, code?: VaultErrorCode): value is VaultError {
  // Optional chaining: null and undefined short-circuit, primitives read every property as undefined.
  const candidate = value as { [BRAND]?: unknown; code?: unknown } | null | undefined;
  const found = candidate?.code;
  return candidate?.[BRAND] === true && typeof found === 'string' && found.startsWith('VAULT_ERR_') && (code === undefined || found === code);
}
