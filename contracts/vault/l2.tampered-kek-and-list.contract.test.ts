/**
 * L2 contract (documented options): a KEK provider's `isAuthenticationFailure`
 * turns a refused unwrap of a forged wrapped key into VAULT_ERR_TAMPERED while
 * outages stay VAULT_ERR_KEK_FAILED, and the `logger` option of SecretStore and
 * FileStorage receives a warning for each record `list()` leaves out. Imports
 * only the public entry. Locked once written: never modified.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvelopeEncryptor, FileStorage, Keyring, MemoryStorage, SecretStore, type KekProvider, type VaultLogger } from '@rampart/vault';

const codeOf = async (run: () => Promise<unknown>): Promise<string> => {
  try {
    await run();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'none';
};

/** A KMS stand-in: AES-256-GCM under its own key, SDK-style errors, and a switch that takes it offline. */
function fakeKms(): KekProvider & { down: boolean } {
  const key = randomBytes(32);
  const offline = (): Promise<never> => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
  return {
    id: 'fake-kms:alias/app',
    down: false,
    wrapKey(dataKey, aad) {
      if (this.down) return offline();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad);
      return Promise.resolve(Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]));
    },
    unwrapKey(wrapped, aad) {
      if (this.down) return offline();
      const bytes = Buffer.from(wrapped);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12)).setAAD(aad);
        decipher.setAuthTag(bytes.subarray(-16));
        return Promise.resolve(Buffer.concat([decipher.update(bytes.subarray(12, -16)), decipher.final()]));
      } catch {
        return Promise.reject(Object.assign(new Error('InvalidCiphertextException'), { name: 'InvalidCiphertextException' }));
      }
    },
    isAuthenticationFailure: (error) => (error as Error).name === 'InvalidCiphertextException',
  };
}

function recordingLogger(): VaultLogger & { lines: { fields: Record<string, unknown>; msg: string }[] } {
  const lines: { fields: Record<string, unknown>; msg: string }[] = [];
  return { lines, warn: (fields, msg) => lines.push({ fields: fields as Record<string, unknown>, msg }) };
}

describe('@rampart/vault L2: KEK provider authentication failures', () => {
  it('reports a wrapped key the KMS refuses as VAULT_ERR_TAMPERED and a KMS outage as VAULT_ERR_KEK_FAILED', async () => {
    const kms = fakeKms();
    const envelope = new EnvelopeEncryptor({ kek: kms });
    const context = { object: 'inv-1' };
    const blob = await envelope.encryptBytes('invoice', { context });
    const edited = blob.slice();
    const wrappedAt = 2 + (blob[1] as number) + 2;
    edited[wrappedAt + 20] = (edited[wrappedAt + 20] as number) ^ 1;
    expect(await codeOf(() => envelope.decrypt(edited, { context }))).toBe('VAULT_ERR_TAMPERED');
    expect(await codeOf(() => envelope.decrypt(blob, { context: { object: 'inv-2' } }))).toBe('VAULT_ERR_TAMPERED');
    expect(await envelope.decryptString(blob, { context })).toBe('invoice');
    kms.down = true;
    expect(await codeOf(() => envelope.decrypt(blob, { context }))).toBe('VAULT_ERR_KEK_FAILED');
    expect(await codeOf(() => envelope.encrypt('x', { context }))).toBe('VAULT_ERR_KEK_FAILED');
  });
});

describe('@rampart/vault L2: list() leaves out records it cannot use, with a warning', () => {
  it('SecretStore lists the healthy secrets and warns about the one whose record does not open', async () => {
    const logger = recordingLogger();
    const storage = new MemoryStorage();
    const store = new SecretStore({ keyring: Keyring.generate(), storage, logger });
    await store.put('payments', 'stripe', 'sk_1');
    await store.put('payments', 'paypal', 'pp_1');
    const sealed = (await storage.get('payments/paypal')) as Uint8Array;
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] as number) ^ 1;
    await storage.put('payments/paypal', sealed);
    expect(await store.list('payments')).toEqual(['stripe']);
    expect(logger.lines.map((l) => [l.fields.namespace, l.fields.secretName, l.fields.code])).toEqual([['payments', 'paypal', 'VAULT_ERR_TAMPERED']]);
    expect(JSON.stringify(logger.lines)).not.toContain('pp_1');
    expect(await codeOf(() => store.get('payments', 'paypal'))).toBe('VAULT_ERR_TAMPERED');
  });

  it('FileStorage lists the other keys and warns about a hashed record file it cannot use', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-l2-list-'));
    try {
      const logger = recordingLogger();
      const storage = new FileStorage(dir, { logger });
      await storage.put('db/password', Uint8Array.of(1));
      const file = `${createHash('sha256').update(`x/${'y'.repeat(200)}`).digest('hex')}.hrec`;
      await writeFile(join(dir, file), Uint8Array.of(9));
      expect(await storage.list('')).toEqual(['db/password']);
      expect(logger.lines.map((l) => [l.fields.file, l.fields.code])).toEqual([[file, 'VAULT_ERR_STORAGE']]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
