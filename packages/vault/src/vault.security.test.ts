/**
 * Security suite: the attacks a vault must withstand, each as a direct test.
 */
import * as crypto from 'node:crypto';
import type * as NodeCrypto from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { ALGORITHMS, seal } from './aead.ts';
import { constantTimeEqual } from './compare.ts';
import { canonicalContext } from './context.ts';
import { EnvelopeEncryptor } from './envelope.ts';
import { KeyringKekProvider } from './kek.ts';
import { Keyring, keyringAccess } from './keyring.ts';
import { exportKeyring } from './keyring-document.ts';
import { SecretStore } from './secret-store.ts';
import { Vault } from './vault.ts';
import { codeOf, codeOfAsync, flip } from './test-support/helpers.ts';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeCrypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const KEY = Buffer.from('8f3b1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9', 'hex');
const ctx = { table: 'users', column: 'ssn', row: 42 };
const leakForms = (key: Buffer): string[] => [key.toString('hex'), key.toString('base64'), key.toString('base64url'), [...key].join(',')];

function fixedVault(): Vault {
  return new Vault({ keyring: Keyring.fromKeys([{ version: 1, key: KEY }]) });
}

describe('tamper and truncation', () => {
  it('detects a modified ciphertext, tag, nonce or header byte', () => {
    const vault = fixedVault();
    const sealed = vault.encryptBytes('attack at dawn', { context: ctx });
    for (const at of [0, 1, 5, 6, 17, 18, 25, sealed.length - 16, sealed.length - 1]) {
      const edited = new Uint8Array(sealed);
      flip(edited, at, 0x01);
      expect(['VAULT_ERR_TAMPERED', 'VAULT_ERR_MALFORMED_CIPHERTEXT', 'VAULT_ERR_UNKNOWN_KEY_VERSION']).toContain(
        codeOf(() => vault.decrypt(edited, { context: ctx })),
      );
    }
  });

  it('detects truncation at every length and a stripped tag', () => {
    const vault = fixedVault();
    const sealed = vault.encryptBytes('attack at dawn');
    for (let len = 0; len < sealed.length; len++) {
      expect(codeOf(() => vault.decrypt(sealed.subarray(0, len))), `len ${len}`).toBe('VAULT_ERR_TAMPERED');
    }
  });
});

describe('header and context swaps', () => {
  it('refuses a ciphertext body spliced under another ciphertext header', () => {
    const vault = fixedVault();
    const a = vault.encryptBytes('alice: 100');
    const b = vault.encryptBytes('bob:   999');
    const spliced = Buffer.concat([a.subarray(0, 18), b.subarray(18)]);
    expect(codeOf(() => vault.decrypt(spliced))).toBe('VAULT_ERR_TAMPERED');
  });

  it('refuses a header rewritten to another key version or algorithm', () => {
    const vault = fixedVault();
    const sealed = vault.encryptBytes('x');
    vault.keyring.rotate();
    const other = new Uint8Array(sealed);
    other[5] = 2; // claims version 2, which exists
    expect(codeOf(() => vault.decrypt(other))).toBe('VAULT_ERR_TAMPERED');
    const alg = vault.encryptBytes('x'.repeat(40));
    alg[1] = 2; // claims XChaCha (long enough to parse as one) for an AES key
    expect(codeOf(() => vault.decrypt(alg))).toBe('VAULT_ERR_TAMPERED');
  });

  it('refuses a ciphertext that is valid under the same key bytes for another algorithm (one key, one algorithm)', () => {
    const vault = fixedVault();
    const header = Uint8Array.of(1, ALGORITHMS['xchacha20-poly1305'].id, 0, 0, 0, 1, ...new Uint8Array(24).fill(7));
    const sealed = seal(ALGORITHMS['xchacha20-poly1305'], KEY, header.subarray(6), Buffer.from('forged'), Buffer.concat([header, canonicalContext(undefined)]));
    expect(codeOf(() => vault.decrypt(Buffer.concat([header, sealed])))).toBe('VAULT_ERR_TAMPERED');
  });

  it('makes a context swap indistinguishable from tampering (same code, same message)', () => {
    const vault = fixedVault();
    const token = vault.encrypt('123-45-6789', { context: ctx });
    const edited = new Uint8Array(vault.encryptBytes('123-45-6789', { context: ctx }));
    flip(edited, 30, 1);
    let swapped: unknown;
    let tampered: unknown;
    try {
      vault.decrypt(token, { context: { ...ctx, row: 43 } });
    } catch (e) {
      swapped = e;
    }
    try {
      vault.decrypt(edited, { context: ctx });
    } catch (e) {
      tampered = e;
    }
    expect((swapped as Error).message).toBe((tampered as Error).message);
    expect((swapped as { code: string }).code).toBe('VAULT_ERR_TAMPERED');
    expect((tampered as { code: string }).code).toBe('VAULT_ERR_TAMPERED');
  });
});

