/**
 * Persisting a keyring: a versioned JSON document whose whole content (key
 * material AND metadata such as states and counters) is one envelope under a
 * KEK, so a reader of the document learns nothing and an editor of it (say,
 * un-destroying a key or resetting a nonce counter) breaks authentication.
 */
import type { Algorithm } from './aead.ts';
import { concatBytes } from './context.ts';
import { EnvelopeEncryptor } from './envelope.ts';
import { VaultError, isVaultError } from './errors.ts';
import type { KekProvider } from './kek.ts';
import type { KeyState } from './key-version.ts';
import { Keyring, keyringAccess, type KeyInput, type KeyringOptions } from './keyring.ts';

/**
 * The sealed form of a keyring; safe to store next to the data.
 * @example
 * await writeFile('keyring.json', JSON.stringify(await exportKeyring(keyring, kek)), { mode: 0o600 });
 */
export interface KeyringDocument {
  readonly format: 'rampart.vault.keyring';
  readonly version: 1;
  readonly id: string;
  /** Id of the KEK provider that sealed it. */
  readonly kek: string;
  /** Base64url envelope of the keyring contents. */
  readonly sealed: string;
}

interface Meta {
  primary: number;
  min: number;
  keys: { version: number; algorithm: Algorithm; state: KeyState; createdAt: number; encryptions: number }[];
}

const KEY_LENGTH = 32;

function documentContext(id: string): Record<string, string> {
  return { purpose: 'rampart.vault.keyring', id };
}

/** Seals a keyring (every version, its state and usage counter) under `kek`. */
export async function exportKeyring(keyring: Keyring, kek: KekProvider): Promise<KeyringDocument> {
  const entries = keyringAccess.entries(keyring);
  const meta: Meta = { primary: keyring.primaryVersion, min: keyring.minDecryptionVersion, keys: entries.map((e) => e.info()) };
  const json = new TextEncoder().encode(JSON.stringify(meta));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, json.length);
  // Material travels as bytes, never as a JS string that could not be wiped.
  const payload = concatBytes([length, json, ...entries.filter((e) => e.state !== 'destroyed').map((e) => e.material)]);
  try {
    const sealed = await new EnvelopeEncryptor({ kek }).encrypt(payload, { context: documentContext(keyring.id) });
    return { format: 'rampart.vault.keyring', version: 1, id: keyring.id, kek: kek.id, sealed };
  } finally {
    payload.fill(0);
  }
}

function checkDocument(doc: unknown): KeyringDocument {
  const d = doc as Partial<KeyringDocument> | null;
  if (d?.format !== 'rampart.vault.keyring' || d.version !== 1 || typeof d.id !== 'string' || typeof d.sealed !== 'string') {
    throw new VaultError('VAULT_ERR_KEYRING_DOCUMENT', 'expected { format: "rampart.vault.keyring", version: 1, id, kek, sealed }');
  }
  return d as KeyringDocument;
}

function readPayload(payload: Uint8Array): { meta: Meta; keys: KeyInput[] } {
  const jsonLength = new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(0);
  const meta = JSON.parse(new TextDecoder().decode(payload.subarray(4, 4 + jsonLength))) as Meta;
  let at = 4 + jsonLength;
  const keys = meta.keys.map((k): KeyInput => {
    if (k.state === 'destroyed') return { ...k };
    const key = payload.subarray(at, at + KEY_LENGTH);
    at += KEY_LENGTH;
    return { ...k, key };
  });
  return { meta, keys };
}

/**
 * Opens a sealed keyring document. Options such as `clock`, `randomBytes`
 * and `maxEncryptionsPerKey` are runtime settings, so they are given again here.
 * @example
 * const keyring = await importKeyring(JSON.parse(await readFile('keyring.json', 'utf8')), kek);
 */
export async function importKeyring(doc: unknown, kek: KekProvider, options: Omit<KeyringOptions, 'id'> = {}): Promise<Keyring> {
  const checked = checkDocument(doc);
  let payload: Buffer;
  try {
    payload = await new EnvelopeEncryptor({ kek }).decrypt(checked.sealed, { context: documentContext(checked.id) });
  } catch (cause) {
    if (isVaultError(cause, 'VAULT_ERR_MALFORMED_CIPHERTEXT')) {
      throw new VaultError('VAULT_ERR_KEYRING_DOCUMENT', 'sealed field is not an envelope', { cause });
    }
    throw cause;
  }
  try {
    const { meta, keys } = readPayload(payload);
    // The document does not name the keyring's default algorithm; the primary key's is
    // the closest record of it. Without this, rotate() on an imported XChaCha20 keyring
    // quietly made AES-256-GCM keys (and their 2^32 message bound).
    // Without a primary entry, fromKeys refuses the document (VAULT_ERR_KEY_STATE).
    const algorithm = options.algorithm ?? meta.keys.find((k) => k.version === meta.primary)?.algorithm;
    return Keyring.fromKeys(keys, { ...options, ...(algorithm === undefined ? {} : { algorithm }), id: checked.id, primary: meta.primary, minDecryptionVersion: meta.min });
  } finally {
    payload.fill(0);
  }
}
