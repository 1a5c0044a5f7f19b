/**
 * Known-answer tests (Project Wycheproof) against the AEAD layer the vault uses.
 * The layer supports exactly AES-256-GCM with 96-bit IVs and XChaCha20-Poly1305
 * with 192-bit nonces; every other Wycheproof group (128/192-bit AES keys, IVs
 * of 0-2056 bits, other XChaCha nonce sizes) must be rejected by design, and
 * the test asserts that too.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { VECTORS_DIR } from '@rampart/fixtures';
import { describe, expect, it } from 'vitest';
import { ALGORITHMS, open, seal, type AlgorithmSpec } from './aead.ts';
import { isVaultError } from './errors.ts';

interface Case { tcId: number; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: 'valid' | 'invalid' | 'acceptable' }
interface Group { keySize: number; ivSize: number; tagSize: number; tests: Case[] }

// The vectors are vendored in the repository's test-data workspace (fixtures/vectors).
const vectors = VECTORS_DIR;
const load = (file: string): Group[] =>
  (JSON.parse(readFileSync(resolve(vectors, file), 'utf8')) as { testGroups: Group[] }).testGroups;
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

function errorCode(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    return isVaultError(e) ? e.code : `non-vault error: ${String(e)}`;
  }
  return 'no error';
}

function runGroups(file: string, spec: AlgorithmSpec): void {
  const groups = load(file);
  const supported = groups.filter((g) => g.keySize === spec.keyLength * 8 && g.ivSize === spec.nonceLength * 8 && g.tagSize === 128);
  const unsupported = groups.filter((g) => !supported.includes(g));

  it(`${file}: every valid case in the supported group encrypts to ct||tag and decrypts back`, () => {
    const cases = supported.flatMap((g) => g.tests).filter((t) => t.result === 'valid');
    expect(cases.length).toBeGreaterThan(30);
    for (const t of cases) {
      const sealed = seal(spec, hex(t.key), hex(t.iv), hex(t.msg), hex(t.aad));
      expect(Buffer.from(sealed).toString('hex'), `tcId ${t.tcId}`).toBe(t.ct + t.tag);
      expect(open(spec, hex(t.key), hex(t.iv), sealed, hex(t.aad)).toString('hex'), `tcId ${t.tcId}`).toBe(t.msg);
    }
  });

  it(`${file}: every invalid case in the supported group is rejected as VAULT_ERR_TAMPERED`, () => {
    const cases = supported.flatMap((g) => g.tests).filter((t) => t.result === 'invalid');
    expect(cases.length).toBeGreaterThan(20);
    for (const t of cases) {
      const code = errorCode(() => open(spec, hex(t.key), hex(t.iv), Buffer.concat([hex(t.ct), hex(t.tag)]), hex(t.aad)));
      expect(code, `tcId ${t.tcId}`).toBe('VAULT_ERR_TAMPERED');
    }
  });

  it(`${file}: every case of an unsupported key or nonce size is rejected by design, in both directions`, () => {
    expect(unsupported.length).toBeGreaterThan(0);
    for (const t of unsupported.flatMap((g) => g.tests)) {
      const expected = hex(t.key).length === spec.keyLength ? 'VAULT_ERR_INVALID_INPUT' : 'VAULT_ERR_INVALID_KEY';
      expect(errorCode(() => seal(spec, hex(t.key), hex(t.iv), hex(t.msg), hex(t.aad))), `tcId ${t.tcId}`).toBe(expected);
      const sealed = Buffer.concat([hex(t.ct), hex(t.tag)]);
      expect(errorCode(() => open(spec, hex(t.key), hex(t.iv), sealed, hex(t.aad))), `tcId ${t.tcId}`).toBe(expected);
    }
  });
}

describe('Wycheproof AES-GCM', () => {
  runGroups('aes_gcm_test.json', ALGORITHMS['aes-256-gcm']);

  it('supports exactly the 256-bit key / 96-bit IV group and rejects the other 44', () => {
    const groups = load('aes_gcm_test.json');
    const supported = groups.filter((g) => g.keySize === 256 && g.ivSize === 96);
    expect(supported.map((g) => g.tests.length)).toEqual([66]);
    expect(groups.length - supported.length).toBe(44);
  });
});

describe('Wycheproof XChaCha20-Poly1305', () => {
  runGroups('xchacha20_poly1305_test.json', ALGORITHMS['xchacha20-poly1305']);
});
