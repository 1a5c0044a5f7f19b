/**
 * L1 contract (novice, zero config): a generated key, encrypt and decrypt.
 * Imports only the public entry. Locked once written: never modified.
 */
import { describe, expect, it } from 'vitest';
import { createVault, isVaultError } from '@rampart/vault';

describe('@rampart/vault L1', () => {
  it('encrypts a string to an opaque URL-safe token and decrypts it back', () => {
    const vault = createVault();
    const token = vault.encrypt('hello, world');
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).not.toContain('hello');
    expect(vault.decryptString(token)).toBe('hello, world');
  });

  it('encrypts bytes and decrypts them back', () => {
    const vault = createVault();
    const sealed = vault.encryptBytes(Uint8Array.of(0, 1, 2, 255));
    expect([...vault.decrypt(sealed)]).toEqual([0, 1, 2, 255]);
  });

  it('gives a different token each time for the same plaintext', () => {
    const vault = createVault();
    expect(vault.encrypt('same')).not.toBe(vault.encrypt('same'));
  });

  it('rejects a modified token with VAULT_ERR_TAMPERED', () => {
    const vault = createVault();
    const token = vault.encrypt('amount=100');
    const last = token.at(-1) === 'A' ? 'Q' : 'A';
    let caught: unknown;
    try {
      vault.decrypt(token.slice(0, -1) + last);
    } catch (e) {
      caught = e;
    }
    expect(isVaultError(caught)).toBe(true);
    expect(['VAULT_ERR_TAMPERED', 'VAULT_ERR_MALFORMED_CIPHERTEXT']).toContain((caught as { code: string }).code);
  });

  it('does not decrypt a token from another vault', () => {
    const token = createVault().encrypt('mine');
    expect(() => createVault().decrypt(token)).toThrow(expect.objectContaining({ code: 'VAULT_ERR_TAMPERED' }));
  });
});
