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
  // `kek` is checked too: exportKeyring always writes it, and the message below always named it. A lone
  // surrogate in `id` used to surface as VAULT_ERR_INVALID_CONTEXT, although the caller passed no context.
  if (
    d?.format !== 'rampart.vault.keyring' ||
    d.version !== 1 ||
    typeof d.id !== 'string' ||
    !d.id.isWellFormed() ||
    typeof d.kek !== 'string' ||
    typeof d.sealed !== 'string'
  ) {
    throw new VaultError('VAULT_ERR_KEYRING_DOCUMENT', 'expected { format: "rampart.vault.keyring", version: 1, id, kek, sealed }');
  }
  return d as KeyringDocument;
}

function malformed(detail: string): VaultError {
  return new VaultError('VAULT_ERR_KEYRING_DOCUMENT', detail);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Fields the keyring would otherwise fill with a default (`null` included where it reads null as "not
// given"): a sealed document without `encryptions` restarted the nonce counter at 0, one without `state`
// or `primary` let fromKeys pick them. exportKeyring always writes every one. An absent `version`, a null
// `state` or `createdAt`, and every wrong value keep the codes Keyring.fromKeys gives them.
const REQUIRED_META: readonly (readonly [string, boolean])[] = [['primary', true], ['min', true]];
const REQUIRED_KEY: readonly (readonly [string, boolean])[] = [['algorithm', true], ['state', false], ['createdAt', false], ['encryptions', true]];

function missingField(record: Record<string, unknown>, fields: readonly (readonly [string, boolean])[]): string | undefined {
  return fields.find(([name, nullIsMissing]) => record[name] === undefined || (nullIsMissing && record[name] === null))?.[0];
}

function parseMeta(json: Uint8Array): Meta {
  let meta: unknown;
  try {
    meta = JSON.parse(new TextDecoder().decode(json));
  } catch {
    // No cause on purpose: V8 quotes the text it failed on, and a wrong length prefix puts key material in it.
    throw malformed('the sealed metadata is not JSON');
  }
  if (!isRecord(meta)) throw malformed('the sealed metadata is not an object');
  const field = missingField(meta, REQUIRED_META);
  if (field !== undefined) throw malformed(`the sealed metadata has no ${field}`);
  if (!Array.isArray(meta.keys)) throw malformed('the sealed metadata has no keys array');
  for (const [index, entry] of (meta.keys as unknown[]).entries()) {
    // The code Keyring.fromKeys gives an entry that is not an object (a null one used to crash with a TypeError).
    if (!isRecord(entry)) throw new VaultError('VAULT_ERR_INVALID_INPUT', `keys[${index}] must be an object { version, key }`);
    const missing = missingField(entry, REQUIRED_KEY);
    if (missing !== undefined) throw malformed(`keys[${index}] has no ${missing}`);
  }
  return meta as unknown as Meta;
}

function readPayload(payload: Uint8Array): { meta: Meta; keys: KeyInput[] } {
  if (payload.length < 4) throw malformed('the sealed payload is shorter than its length prefix');
  const jsonEnd = 4 + new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(0);
  if (jsonEnd > payload.length) throw malformed('the sealed metadata length runs past the end of the payload');
  const meta = parseMeta(payload.subarray(4, jsonEnd));
  let at = jsonEnd;
  const keys = meta.keys.map((k): KeyInput => {
    if (k.state === 'destroyed') return { ...k };
    const key = payload.subarray(at, at + KEY_LENGTH);
    at += KEY_LENGTH;
    return { ...k, key };
  });
  // Material cut short is refused per version by fromKeys (VAULT_ERR_INVALID_KEY); bytes left over mean the
  // metadata and the material disagree about which versions are live.
  if (at < payload.length) throw malformed('bytes follow the key material of the listed versions');
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
