import { describe, expect, it } from 'vitest';
import { canonicalContext } from './context.ts';
import { EnvelopeEncryptor } from './envelope.ts';
import { KeyringKekProvider, type KekProvider } from './kek.ts';
import { Keyring } from './keyring.ts';
import { toText } from './format.ts';
import { codeOfAsync, failureOfAsync, flip } from './test-support/helpers.ts';

const ctx = { bucket: 'invoices', object: 'inv-1' };

function setup(): { ring: Keyring; kek: KeyringKekProvider; envelope: EnvelopeEncryptor } {
  const ring = Keyring.generate({ id: 'master' });
  const kek = new KeyringKekProvider(ring);
  return { ring, kek, envelope: new EnvelopeEncryptor({ kek }) };
}

describe('EnvelopeEncryptor', () => {
  it('round-trips text and bytes under a per-object data key', async () => {
    const { envelope } = setup();
    const token = await envelope.encrypt('invoice body', { context: ctx });
    expect(await envelope.decryptString(token, { context: ctx })).toBe('invoice body');
    const bytes = await envelope.encryptBytes(Uint8Array.of(7, 8));
    expect([...(await envelope.decrypt(bytes))]).toEqual([7, 8]);
  });

  it('writes format byte 2, the KEK id and the wrapped key in an authenticated header', async () => {
    const { envelope } = setup();
    const bytes = await envelope.encryptBytes('x');
    const id = 'keyring:master';
    expect(bytes[0]).toBe(2);
    expect(bytes[1]).toBe(id.length);
    expect(Buffer.from(bytes.subarray(2, 2 + id.length)).toString()).toBe(id);
    const wrappedLength = (bytes[2 + id.length] as number) * 256 + (bytes[3 + id.length] as number);
    // wrapped DEK = vault ciphertext of 32 bytes: 18 header + 32 + 16 tag
    expect(wrappedLength).toBe(66);
    expect(bytes.length).toBe(2 + id.length + 2 + 66 + 1 + 12 + 1 + 16);
  });

  it('uses a fresh data key per object (same plaintext, different wrapped keys)', async () => {
    const { envelope } = setup();
    const a = await envelope.encryptBytes('same');
    const b = await envelope.encryptBytes('same');
    expect(Buffer.from(a.subarray(0, 84)).equals(Buffer.from(b.subarray(0, 84)))).toBe(false);
  });

  it('fails as tampered under another context or with any byte changed', async () => {
    const { envelope } = setup();
    const bytes = await envelope.encryptBytes('x', { context: ctx });
    expect(await codeOfAsync(() => envelope.decrypt(bytes, { context: { ...ctx, object: 'inv-2' } }))).toBe('VAULT_ERR_TAMPERED');
    for (const at of [30, 60, 85, 90, bytes.length - 1]) {
      const edited = bytes.slice();
      flip(edited, at, 0x10);
      expect(await codeOfAsync(() => envelope.decrypt(edited, { context: ctx })), `byte ${at}`).toBe('VAULT_ERR_TAMPERED');
    }
  });

  it('classifies truncation, foreign formats and foreign KEKs', async () => {
    const { envelope } = setup();
    const bytes = await envelope.encryptBytes('x');
    for (const cut of [0, 1, 3, 17, 18, 84, 85, 97, bytes.length - 1]) {
      expect(await codeOfAsync(() => envelope.decrypt(bytes.subarray(0, cut))), `cut ${cut}`).toBe('VAULT_ERR_TAMPERED');
    }
    const other = bytes.slice();
    other[0] = 1;
    expect(await codeOfAsync(() => envelope.decrypt(other))).toBe('VAULT_ERR_MALFORMED_CIPHERTEXT');
    const alg = bytes.slice();
    alg[84] = 77;
    expect(await codeOfAsync(() => envelope.decrypt(alg))).toBe('VAULT_ERR_MALFORMED_CIPHERTEXT');
    // same KEK id, different material: indistinguishable from tampering
    expect(await codeOfAsync(() => setup().envelope.decrypt(toText(bytes)))).toBe('VAULT_ERR_TAMPERED');
    const renamed = new EnvelopeEncryptor({ kek: new KeyringKekProvider(Keyring.generate(), 'other') });
    expect(await codeOfAsync(() => renamed.decrypt(bytes))).toBe('VAULT_ERR_UNKNOWN_KEY_VERSION');
  });

  it('survives KEK rotation and rewraps onto the new KEK version without exposing plaintext', async () => {
    const { ring, envelope } = setup();
    const token = await envelope.encrypt('doc', { context: ctx });
    ring.rotate();
    const rewrapped = await envelope.rewrap(token, { context: ctx });
    const bytes = await envelope.rewrap(await envelope.encryptBytes('b'));
    expect(bytes).toBeInstanceOf(Uint8Array);
    ring.disable(1);
    expect(await envelope.decryptString(rewrapped, { context: ctx })).toBe('doc');
    expect(await codeOfAsync(() => envelope.decrypt(token, { context: ctx }))).toBe('VAULT_ERR_KEY_DISABLED');
  });

  it('supports XChaCha20-Poly1305 as the data algorithm', async () => {
    const { kek } = setup();
    const envelope = new EnvelopeEncryptor({ kek, algorithm: 'xchacha20-poly1305' });
    expect(await envelope.decryptString(await envelope.encrypt('x'))).toBe('x');
  });

  it('wraps provider failures as VAULT_ERR_KEK_FAILED and rejects bad providers', async () => {
    const down: KekProvider = {
      id: 'kms',
      wrapKey: () => Promise.reject(new Error('ECONNREFUSED')),
      unwrapKey: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    const envelope = new EnvelopeEncryptor({ kek: down });
    expect(await codeOfAsync(() => envelope.encrypt('x'))).toBe('VAULT_ERR_KEK_FAILED');
    const huge: KekProvider = { ...down, wrapKey: () => Promise.resolve(new Uint8Array(70_000)) };
    expect(await codeOfAsync(() => new EnvelopeEncryptor({ kek: huge }).encrypt('x'))).toBe('VAULT_ERR_KEK_FAILED');
    const { kek } = setup();
    const good = await new EnvelopeEncryptor({ kek: { ...down, id: kek.id, wrapKey: (k, c) => kek.wrapKey(k, c) } }).encryptBytes('x');
    expect(await codeOfAsync(() => new EnvelopeEncryptor({ kek: { ...down, id: kek.id } }).decrypt(good))).toBe('VAULT_ERR_KEK_FAILED');
    const short: KekProvider = { ...down, id: kek.id, unwrapKey: () => Promise.resolve(new Uint8Array(16)) };
    expect(await codeOfAsync(() => new EnvelopeEncryptor({ kek: short }).decrypt(good))).toBe('VAULT_ERR_TAMPERED');
    expect(() => new EnvelopeEncryptor({ kek: { ...down, id: '' } })).toThrow(expect.objectContaining({ code: 'VAULT_ERR_INVALID_INPUT' }));
    expect(() => new EnvelopeEncryptor({ kek: { ...down, id: 'x'.repeat(256) } })).toThrow(expect.objectContaining({ code: 'VAULT_ERR_INVALID_INPUT' }));
    expect(() => new EnvelopeEncryptor({} as { kek: KekProvider })).toThrow(expect.objectContaining({ code: 'VAULT_ERR_INVALID_INPUT' }));
  });

  // A KMS adapter returning base64 text (as some KMS REST APIs do) used to have it copied into the envelope as zeros:
  // encrypt "succeeded" and the data was unrecoverable.
  it('refuses a wrapKey result that is not a non-empty Uint8Array with VAULT_ERR_KEK_FAILED', async () => {
    const { kek } = setup();
    const returning = (value: unknown): KekProvider => ({ id: kek.id, wrapKey: () => Promise.resolve(value as Uint8Array), unwrapKey: (w, c) => kek.unwrapKey(w, c) });
    for (const [label, value] of [['base64 text', 'AAAA'], ['an empty array', new Uint8Array(0)], ['undefined', undefined], ['a number array', [1, 2, 3]]] as const) {
      expect(await failureOfAsync(() => new EnvelopeEncryptor({ kek: returning(value) }).encryptBytes('x')), label).toBe(
        'VAULT_ERR_KEK_FAILED: wrapKey on "keyring:master" did not return a non-empty Uint8Array',
      );
    }
  });

  it('refuses an unwrapKey result that is not a Uint8Array with VAULT_ERR_KEK_FAILED', async () => {
    const { kek, envelope } = setup();
    const blob = await envelope.encryptBytes('x');
    const base64: KekProvider = { id: kek.id, wrapKey: (k, c) => kek.wrapKey(k, c), unwrapKey: () => Promise.resolve('A'.repeat(32) as unknown as Uint8Array) };
    expect(await failureOfAsync(() => new EnvelopeEncryptor({ kek: base64 }).decrypt(blob))).toBe(
      'VAULT_ERR_KEK_FAILED: unwrapKey on "keyring:master" did not return a Uint8Array',
    );
    // empty bytes are bytes: of the wrong length, like any other unwrapped key that does not fit
    const empty: KekProvider = { ...base64, unwrapKey: () => Promise.resolve(new Uint8Array(0)) };
    expect(await codeOfAsync(() => new EnvelopeEncryptor({ kek: empty }).decrypt(blob))).toBe('VAULT_ERR_TAMPERED');
  });

  // The plaintext used to be read only after `await wrapKey`: a caller reusing its buffer meanwhile changed what was sealed.
  it('seals the plaintext as it was when encrypt was called, even if the caller reuses its buffer during the KEK call', async () => {
    const { kek } = setup();
    const slow: KekProvider = {
      id: kek.id,
      wrapKey: async (k, c) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return kek.wrapKey(k, c);
      },
      unwrapKey: (w, c) => kek.unwrapKey(w, c),
    };
    const envelope = new EnvelopeEncryptor({ kek: slow });
    const buffer = Buffer.from('invoice #1 contents');
    const pending = envelope.encryptBytes(buffer);
    buffer.write('XXXXXXXXXXXXXXXXXXX');
    expect(await envelope.decryptString(await pending)).toBe('invoice #1 contents');
    expect(buffer.toString()).toBe('XXXXXXXXXXXXXXXXXXX');
  });

  // A data key of the wrong length was refused as tampered but left in memory.
  it('wipes an unwrapped data key of the wrong length before refusing it', async () => {
    const { kek, envelope } = setup();
    const blob = await envelope.encryptBytes('x');
    const handed: Uint8Array[] = [];
    const long: KekProvider = {
      id: kek.id,
      wrapKey: (k, c) => kek.wrapKey(k, c),
      unwrapKey: async (w, c) => {
        const out = new Uint8Array(33).fill(7);
        out.set(await kek.unwrapKey(w, c));
        handed.push(out);
        return out;
      },
    };
    expect(await codeOfAsync(() => new EnvelopeEncryptor({ kek: long }).decrypt(blob))).toBe('VAULT_ERR_TAMPERED');
    expect(handed.map((b) => b.every((x) => x === 0))).toEqual([true]);
  });

  it('accepts the largest KEK id (255 bytes) and wrapped key (65535 bytes), and an empty plaintext', async () => {
    const given: Uint8Array[] = [];
    const returned: Uint8Array[] = [];
    // A toy KEK that pads the data key to the largest wrapped size the format can hold.
    const padding: KekProvider = {
      id: 'k'.repeat(255),
      wrapKey: (dataKey) => {
        given.push(dataKey);
        const wrapped = new Uint8Array(0xffff);
        wrapped.set(dataKey);
        return Promise.resolve(wrapped);
      },
      unwrapKey: (wrapped) => {
        returned.push(wrapped.slice(0, 32));
        return Promise.resolve(returned.at(-1) as Uint8Array);
      },
    };
    const envelope = new EnvelopeEncryptor({ kek: padding });
    const bytes = await envelope.encryptBytes('');
    expect([bytes[1], bytes[257], bytes[258]]).toEqual([255, 0xff, 0xff]);
    expect(bytes.length).toBe(2 + 255 + 2 + 0xffff + 1 + 12 + 16);
    expect(await envelope.decryptString(bytes)).toBe('');
    // data keys are wiped once used: the one handed to wrapKey and the one unwrapKey returned
    expect([given.length, returned.length]).toEqual([1, 1]);
    expect([...(given[0] as Uint8Array), ...(returned[0] as Uint8Array)].every((b) => b === 0)).toBe(true);
  });

  it('binds the data key to the context: the KEK sees "rampart.vault.envelope.v1" || canonical context', async () => {
    const { kek } = setup();
    const seen: string[] = [];
    const spy: KekProvider = {
      id: kek.id,
      wrapKey: (k, c) => (seen.push(Buffer.from(c).toString('hex')), kek.wrapKey(k, c)),
      unwrapKey: (w, c) => (seen.push(Buffer.from(c).toString('hex')), kek.unwrapKey(w, c)),
    };
    const envelope = new EnvelopeEncryptor({ kek: spy });
    await envelope.decrypt(await envelope.encryptBytes('x', { context: ctx }), { context: ctx });
    const expected = Buffer.concat([Buffer.from('rampart.vault.envelope.v1'), canonicalContext(ctx)]).toString('hex');
    expect(seen).toEqual([expected, expected]);
  });

  it('names a plaintext that is neither a string nor bytes', async () => {
    const { envelope } = setup();
    expect(await failureOfAsync(() => envelope.encrypt(7 as never))).toBe('VAULT_ERR_INVALID_INPUT: plaintext must be a string or a Uint8Array');
  });

  it('prints the KEK provider without material', async () => {
    const { kek } = setup();
    const { inspect } = await import('node:util');
    expect(inspect(kek)).toBe("KeyringKekProvider { id: 'keyring:master', material: [redacted] }");
    expect(JSON.stringify(kek)).toBe('{"id":"keyring:master"}');
  });
});
