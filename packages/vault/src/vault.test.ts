import { describe, expect, it } from 'vitest';
import { FakeClock } from '@rampart/mocks';
import { ALGORITHMS } from './aead.ts';
import { Keyring } from './keyring.ts';
import { Vault, createVault } from './vault.ts';
import { codeOf, counterRandom, failureOf, flip } from './test-support/helpers.ts';

const ctx = { table: 'users', column: 'ssn', row: 42 };

describe('Vault', () => {
  it('round-trips a string through the base64url text form with zero config', () => {
    const vault = createVault();
    const token = vault.encrypt('123-45-6789');
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(vault.decryptString(token)).toBe('123-45-6789');
  });

  it('round-trips bytes through the binary form with a context', () => {
    const vault = new Vault();
    const sealed = vault.encryptBytes(Uint8Array.of(1, 2, 3), { context: ctx });
    expect([...vault.decrypt(sealed, { context: ctx })]).toEqual([1, 2, 3]);
  });

  it('produces header (6 bytes) + 12-byte nonce + plaintext + 16-byte tag for AES-256-GCM', () => {
    const vault = new Vault({ randomBytes: counterRandom(7) });
    const sealed = vault.encryptBytes('abc');
    expect(sealed.length).toBe(6 + 12 + 3 + 16);
    expect([...sealed.subarray(0, 6)]).toEqual([1, 1, 0, 0, 0, 1]);
  });

  it('uses a 24-byte nonce and algorithm id 2 for XChaCha20-Poly1305', () => {
    const vault = new Vault({ algorithm: 'xchacha20-poly1305' });
    const sealed = vault.encryptBytes('abc');
    expect(sealed.length).toBe(6 + 24 + 3 + 16);
    expect(sealed[1]).toBe(ALGORITHMS['xchacha20-poly1305'].id);
    expect(vault.decryptString(sealed)).toBe('abc');
  });

  it('refuses to decrypt under a different context with VAULT_ERR_TAMPERED', () => {
    const vault = new Vault();
    const token = vault.encrypt('secret', { context: ctx });
    expect(codeOf(() => vault.decrypt(token, { context: { ...ctx, row: 43 } }))).toBe('VAULT_ERR_TAMPERED');
    expect(codeOf(() => vault.decrypt(token))).toBe('VAULT_ERR_TAMPERED');
  });

  it('treats integer and decimal-string context values as the same context', () => {
    const vault = new Vault();
    const token = vault.encrypt('x', { context: { row: 42, table: 'users' } });
    expect(vault.decryptString(token, { context: { table: 'users', row: '42' } })).toBe('x');
    expect(vault.decryptString(token, { context: { table: 'users', row: 42n } })).toBe('x');
  });

  it('decrypts data of an older version after rotate() and encrypts new data under the new one', () => {
    const vault = new Vault();
    const old = vault.encrypt('v1 data');
    expect(vault.keyring.rotate()).toBe(2);
    const fresh = vault.encrypt('v2 data');
    expect([vault.keyVersionOf(old), vault.keyVersionOf(fresh)]).toEqual([1, 2]);
    expect(vault.decryptString(old)).toBe('v1 data');
  });

  it('rewraps an old ciphertext under the primary, keeping its form and plaintext', () => {
    const vault = new Vault();
    const text = vault.encrypt('payload', { context: ctx });
    const bytes = vault.encryptBytes('payload', { context: ctx });
    vault.keyring.rotate();
    const t2 = vault.rewrap(text, { context: ctx });
    const b2 = vault.rewrap(bytes, { context: ctx });
    expect(typeof t2).toBe('string');
    expect(b2).toBeInstanceOf(Uint8Array);
    expect([vault.keyVersionOf(t2), vault.keyVersionOf(b2)]).toEqual([2, 2]);
    expect(vault.decryptString(t2, { context: ctx })).toBe('payload');
    expect(vault.decryptString(b2, { context: ctx })).toBe('payload');
  });

  it('returns a ciphertext already under the primary unchanged from rewrap, without spending nonce budget', () => {
    const vault = new Vault();
    const token = vault.encrypt('same');
    const before = vault.keyring.versions()[0]?.encryptions;
    expect(vault.rewrap(token)).toBe(token);
    expect(vault.keyring.versions()[0]?.encryptions).toBe(before);
  });

  it('refuses to rewrap a tampered ciphertext', () => {
    const vault = new Vault();
    const bytes = vault.encryptBytes('x');
    vault.keyring.rotate();
    flip(bytes, bytes.length - 1, 1);
    expect(codeOf(() => vault.rewrap(bytes))).toBe('VAULT_ERR_TAMPERED');
  });

  it('refuses encryption at the configured nonce bound and tells the operator to rotate', () => {
    const vault = new Vault({ maxEncryptionsPerKey: 2 });
    vault.encrypt('1');
    vault.encrypt('2');
    let message = '';
    try {
      vault.encrypt('3');
    } catch (e) {
      message = (e as Error).message;
      expect((e as { code: string }).code).toBe('VAULT_ERR_NONCE_BOUND_REACHED');
    }
    expect(message).toContain('rotate()');
    expect(message).toContain('key version 1 performed 2 encryptions (bound 2)');
    vault.keyring.rotate();
    expect(vault.decryptString(vault.encrypt('3'))).toBe('3');
  });

  it('caps the bound at 2^32 for AES-256-GCM whatever is configured', () => {
    const keyring = Keyring.fromKeys([{ version: 1, key: counterRandom()(32), encryptions: 2 ** 32 }]);
    const vault = new Vault({ keyring });
    expect(codeOf(() => vault.encrypt('x'))).toBe('VAULT_ERR_NONCE_BOUND_REACHED');
  });

  it('does not spend nonce budget when the context is invalid', () => {
    const vault = new Vault({ maxEncryptionsPerKey: 1 });
    expect(codeOf(() => vault.encrypt('x', { context: { bad: 1.5 } }))).toBe('VAULT_ERR_INVALID_CONTEXT');
    expect(vault.decryptString(vault.encrypt('x'))).toBe('x');
  });

  it('rejects plaintexts that are not strings or bytes, and strings with lone surrogates', () => {
    const vault = new Vault();
    expect(codeOf(() => vault.encrypt(42 as unknown as string))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(codeOf(() => vault.encrypt('a\uD800b'))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(codeOf(() => vault.decrypt({} as unknown as string))).toBe('VAULT_ERR_INVALID_INPUT');
  });

  it('keeps a leading byte-order mark (decryption returns exactly what was encrypted)', () => {
    const vault = new Vault();
    expect(vault.decryptString(vault.encrypt('\uFEFFbom'))).toBe('\uFEFFbom');
  });

  it('refuses decryptString on a plaintext that is not UTF-8', () => {
    const vault = new Vault();
    expect(codeOf(() => vault.decryptString(vault.encrypt(Uint8Array.of(0xff, 0xfe))))).toBe('VAULT_ERR_INVALID_INPUT');
  });

  it('rejects a random source that returns the wrong nonce length', () => {
    const keyring = Keyring.fromKeys([{ version: 1, key: counterRandom()(32) }], { randomBytes: () => new Uint8Array(5) });
    expect(codeOf(() => new Vault({ keyring }).encrypt('x'))).toBe('VAULT_ERR_INVALID_INPUT');
  });

  it('reads createdAt from the injected clock', () => {
    const vault = new Vault({ clock: new FakeClock(1_700_000_000_000) });
    expect(vault.keyring.versions()[0]?.createdAt).toBe(1_700_000_000_000);
  });

  // They used to be ignored silently: `maxEncryptionsPerKey: 3` next to a keyring did not bound anything.
  it('refuses keyring options next to a ready keyring with VAULT_ERR_INVALID_INPUT', () => {
    const keyring = Keyring.generate();
    const options = { id: 'app', algorithm: 'xchacha20-poly1305', maxEncryptionsPerKey: 3, randomBytes: counterRandom(), clock: new FakeClock(0) } as const;
    for (const [name, value] of Object.entries(options)) {
      expect(failureOf(() => new Vault({ keyring, [name]: value })), name).toBe(
        `VAULT_ERR_INVALID_INPUT: keyring options (${name}) cannot be combined with a ready keyring: set them when creating it`,
      );
    }
    expect(failureOf(() => createVault({ keyring, maxEncryptionsPerKey: 3, algorithm: 'xchacha20-poly1305' }))).toBe(
      'VAULT_ERR_INVALID_INPUT: keyring options (algorithm, maxEncryptionsPerKey) cannot be combined with a ready keyring: set them when creating it',
    );
    expect(new Vault({ keyring, id: undefined, maxEncryptionsPerKey: undefined }).keyring).toBe(keyring);
    expect(new Vault({ maxEncryptionsPerKey: 3 }).keyring.versions()).toHaveLength(1);
  });

  it('prints and serialises without key material', () => {
    const vault = new Vault({ id: 'app' });
    expect(JSON.parse(JSON.stringify(vault))).toEqual({
      keyring: { id: 'app', primaryVersion: 1, minDecryptionVersion: 1, versions: [{ version: 1, algorithm: 'aes-256-gcm', state: 'active', createdAt: vault.keyring.versions()[0]?.createdAt, encryptions: 0 }] },
    });
    expect((vault as unknown as Record<symbol, () => string>)[Symbol.for('nodejs.util.inspect.custom')]?.()).toBe(
      "Vault { keyring: 'app', primaryVersion: 1 }",
    );
  });
});
