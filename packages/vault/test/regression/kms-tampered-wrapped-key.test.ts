/**
 * Regression: a KMS that refused to unwrap a tampered wrapped data key (its
 * own "invalid ciphertext" error) surfaced as VAULT_ERR_KEK_FAILED, which
 * reads as "the KMS is down" and sends operators after the wrong problem. A
 * forged record is now VAULT_ERR_TAMPERED whichever KEK provider wrapped it:
 * a provider declares which of its errors mean "does not authenticate"
 * (`isAuthenticationFailure`) or throws VAULT_ERR_TAMPERED itself, as the
 * local provider does. Real provider failures stay VAULT_ERR_KEK_FAILED.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EnvelopeEncryptor } from '../../src/envelope.ts';
import { VaultError, isVaultError } from '../../src/errors.ts';
import type { KekProvider } from '../../src/kek.ts';
import { Keyring } from '../../src/keyring.ts';
import { exportKeyring, importKeyring } from '../../src/keyring-document.ts';
import { codeOfAsync, failureOfAsync, flip } from '../../src/test-support/helpers.ts';

const context = { bucket: 'invoices', object: 'inv-1' };

/** The error a KMS SDK throws when a ciphertext or its encryption context does not authenticate (AWS's name). */
function invalidCiphertext(): Error {
  return Object.assign(new Error('InvalidCiphertextException'), { name: 'InvalidCiphertextException' });
}

/**
 * A stand-in for a cloud KMS: AES-256-GCM under a key only it holds, the
 * context bound as associated data, and SDK-style errors of its own (never
 * vault errors). `down` makes every call fail like an unreachable endpoint.
 */
class FakeKms implements KekProvider {
  readonly id = 'fake-kms:alias/app';
  readonly masterKey = randomBytes(32);
  down = false;

  wrapKey(dataKey: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    if (this.down) return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv).setAAD(aad);
    return Promise.resolve(Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]));
  }

  unwrapKey(wrapped: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    if (this.down) return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const bytes = Buffer.from(wrapped);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.masterKey, bytes.subarray(0, 12)).setAAD(aad);
      decipher.setAuthTag(bytes.subarray(-16));
      return Promise.resolve(Buffer.concat([decipher.update(bytes.subarray(12, -16)), decipher.final()]));
    } catch {
      // What a real KMS answers: its own error, with nothing of the key in it.
      return Promise.reject(invalidCiphertext());
    }
  }

  isAuthenticationFailure(error: unknown): boolean {
    return (error as Error | null)?.name === 'InvalidCiphertextException';
  }
}

/** Offset of the wrapped data key in an envelope: u8 format | u8 idLength | id | u16 wrappedLength. */
function wrappedKeyOffset(envelope: Uint8Array): number {
  return 2 + (envelope[1] as number) + 2;
}

