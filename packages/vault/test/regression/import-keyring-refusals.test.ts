/**
 * Regression: importKeyring let malformed sealed contents escape as untyped
 * errors (a payload shorter than its length prefix: RangeError; metadata that
 * is not JSON: SyntaxError, whose V8 message quotes the text it failed on, key
 * material included when the length prefix is wrong; metadata or entries that
 * are not objects: TypeError), silently filled missing fields with defaults (a
 * document without `encryptions` restarted the nonce counter), ignored bytes
 * after the material, accepted a document without `kek`, and reported a lone
 * surrogate in `id` as VAULT_ERR_INVALID_CONTEXT. Each is now a typed refusal;
 * every refusal that already had a specific code keeps it. A refused import
 * also wipes the material of the versions it had loaded.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EnvelopeEncryptor } from '../../src/envelope.ts';
import { isVaultError } from '../../src/errors.ts';
import { KeyringKekProvider } from '../../src/kek.ts';
import { Keyring } from '../../src/keyring.ts';
import { exportKeyring, importKeyring } from '../../src/keyring-document.ts';
import { codeOfAsync, counterRandom } from '../../src/test-support/helpers.ts';

const master = new KeyringKekProvider(Keyring.generate({ id: 'master' }));
const key1 = counterRandom(31)(32);
const key2 = counterRandom(32)(32);
const entry = (version: number, over: Record<string, unknown> = {}) => ({ version, algorithm: 'aes-256-gcm', state: 'active', createdAt: 0, encryptions: 0, ...over });
const meta = (over: Record<string, unknown> = {}) => ({ primary: 1, min: 1, keys: [entry(1)], ...over });

/** A document sealed exactly as exportKeyring seals one, around any payload. */
async function sealedDocument(payload: Uint8Array, id = 'app'): Promise<Record<string, unknown>> {
  const sealed = await new EnvelopeEncryptor({ kek: master }).encrypt(payload, { context: { purpose: 'rampart.vault.keyring', id } });
  return { format: 'rampart.vault.keyring', version: 1, id, kek: master.id, sealed };
}

/** u32 length | metadata | material, the documented payload layout; `length` overrides the prefix. */
function payloadOf(metadata: unknown, material: readonly Uint8Array[] = [key1], options: { text?: string; length?: number } = {}): Uint8Array {
  const json = new TextEncoder().encode(options.text ?? JSON.stringify(metadata));
  const payload = new Uint8Array(4 + json.length + material.reduce((n, m) => n + m.length, 0));
  new DataView(payload.buffer).setUint32(0, options.length ?? json.length);
  payload.set(json, 4);
  let at = 4 + json.length;
  for (const m of material) {
    payload.set(m, at);
    at += m.length;
  }
  return payload;
}

const importOf = async (payload: Uint8Array) => codeOfAsync(async () => importKeyring(await sealedDocument(payload), master));