describe('downgrade', () => {
  it('never decrypts under a destroyed key, even if a header is rewritten to claim it', () => {
    const vault = fixedVault();
    const old = vault.encryptBytes('old');
    vault.keyring.rotate();
    const fresh = vault.encryptBytes('new');
    vault.keyring.destroy(1);
    expect(codeOf(() => vault.decrypt(old))).toBe('VAULT_ERR_KEY_DESTROYED');
    const downgraded = new Uint8Array(fresh);
    downgraded[5] = 1;
    expect(codeOf(() => vault.decrypt(downgraded))).toBe('VAULT_ERR_KEY_DESTROYED');
    expect(codeOf(() => vault.keyring.setPrimary(1))).toBe('VAULT_ERR_KEY_STATE');
  });

  it('zeroes the key material Buffer of a destroyed version and refuses to hand it out again', () => {
    const vault = fixedVault();
    const held = keyringAccess.entries(vault.keyring)[0]?.material as Buffer;
    expect(held.equals(KEY)).toBe(true);
    vault.keyring.rotate();
    vault.keyring.destroy(1);
    expect(held.every((b) => b === 0)).toBe(true);
    expect(codeOf(() => keyringAccess.entries(vault.keyring)[0]?.material)).toBe('VAULT_ERR_KEY_DESTROYED');
    const entry = keyringAccess.entries(vault.keyring)[1];
    expect(inspect(entry)).toBe("KeyVersion { version: 2, state: 'active', material: [redacted] }");
    expect(Object.keys(JSON.parse(JSON.stringify(entry)) as object)).toEqual(['version', 'algorithm', 'state', 'createdAt', 'encryptions']);
  });

  it('leaves destroyed material out of a sealed export', async () => {
    const vault = fixedVault();
    vault.keyring.rotate();
    vault.keyring.destroy(1);
    const kek = new KeyringKekProvider(Keyring.generate());
    const doc = await exportKeyring(vault.keyring, kek);
    const payload = await new EnvelopeEncryptor({ kek }).decrypt(doc.sealed, { context: { purpose: 'rampart.vault.keyring', id: 'default' } });
    expect(payload.includes(KEY)).toBe(false);
    expect(payload.length).toBe(4 + payload.readUInt32BE(0) + 32);
  });
});

describe('timing-safe comparisons', () => {
  it('constantTimeEqual goes through crypto.timingSafeEqual on fixed-length digests', () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    expect(constantTimeEqual(Buffer.from('secret-a'), Buffer.from('secret-a'))).toBe(true);
    expect(constantTimeEqual(Buffer.from('secret-a'), Buffer.from('secret-b'))).toBe(false);
    expect(constantTimeEqual(Buffer.from('short'), Buffer.from('much longer value'))).toBe(false);
    expect(spy).toHaveBeenCalledTimes(3);
    for (const [a, b] of spy.mock.calls) expect([(a as Uint8Array).length, (b as Uint8Array).length]).toEqual([32, 32]);
  });

  it('SecretStore.verify uses the constant-time path', async () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    const store = new SecretStore();
    await store.put('hooks', 'gh', 'whsec');
    spy.mockClear();
    expect(await store.verify('hooks', 'gh', 'whsec')).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('rejects a tag that differs only in its last byte (full tag verification)', () => {
    const vault = fixedVault();
    const sealed = vault.encryptBytes('x');
    flip(sealed, sealed.length - 1, 0x80);
    expect(codeOf(() => vault.decrypt(sealed))).toBe('VAULT_ERR_TAMPERED');
  });
});

describe('secret leakage', () => {
  it('keeps key material out of inspect, JSON, errors and audit events', async () => {
    const events: unknown[] = [];
    const listener = (m: unknown): void => {
      events.push(m);
    };
    subscribe('rampart:vault.keyring', listener);
    const vault = fixedVault();
    const kek = new KeyringKekProvider(vault.keyring);
    const errors: string[] = [];
    try {
      vault.keyring.rotate();
      vault.keyring.destroy(1);
      for (const run of [() => vault.keyring.destroy(2), () => vault.decrypt('AQEAAAAB'), () => vault.keyring.disable(9)]) {
        try {
          run();
        } catch (e) {
          errors.push(inspect(e), JSON.stringify(e), String((e as Error).stack));
        }
      }
      errors.push(await codeOfAsync(() => new EnvelopeEncryptor({ kek }).decrypt('AgAA')));
    } finally {
      unsubscribe('rampart:vault.keyring', listener);
    }
    const surfaces = [inspect(vault), inspect(vault.keyring, { showHidden: true, depth: 10 }), JSON.stringify(vault), inspect(kek), JSON.stringify(kek), JSON.stringify(events), ...errors];
    for (const surface of surfaces) for (const form of leakForms(KEY)) expect(surface).not.toContain(form);
    expect(events.length).toBe(2);
  });

  it('keeps plaintext out of errors and out of the ciphertext', () => {
    const vault = fixedVault();
    const token = vault.encrypt('SSN-123-45-6789', { context: ctx });
    expect(token).not.toContain('SSN');
    try {
      vault.decrypt(token, { context: { other: 1 } });
    } catch (e) {
      expect(inspect(e)).not.toContain('SSN-123');
    }
  });

  it('keeps secret values out of inspect and JSON of store entries', async () => {
    const store = new SecretStore();
    await store.put('db', 'pw', 'correct horse battery staple');
    const entry = await store.get('db', 'pw');
    expect(inspect(entry, { showHidden: true })).not.toContain('correct horse');
    expect(JSON.stringify(entry)).not.toContain('correct horse');
  });
});
