import { describe, expect, it } from 'vitest';
import { ALGORITHMS } from './aead.ts';
import { fromText, parseCiphertext, toText, writeHeader } from './format.ts';
import { codeOf } from './test-support/helpers.ts';

const gcm = ALGORITHMS['aes-256-gcm'];

function sample(): Uint8Array {
  const out = new Uint8Array(6 + 12 + 4 + 16);
  writeHeader(out, gcm, 0x01020304, new Uint8Array(12).fill(9));
  return out;
}

describe('ciphertext format v1', () => {
  it('writes version, algorithm, big-endian key version and nonce', () => {
    const out = sample();
    expect([...out.subarray(0, 8)]).toEqual([1, 1, 1, 2, 3, 4, 9, 9]);
  });

  it('parses what it writes', () => {
    const parsed = parseCiphertext(sample());
    expect(parsed.spec).toBe(gcm);
    expect(parsed.keyVersion).toBe(0x01020304);
    expect(parsed.header.length).toBe(18);
    expect(parsed.nonce.length).toBe(12);
    expect(parsed.sealed.length).toBe(20);
  });

  it('classifies unknown versions and algorithms as malformed, short input as truncated (tampered)', () => {
    const bad = sample();
    bad[0] = 2;
    expect(codeOf(() => parseCiphertext(bad))).toBe('VAULT_ERR_MALFORMED_CIPHERTEXT');
    const alg = sample();
    alg[1] = 9;
    expect(codeOf(() => parseCiphertext(alg))).toBe('VAULT_ERR_MALFORMED_CIPHERTEXT');
    expect(codeOf(() => parseCiphertext(Uint8Array.of(1)))).toBe('VAULT_ERR_TAMPERED');
    expect(codeOf(() => parseCiphertext(sample().subarray(0, 33)))).toBe('VAULT_ERR_TAMPERED');
    expect(parseCiphertext(sample().subarray(0, 34)).sealed.length).toBe(16);
  });

  it('parses a ciphertext that sits inside a larger buffer at an offset', () => {
    const big = new Uint8Array(100);
    big.set(sample(), 10);
    expect(parseCiphertext(big.subarray(10, 48)).keyVersion).toBe(0x01020304);
  });
});

describe('text form', () => {
  it('is unpadded base64url and round-trips', () => {
    const bytes = Uint8Array.of(0xfb, 0xff, 0xfe, 0x00, 0x01);
    expect(toText(bytes)).toBe('-__-AAE');
    expect([...fromText('-__-AAE')]).toEqual([...bytes]);
  });

  it('refuses padding, foreign characters, impossible lengths and non-canonical trailing bits', () => {
    for (const text of ['AAE=', 'AA E', 'AA+/', 'AAAAA', 'AAF', 'AB', 'AE', 'AAAB-']) {
      expect(codeOf(() => fromText(text)), text).toBe('VAULT_ERR_MALFORMED_CIPHERTEXT');
    }
    expect([...fromText('AAE')]).toEqual([0, 1]);
    expect([...fromText('AA')]).toEqual([0]);
    expect([...fromText('AQ')]).toEqual([1]);
    expect([...fromText('AAAB')]).toEqual([0, 0, 1]);
    expect([...fromText('')]).toEqual([]);
  });
});
