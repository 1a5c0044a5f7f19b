import { describe, expect, it } from 'vitest';
import { ALGORITHMS, algorithmById, algorithmSpec, open, seal } from './aead.ts';
import { codeOf, flip } from './test-support/helpers.ts';

const key = new Uint8Array(32).fill(3);

describe('AEAD layer', () => {
  it('looks algorithms up by header id and by name', () => {
    expect(algorithmById(1)).toBe(ALGORITHMS['aes-256-gcm']);
    expect(algorithmById(2)).toBe(ALGORITHMS['xchacha20-poly1305']);
    expect(algorithmById(0)).toBeUndefined();
    expect(algorithmSpec('xchacha20-poly1305')).toBe(ALGORITHMS['xchacha20-poly1305']);
    expect(codeOf(() => algorithmSpec('chacha20'))).toBe('VAULT_ERR_INVALID_KEY');
  });

  it('states the NIST SP 800-38D bound for AES-GCM random nonces', () => {
    expect(ALGORITHMS['aes-256-gcm'].safeMessageBound).toBe(4_294_967_296);
  });

  for (const spec of Object.values(ALGORITHMS)) {
    it(`${spec.name}: seals to plaintext+16 bytes and opens back; a short input is tampered`, () => {
      const nonce = new Uint8Array(spec.nonceLength).fill(1);
      const sealed = seal(spec, key, nonce, Uint8Array.of(1, 2, 3), Uint8Array.of(9));
      expect(sealed.length).toBe(19);
      expect([...open(spec, key, nonce, sealed, Uint8Array.of(9))]).toEqual([1, 2, 3]);
      expect(codeOf(() => open(spec, key, nonce, sealed, Uint8Array.of(8)))).toBe('VAULT_ERR_TAMPERED');
      expect(codeOf(() => open(spec, key, nonce, sealed.subarray(0, 15), Uint8Array.of(9)))).toBe('VAULT_ERR_TAMPERED');
    });
  }

  it('keeps the library error as cause, not in the message', () => {
    const spec = ALGORITHMS['aes-256-gcm'];
    const nonce = new Uint8Array(12);
    const sealed = seal(spec, key, nonce, Uint8Array.of(1), new Uint8Array(0));
    flip(sealed, 0, 1);
    try {
      open(spec, key, nonce, sealed, new Uint8Array(0));
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe('Decryption failed: the ciphertext was modified or truncated, or it was opened under a different context or key');
      expect((e as Error).cause).toBeInstanceOf(Error);
    }
  });
});
