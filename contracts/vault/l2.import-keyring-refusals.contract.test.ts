/**
 * L2 contract of @rampart/vault: importKeyring refuses every kind of malformed
 * input with a typed VaultError and a stable code, never with a bare
 * TypeError/SyntaxError/RangeError, and never with key material in the error.
 * The document's shape and the sealed payload's framing (length prefix, JSON
 * metadata, required fields, material byte count) are VAULT_ERR_KEYRING_DOCUMENT;
 * values that Keyring.fromKeys refuses keep its codes; a forged document is
 * VAULT_ERR_TAMPERED. Imports only the public entry.
 * Locked: never modified, only added to.
 */
import { describe, expect, it } from 'vitest';
import { EnvelopeEncryptor, Keyring, KeyringKekProvider, exportKeyring, importKeyring, isVaultError } from '@rampart/vault';

const kek = new KeyringKekProvider(Keyring.generate({ id: 'master' }));
const material = (seed: number): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => (seed * 37 + i * 11) % 251);
const entry = (version: number, over: Record<string, unknown> = {}) => ({ version, algorithm: 'aes-256-gcm', state: 'active', createdAt: 0, encryptions: 0, ...over });

/** The documented sealed layout: u32 metadata length | metadata JSON | 32 bytes per live version. */
async function documentOf(metadata: string, keys: readonly Uint8Array[], length?: number): Promise<unknown> {
  const json = new TextEncoder().encode(metadata);
  const payload = new Uint8Array(4 + json.length + 32 * keys.length);
  new DataView(payload.buffer).setUint32(0, length ?? json.length);
  payload.set(json, 4);
  keys.forEach((key, i) => payload.set(key, 4 + json.length + 32 * i));
  const sealed = await new EnvelopeEncryptor({ kek }).encrypt(payload, { context: { purpose: 'rampart.vault.keyring', id: 'app' } });
  return { format: 'rampart.vault.keyring', version: 1, id: 'app', kek: kek.id, sealed };
}

const sealedMeta = (meta: unknown, keys: readonly Uint8Array[] = [material(1)]) => documentOf(JSON.stringify(meta), keys);

async function refusal(doc: unknown): Promise<unknown> {
  return importKeyring(doc, kek).then(
    () => 'imported',
    (e: unknown) => e,
  );
}

async function codeOf(doc: unknown): Promise<string> {
  const error = await refusal(doc);
  return isVaultError(error) ? error.code : `not a VaultError: ${String(error)}`;
}