describe('importKeyring refusals', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('accepts the hand-built baseline, so each refusal below has one fault', async () => {
    const ring = await importKeyring(await sealedDocument(payloadOf(meta())), master);
    expect(ring.toJSON()).toEqual({ id: 'app', primaryVersion: 1, minDecryptionVersion: 1, versions: [{ version: 1, algorithm: 'aes-256-gcm', state: 'active', createdAt: 0, encryptions: 0 }] });
  });

  it.each([
    ['an empty payload', new Uint8Array(0)],
    ['a payload shorter than its length prefix', new Uint8Array(3)],
    ['a length prefix past the end', payloadOf(meta(), [], { length: 10_000 })],
    ['metadata that is not JSON', payloadOf(undefined, [key1], { text: '{ nope' })],
    ['metadata that is null', payloadOf(null)],
    ['metadata that is an array', payloadOf([meta()])],
    ['no keys', payloadOf(meta({ keys: undefined }))],
    ['keys that are not an array', payloadOf(meta({ keys: { 0: entry(1) } }))],
    ['no primary', payloadOf(meta({ primary: undefined }))],
    ['a null primary', payloadOf(meta({ primary: null }))],
    ['no min', payloadOf(meta({ min: undefined }))],
    ['an entry without algorithm', payloadOf(meta({ keys: [entry(1, { algorithm: undefined })] }))],
    ['an entry without state', payloadOf(meta({ keys: [entry(1, { state: undefined })] }))],
    ['an entry without createdAt', payloadOf(meta({ keys: [entry(1, { createdAt: undefined })] }))],
    ['an entry without encryptions', payloadOf(meta({ keys: [entry(1, { encryptions: undefined })] }))],
    ['an entry with null encryptions', payloadOf(meta({ keys: [entry(1, { encryptions: null })] }))],
    ['bytes after the material', payloadOf(meta(), [key1, key2])],
  ])('refuses %s with VAULT_ERR_KEYRING_DOCUMENT', async (_label, payload) => {
    expect(await importOf(payload)).toBe('VAULT_ERR_KEYRING_DOCUMENT');
  });

  it('refuses an entry that is not an object with VAULT_ERR_INVALID_INPUT, as Keyring.fromKeys does', async () => {
    expect(await importOf(payloadOf(meta({ keys: [null] }), []))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(await importOf(payloadOf(meta({ keys: [entry(1), 'v2'] })))).toBe('VAULT_ERR_INVALID_INPUT');
  });

  it('refuses a document without a string kek, or with an id that is not well-formed, as VAULT_ERR_KEYRING_DOCUMENT', async () => {
    const doc = await exportKeyring(Keyring.generate({ id: 'app' }), master);
    const { kek: _kek, ...withoutKek } = doc;
    for (const bad of [withoutKek, { ...doc, kek: 42 }, { ...doc, id: 'app\ud800' }]) {
      expect(await codeOfAsync(() => importKeyring(bad, master)), JSON.stringify(Object.keys(bad))).toBe('VAULT_ERR_KEYRING_DOCUMENT');
    }
  });

  it('keeps the specific codes of values Keyring.fromKeys refuses', async () => {
    expect(await importOf(payloadOf(meta({ keys: [entry(1, { version: undefined })] })))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(await importOf(payloadOf(meta({ keys: [entry(1, { state: 'Active' })] })))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(await importOf(payloadOf(meta({ keys: [entry(1, { encryptions: -1 })] })))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(await importOf(payloadOf(meta({ keys: [entry(1, { algorithm: 'rot13' })] })))).toBe('VAULT_ERR_INVALID_KEY');
    expect(await importOf(payloadOf(meta({ keys: [entry(1), entry(1, { state: 'decrypt-only' })] }), [key1, key2]))).toBe('VAULT_ERR_INVALID_KEY');
    expect(await importOf(payloadOf(meta({ keys: [] }), []))).toBe('VAULT_ERR_INVALID_KEY');
    expect(await importOf(payloadOf(meta(), [key1.subarray(0, 16)]))).toBe('VAULT_ERR_INVALID_KEY');
    expect(await importOf(payloadOf(meta(), [new Uint8Array(32)]))).toBe('VAULT_ERR_INVALID_KEY');
    expect(await importOf(payloadOf(meta({ primary: 2, keys: [entry(1), entry(2)] }), [key1, key2]))).toBe('VAULT_ERR_KEY_STATE');
  });

  it('never puts key material in the refusal, not even when the length prefix makes the material the metadata', async () => {
    // Printable material, so a message quoting the "JSON" text would carry it verbatim.
    const printable = new TextEncoder().encode('k3y-M4ter1al-Never-1n-a-Me55age!');
    const error = await importKeyring(await sealedDocument(payloadOf(undefined, [printable], { text: '', length: 32 })), master).catch((e: unknown) => e);
    const text = (e: unknown): string => (e instanceof Error ? `${e.message} ${text(e.cause)}` : String(e));
    // V8 quotes the first 10 characters of text it cannot parse ("k3y-M4ter1"...): any 8 of them are a leak.
    for (const form of ['k3y-M4te', Buffer.from(printable).toString('hex'), Buffer.from(printable).toString('base64url')]) {
      expect(text(error)).not.toContain(form);
    }
    expect(isVaultError(error, 'VAULT_ERR_KEYRING_DOCUMENT')).toBe(true);
  });

  it('wipes the material of the versions loaded before the refusal', async () => {
    const copies: Buffer[] = [];
    const alloc = Buffer.allocUnsafeSlow.bind(Buffer);
    vi.spyOn(Buffer, 'allocUnsafeSlow').mockImplementation((size: number) => {
      const buffer = alloc(size);
      copies.push(buffer);
      return buffer;
    });
    // Version 1 loads; version 2 is then refused (a placeholder: one repeated byte).
    const payload = payloadOf(meta({ primary: 2, keys: [entry(1, { state: 'decrypt-only' }), entry(2)] }), [key1, new Uint8Array(32)]);
    expect(await importOf(payload)).toBe('VAULT_ERR_INVALID_KEY');
    const held = copies.filter((b) => b.length === 32);
    expect(held.length).toBeGreaterThan(0);
    expect(held.filter((b) => b.some((byte) => byte !== 0))).toEqual([]);
  });
});
