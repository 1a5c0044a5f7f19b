/**
 * Keyring-level seal and open: builds the self-describing ciphertext around
 * the AEAD layer and enforces key states. Everything public (Vault, envelope,
 * secret store) goes through these two functions.
 */
import { open, sealInto } from './aead.ts';
import { canonicalContext, concatBytes, type EncryptionContext } from './context.ts';
import { VaultError } from './errors.ts';
import { FIXED_HEADER, parseCiphertext, writeHeader } from './format.ts';
import { keyringAccess, type Keyring } from './keyring.ts';

/** Associated data = header || canonical context; the header has a fixed length per algorithm, so the split is unambiguous. */
function associatedData(header: Uint8Array, context: Uint8Array): Uint8Array {
  return concatBytes([header, context]);
}

/** Encrypts under the primary version; returns the binary ciphertext. */
export function sealWithKeyring(ring: Keyring, plaintext: Uint8Array, context: EncryptionContext | undefined): Buffer {
  // Canonicalise before counting: a bad context must not consume nonce budget.
  const contextBytes = canonicalContext(context);
  const entry = keyringAccess.reserveEncryption(ring);
  const { spec } = entry;
  const nonce = keyringAccess.random(ring, spec.nonceLength);
  if (nonce.length !== spec.nonceLength) throw new VaultError('VAULT_ERR_INVALID_INPUT', 'randomBytes returned the wrong length');
  const headerLength = FIXED_HEADER + spec.nonceLength;
  // allocUnsafe is safe here: every byte is overwritten below (header, then ciphertext and tag).
  const out = Buffer.allocUnsafe(headerLength + plaintext.length + spec.tagLength);
  writeHeader(out, spec, entry.version, nonce);
  const aad = associatedData(out.subarray(0, headerLength), contextBytes);
  sealInto(spec, entry.material, nonce, plaintext, aad, out, headerLength);
  return out;
}

/** Verifies and decrypts a binary ciphertext; returns the plaintext and the key version that opened it. */
export function openWithKeyring(
  ring: Keyring,
  ciphertext: Uint8Array,
  context: EncryptionContext | undefined,
): { plaintext: Buffer; keyVersion: number } {
  const contextBytes = canonicalContext(context);
  const parsed = parseCiphertext(ciphertext);
  const entry = keyringAccess.decryptionKey(ring, parsed.keyVersion);
  // A header claiming another algorithm than the key's is a forgery attempt:
  // same answer as any other authentication failure.
  if (entry.spec !== parsed.spec) throw new VaultError('VAULT_ERR_TAMPERED');
  const aad = associatedData(parsed.header, contextBytes);
  return { plaintext: open(parsed.spec, entry.material, parsed.nonce, parsed.sealed, aad), keyVersion: parsed.keyVersion };
}