describe('@rampart/vault L2: importKeyring refusals', () => {
  it('imports a well-formed hand-sealed document (the baseline of every case below)', async () => {
    const ring = await importKeyring(await sealedMeta({ primary: 1, min: 1, keys: [entry(1)] }), kek);
    expect([ring.id, ring.primaryVersion, ring.versions().length]).toEqual(['app', 1, 1]);
  });

  it('refuses a document of the wrong shape, without kek, or with an id that is not well-formed: VAULT_ERR_KEYRING_DOCUMENT', async () => {
    const doc = await exportKeyring(Keyring.generate({ id: 'app' }), kek);
    const { kek: _kek, ...withoutKek } = doc;
    for (const bad of [null, 'text', JSON.stringify(doc), { ...doc, version: 2 }, withoutKek, { ...doc, kek: 1 }, { ...doc, id: '\udc00' }, { ...doc, sealed: 'AQAA' }]) {
      expect(await codeOf(bad)).toBe('VAULT_ERR_KEYRING_DOCUMENT');
    }
  });

  it('refuses a sealed payload with broken framing or missing fields: VAULT_ERR_KEYRING_DOCUMENT', async () => {
    const cases: [string, Promise<unknown>][] = [
      ['length past the end', documentOf('{}', [], 1_000)],
      ['not JSON', documentOf('{ nope', [material(1)])],
      ['not an object', sealedMeta(null)],
      ['no keys array', sealedMeta({ primary: 1, min: 1, keys: 'v1' })],
      ['no primary', sealedMeta({ min: 1, keys: [entry(1)] })],
      ['no min', sealedMeta({ primary: 1, keys: [entry(1)] })],
      ['no state', sealedMeta({ primary: 1, min: 1, keys: [entry(1, { state: undefined })] })],
      ['no encryptions', sealedMeta({ primary: 1, min: 1, keys: [entry(1, { encryptions: undefined })] })],
      ['no algorithm', sealedMeta({ primary: 1, min: 1, keys: [entry(1, { algorithm: undefined })] })],
      ['no createdAt', sealedMeta({ primary: 1, min: 1, keys: [entry(1, { createdAt: undefined })] })],
      ['bytes after the material', sealedMeta({ primary: 1, min: 1, keys: [entry(1)] }, [material(1), material(2)])],
    ];
    for (const [label, doc] of cases) expect(await codeOf(await doc), label).toBe('VAULT_ERR_KEYRING_DOCUMENT');
  });

  it('refuses values as Keyring.fromKeys does, with its codes', async () => {
    const two = [material(1), material(2)];
    const cases: [string, Promise<unknown>, string][] = [
      ['entry not an object', sealedMeta({ primary: 1, min: 1, keys: [null] }, []), 'VAULT_ERR_INVALID_INPUT'],
      ['bad version', sealedMeta({ primary: 1, min: 1, keys: [entry(0)] }), 'VAULT_ERR_INVALID_INPUT'],
      ['unknown state', sealedMeta({ primary: 1, min: 1, keys: [entry(1, { state: 'enabled' })] }), 'VAULT_ERR_INVALID_INPUT'],
      ['unknown algorithm', sealedMeta({ primary: 1, min: 1, keys: [entry(1, { algorithm: 'des' })] }), 'VAULT_ERR_INVALID_KEY'],
      ['duplicate version', sealedMeta({ primary: 1, min: 1, keys: [entry(1), entry(1, { state: 'decrypt-only' })] }, two), 'VAULT_ERR_INVALID_KEY'],
      ['material cut short', documentOf(JSON.stringify({ primary: 1, min: 1, keys: [entry(1), entry(2, { state: 'decrypt-only' })] }), [material(1)]), 'VAULT_ERR_INVALID_KEY'],
      ['placeholder material', sealedMeta({ primary: 1, min: 1, keys: [entry(1)] }, [new Uint8Array(32)]), 'VAULT_ERR_INVALID_KEY'],
      ['two active versions', sealedMeta({ primary: 2, min: 1, keys: [entry(1), entry(2)] }, two), 'VAULT_ERR_KEY_STATE'],
      ['primary not held', sealedMeta({ primary: 3, min: 1, keys: [entry(1, { state: 'decrypt-only' })] }), 'VAULT_ERR_KEY_STATE'],
    ];
    for (const [label, doc, code] of cases) expect(await codeOf(await doc), label).toBe(code);
  });

  it('refuses a forged or re-addressed document as VAULT_ERR_TAMPERED', async () => {
    const doc = await exportKeyring(Keyring.generate({ id: 'app' }), kek);
    const flipped = doc.sealed.slice(0, 50) + (doc.sealed[50] === 'A' ? 'B' : 'A') + doc.sealed.slice(51);
    expect([await codeOf({ ...doc, sealed: flipped }), await codeOf({ ...doc, id: 'other' })]).toEqual(['VAULT_ERR_TAMPERED', 'VAULT_ERR_TAMPERED']);
  });

  it('never shows key material, even when a wrong length prefix makes the material the metadata', async () => {
    const printable = new TextEncoder().encode('secret-Key-Material-0123456789AB');
    const error = await refusal(await documentOf('', [printable], 32));
    const text = (e: unknown): string => (e instanceof Error ? `${e.message} | ${text(e.cause)}` : String(e));
    for (const form of ['secret-K', Buffer.from(printable).toString('hex'), Buffer.from(printable).toString('base64')]) expect(text(error)).not.toContain(form);
    expect(isVaultError(error, 'VAULT_ERR_KEYRING_DOCUMENT')).toBe(true);
  });
});