describe('a KMS rejecting a tampered wrapped key is reported as tampering', () => {
  it('answers VAULT_ERR_TAMPERED, keeping the KMS error as cause, for any byte of the wrapped key changed', async () => {
    const kms = new FakeKms();
    const envelope = new EnvelopeEncryptor({ kek: kms });
    const sealed = await envelope.encryptBytes('invoice body', { context });
    const start = wrappedKeyOffset(sealed);
    // first IV byte, first and last byte of the encrypted data key, last tag byte (12 + 32 + 16 = 60 bytes)
    expect(sealed[start - 1]).toBe(60);
    for (const at of [start, start + 12, start + 12 + 31, start + 12 + 32 + 15]) {
      const edited = sealed.slice();
      flip(edited, at, 0x01);
      const error = await envelope.decrypt(edited, { context }).then(
        () => 'no error',
        (e: unknown) => e,
      );
      expect(isVaultError(error) ? `${error.code}: ${error.message}` : error, `byte ${at}`).toBe(
        `VAULT_ERR_TAMPERED: ${new VaultError('VAULT_ERR_TAMPERED').message}`,
      );
      expect((error as Error).cause, `byte ${at}`).toEqual(invalidCiphertext());
    }
    expect(await envelope.decryptString(sealed, { context })).toBe('invoice body');
  });

  it('answers VAULT_ERR_TAMPERED when the KMS refuses the context (wrong context is indistinguishable from tampering)', async () => {
    const envelope = new EnvelopeEncryptor({ kek: new FakeKms() });
    const sealed = await envelope.encrypt('x', { context });
    expect(await codeOfAsync(() => envelope.decrypt(sealed, { context: { ...context, object: 'inv-2' } }))).toBe('VAULT_ERR_TAMPERED');
  });

  it('answers VAULT_ERR_TAMPERED for a sealed keyring document whose wrapped key was edited', async () => {
    const kms = new FakeKms();
    const doc = await exportKeyring(Keyring.generate({ id: 'app' }), kms);
    const bytes = Buffer.from(doc.sealed, 'base64url');
    flip(bytes, wrappedKeyOffset(bytes) + 20, 0x40);
    expect(await codeOfAsync(() => importKeyring({ ...doc, sealed: bytes.toString('base64url') }, kms))).toBe('VAULT_ERR_TAMPERED');
  });

  it('keeps VAULT_ERR_KEK_FAILED for a KMS that is down, on wrap and on unwrap', async () => {
    const kms = new FakeKms();
    const envelope = new EnvelopeEncryptor({ kek: kms });
    const sealed = await envelope.encryptBytes('x', { context });
    kms.down = true;
    expect(await failureOfAsync(() => envelope.decrypt(sealed, { context }))).toBe('VAULT_ERR_KEK_FAILED: unwrapKey on "fake-kms:alias/app"');
    expect(await failureOfAsync(() => envelope.encrypt('x', { context }))).toBe('VAULT_ERR_KEK_FAILED: wrapKey on "fake-kms:alias/app"');
  });

  it('keeps VAULT_ERR_KEK_FAILED for a wrapKey error, even one the provider classifies as an authentication failure', async () => {
    // wrapKey has no ciphertext to authenticate: a failure there is always the provider's.
    const kek: KekProvider = {
      id: 'kms',
      wrapKey: () => Promise.reject(invalidCiphertext()),
      unwrapKey: () => Promise.reject(invalidCiphertext()),
      isAuthenticationFailure: () => true,
    };
    expect(await failureOfAsync(() => new EnvelopeEncryptor({ kek }).encrypt('x'))).toBe('VAULT_ERR_KEK_FAILED: wrapKey on "kms"');
  });

  it('keeps VAULT_ERR_KEK_FAILED when the provider declares no classifier, and when the classifier itself throws', async () => {
    const kms = new FakeKms();
    const sealed = await new EnvelopeEncryptor({ kek: kms }).encryptBytes('x');
    const edited = sealed.slice();
    flip(edited, wrappedKeyOffset(edited) + 20, 0x01);
    const unclassified: KekProvider = { id: kms.id, wrapKey: (k, c) => kms.wrapKey(k, c), unwrapKey: (w, c) => kms.unwrapKey(w, c) };
    expect(await failureOfAsync(() => new EnvelopeEncryptor({ kek: unclassified }).decrypt(edited))).toBe(
      'VAULT_ERR_KEK_FAILED: unwrapKey on "fake-kms:alias/app"',
    );
    const broken = new Error('classifier bug');
    const throwing: KekProvider = {
      ...unclassified,
      isAuthenticationFailure: () => {
        throw broken;
      },
    };
    const error = await new EnvelopeEncryptor({ kek: throwing }).decrypt(edited).catch((e: unknown) => e);
    expect(isVaultError(error, 'VAULT_ERR_KEK_FAILED')).toBe(true);
    expect((error as Error).message).toBe(`${new VaultError('VAULT_ERR_KEK_FAILED').message}: isAuthenticationFailure on "fake-kms:alias/app" threw`);
    expect((error as Error).cause).toBe(broken);
  });

  it('passes on VAULT_ERR_TAMPERED thrown by the provider itself (the way the local provider signals it)', async () => {
    const kms = new FakeKms();
    const sealed = await new EnvelopeEncryptor({ kek: kms }).encryptBytes('x');
    const signalling: KekProvider = {
      id: kms.id,
      wrapKey: (k, c) => kms.wrapKey(k, c),
      unwrapKey: () => Promise.reject(new VaultError('VAULT_ERR_TAMPERED', undefined, { cause: invalidCiphertext() })),
    };
    expect(await codeOfAsync(() => new EnvelopeEncryptor({ kek: signalling }).decrypt(sealed))).toBe('VAULT_ERR_TAMPERED');
  });

  it('never puts the KMS key or the data key into the error', async () => {
    const kms = new FakeKms();
    const dataKeys: Uint8Array[] = [];
    const watching: KekProvider = {
      id: kms.id,
      wrapKey: (k, c) => (dataKeys.push(Uint8Array.from(k)), kms.wrapKey(k, c)),
      unwrapKey: (w, c) => kms.unwrapKey(w, c),
      isAuthenticationFailure: (e) => kms.isAuthenticationFailure(e),
    };
    const envelope = new EnvelopeEncryptor({ kek: watching });
    const sealed = await envelope.encryptBytes('x');
    flip(sealed, wrappedKeyOffset(sealed) + 20, 0x01);
    const error = (await envelope.decrypt(sealed).catch((e: unknown) => e)) as VaultError;
    const said = [error.message, JSON.stringify(error), String((error.cause as Error).message)].join('\n');
    for (const secret of [kms.masterKey, ...dataKeys]) {
      for (const encoding of ['hex', 'base64', 'base64url'] as const) expect(said).not.toContain(Buffer.from(secret).toString(encoding));
    }
    expect(dataKeys).toHaveLength(1);
  });
});
