import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Algorithm } from './aead.ts';
import { parseCiphertext } from './format.ts';
import { Vault } from './vault.ts';
import { codeOf, flip } from './test-support/helpers.ts';

const algorithm = fc.constantFrom<Algorithm>('aes-256-gcm', 'xchacha20-poly1305');
const contextValue = fc.oneof(fc.string(), fc.integer(), fc.bigInt());
const recordContext = fc.dictionary(fc.string({ maxLength: 8 }), contextValue, { maxKeys: 4 });
const anyContext = fc.option(fc.oneof(recordContext, fc.uint8Array({ maxLength: 64 })), { nil: undefined });
const wellFormed = fc.string({ unit: 'binary', maxLength: 200 }).filter((s) => s.isWellFormed());
const FAILURES = ['VAULT_ERR_TAMPERED', 'VAULT_ERR_MALFORMED_CIPHERTEXT', 'VAULT_ERR_UNKNOWN_KEY_VERSION'];

describe('vault laws', () => {
  it('decrypt(encrypt(bytes, aad), aad) returns the bytes, for any bytes, AAD and algorithm', () => {
    fc.assert(
      fc.property(algorithm, fc.uint8Array({ maxLength: 512 }), anyContext, (alg, bytes, context) => {
        const vault = new Vault({ algorithm: alg });
        expect([...vault.decrypt(vault.encryptBytes(bytes, { context }), { context })]).toEqual([...bytes]);
      }),
      { numRuns: 150 },
    );
  });

  it('decryptString(encrypt(text, ctx), ctx) returns the text, for any well-formed string and context', () => {
    const vault = new Vault();
    fc.assert(
      fc.property(wellFormed, recordContext, (text, context) => {
        expect(vault.decryptString(vault.encrypt(text, { context }), { context })).toBe(text);
      }),
      { numRuns: 150 },
    );
  });

  it('flipping any bit anywhere in a ciphertext makes decryption fail', () => {
    fc.assert(
      fc.property(algorithm, fc.uint8Array({ maxLength: 64 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (alg, bytes, at, bit) => {
        const vault = new Vault({ algorithm: alg });
        const sealed = vault.encryptBytes(bytes);
        flip(sealed, at % sealed.length, 1 << bit);
        expect(FAILURES).toContain(codeOf(() => vault.decrypt(sealed)));
      }),
      { numRuns: 300 },
    );
  });

  it('replacing any byte with another value, or truncating or extending, makes decryption fail', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat(), (bytes, at, delta, cut) => {
        const vault = new Vault();
        const sealed = vault.encryptBytes(bytes);
        const edited = new Uint8Array(sealed);
        const i = at % edited.length;
        edited[i] = ((edited[i] as number) + delta) & 0xff;
        expect(FAILURES).toContain(codeOf(() => vault.decrypt(edited)));
        expect(FAILURES).toContain(codeOf(() => vault.decrypt(sealed.subarray(0, cut % sealed.length))));
        expect(FAILURES).toContain(codeOf(() => vault.decrypt(Buffer.concat([sealed, Uint8Array.of(delta)]))));
      }),
      { numRuns: 300 },
    );
  });

  it('editing any character of the text form makes decryption fail', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), fc.nat(), fc.integer({ min: 1, max: 63 }), (bytes, at, shift) => {
        const vault = new Vault();
        const token = vault.encrypt(bytes);
        const i = at % token.length;
        const replaced = alphabet[(alphabet.indexOf(token.charAt(i)) + shift) % 64] as string;
        expect(FAILURES).toContain(codeOf(() => vault.decrypt(token.slice(0, i) + replaced + token.slice(i + 1))));
      }),
      { numRuns: 300 },
    );
  });

  it('no two encryptions under one key version reuse a nonce', () => {
    fc.assert(
      fc.property(algorithm, fc.array(fc.uint8Array({ maxLength: 16 }), { minLength: 2, maxLength: 200 }), (alg, plaintexts) => {
        const vault = new Vault({ algorithm: alg });
        const nonces = plaintexts.map((p) => Buffer.from(parseCiphertext(vault.encryptBytes(p)).nonce).toString('hex'));
        expect(new Set(nonces).size).toBe(nonces.length);
      }),
      { numRuns: 50 },
    );
  });

  it('rewrap preserves plaintext, lands on the primary, and is idempotent', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 0, max: 4 }), anyContext, (bytes, rotations, context) => {
        const vault = new Vault();
        const original = vault.encryptBytes(bytes, { context });
        for (let i = 0; i < rotations; i++) vault.keyring.rotate();
        const once = vault.rewrap(original, { context });
        const twice = vault.rewrap(once, { context });
        expect(vault.keyVersionOf(once)).toBe(vault.keyring.primaryVersion);
        expect(Buffer.from(twice).equals(Buffer.from(once))).toBe(true);
        expect([...vault.decrypt(twice, { context })]).toEqual([...bytes]);
      }),
      { numRuns: 100 },
    );
  });
});
