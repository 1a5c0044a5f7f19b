/**
 * Key-encryption-key providers for envelope encryption. The interface is what
 * a cloud KMS adapter implements (wrap = KMS Encrypt, unwrap = KMS Decrypt);
 * the keyring provider is the local implementation.
 */
import { openWithKeyring, sealWithKeyring } from './cipher.ts';
import { VaultError, isVaultError } from './errors.ts';
import type { Keyring } from './keyring.ts';
import { INSPECT } from './redact.ts';

/**
 * Wraps and unwraps data keys. `context` is associated data the provider must
 * bind to the wrapped key (KMS "encryption context").
 *
 * A wrapped key that does not authenticate (edited, or given another context)
 * is the record's fault, not the provider's: the vault reports it as
 * `VAULT_ERR_TAMPERED`, like any other forged ciphertext, when `unwrapKey`
 * throws a `VaultError` with that code (as the local provider does) or an
 * error `isAuthenticationFailure` recognises. Any other error is
 * `VAULT_ERR_KEK_FAILED`.
 * @example
 * const kms: KekProvider = {
 *   id: 'aws-kms:alias/app',
 *   wrapKey: async (key, context) => kmsEncrypt(key, context),
 *   unwrapKey: async (wrapped, context) => kmsDecrypt(wrapped, context),
 *   isAuthenticationFailure: (error) => (error as Error).name === 'InvalidCiphertextException',
 * };
 */
export interface KekProvider {
  /** Names the KEK; stored (authenticated) in every envelope so decryption picks the right provider. */
  readonly id: string;
  wrapKey(dataKey: Uint8Array, context: Uint8Array): Promise<Uint8Array>;
  unwrapKey(wrapped: Uint8Array, context: Uint8Array): Promise<Uint8Array>;
  /**
   * True when `error`, thrown by `unwrapKey`, means the wrapped key or its
   * context does not authenticate (the KMS's "invalid ciphertext" answer),
   * false for an unreachable or failing provider. Never consulted for
   * `wrapKey`, which has nothing to authenticate.
   */
  isAuthenticationFailure?(error: unknown): boolean;
}

/** Asks the provider whether an unwrap error means "does not authenticate"; a classifier that throws is a provider failure. */
function rejectsAsForged(provider: KekProvider, error: unknown): boolean {
  try {
    return provider.isAuthenticationFailure?.(error) === true;
  } catch (cause) {
    throw new VaultError('VAULT_ERR_KEK_FAILED', `isAuthenticationFailure on ${JSON.stringify(provider.id)} threw`, { cause });
  }
}

/**
 * Calls a provider, passing vault errors through (their codes are meaningful:
 * tampered, destroyed key, ...) and wrapping anything else so callers see one
 * stable code for "the KMS is down or misbehaving", except a refused unwrap
 * the provider classifies as an authentication failure: that is a forged or
 * misdirected record, and callers must not treat it as an outage (retrying,
 * paging the KMS owner) nor be able to tell it from other tampering.
 */
export async function callKek<T>(provider: KekProvider, op: 'wrapKey' | 'unwrapKey', run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    if (isVaultError(cause)) throw cause;
    // No detail, like every other VAULT_ERR_TAMPERED: which layer refused is not the caller's to know.
    if (op === 'unwrapKey' && rejectsAsForged(provider, cause)) throw new VaultError('VAULT_ERR_TAMPERED', undefined, { cause });
    throw new VaultError('VAULT_ERR_KEK_FAILED', `${op} on ${JSON.stringify(provider.id)}`, { cause });
  }
}

/**
 * Checks what a provider returned. A KMS adapter written in JS (or typed
 * loosely) may hand back base64 text or nothing: copied into an envelope, text
 * becomes zeros and the data would be sealed under a data key nobody can
 * unwrap, so a wrapped key must be non-empty bytes and an unwrapped key bytes
 * (its length is checked against the algorithm by the caller).
 */
export function kekBytes(provider: KekProvider, op: 'wrapKey' | 'unwrapKey', value: unknown): Uint8Array {
  if (value instanceof Uint8Array && (op === 'unwrapKey' || value.length > 0)) return value;
  throw new VaultError('VAULT_ERR_KEK_FAILED', `${op} on ${JSON.stringify(provider.id)} did not return a ${op === 'wrapKey' ? 'non-empty ' : ''}Uint8Array`);
}

/**
 * A KEK provider backed by a local keyring: wrapped keys are ordinary vault
 * ciphertexts, so KEK rotation, rewrap and key states all apply to them.
 * @example
 * const kek = new KeyringKekProvider(Keyring.generate({ id: 'master' }));
 * const envelope = new EnvelopeEncryptor({ kek });
 */
export class KeyringKekProvider implements KekProvider {
  readonly id: string;
  readonly keyring: Keyring;

  constructor(keyring: Keyring, id: string = `keyring:${keyring.id}`) {
    this.keyring = keyring;
    this.id = id;
  }

  wrapKey(dataKey: Uint8Array, context: Uint8Array): Promise<Uint8Array> {
    return Promise.resolve(sealWithKeyring(this.keyring, dataKey, context));
  }

  unwrapKey(wrapped: Uint8Array, context: Uint8Array): Promise<Uint8Array> {
    return Promise.resolve(openWithKeyring(this.keyring, wrapped, context).plaintext);
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }

  [INSPECT](): string {
    return `KeyringKekProvider { id: '${this.id}', material: [redacted] }`;
  }
}
