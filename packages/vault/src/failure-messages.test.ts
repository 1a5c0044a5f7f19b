/**
 * Every synchronous failure path, pinned by exact code AND exact detail: operators
 * read these messages in logs, so a changed wording or a swapped branch is a
 * regression even when the code stays the same. (Async paths: failure-messages-async.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { ALGORITHMS, algorithmSpec, open, seal } from './aead.ts';
import { canonicalContext } from './context.ts';
import { fromText, parseCiphertext } from './format.ts';
import { checkKeyBytes, keyFromText } from './key-text.ts';
import { Keyring, keyringAccess } from './keyring.ts';
import { decodeRecord } from './secret-record.ts';
import { Vault } from './vault.ts';
import { counterRandom, failureOf } from './test-support/helpers.ts';

function causeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return (e as Error).cause;
  }
  return undefined;
}

const gcm = ALGORITHMS['aes-256-gcm'];
const xchacha = ALGORITHMS['xchacha20-poly1305'];
const key = (seed: number): Uint8Array => counterRandom(seed)(32);

describe('AEAD parameter failures', () => {
  it('names the unsupported algorithm, key size and nonce size', () => {
    expect(failureOf(() => algorithmSpec('chacha20'))).toBe('VAULT_ERR_INVALID_KEY: unsupported algorithm "chacha20"');
    expect(failureOf(() => algorithmSpec(undefined))).toBe('VAULT_ERR_INVALID_KEY: unsupported algorithm "undefined"');
    expect(failureOf(() => seal(gcm, new Uint8Array(16), new Uint8Array(12), new Uint8Array(0), new Uint8Array(0)))).toBe(
      'VAULT_ERR_INVALID_KEY: aes-256-gcm needs a 256-bit key',
    );
    expect(failureOf(() => seal(gcm, key(1), new Uint8Array(8), new Uint8Array(0), new Uint8Array(0)))).toBe(
      'VAULT_ERR_INVALID_INPUT: aes-256-gcm needs a 96-bit nonce',
    );
    expect(failureOf(() => open(xchacha, key(1), new Uint8Array(12), new Uint8Array(16), new Uint8Array(0)))).toBe(
      'VAULT_ERR_INVALID_INPUT: xchacha20-poly1305 needs a 192-bit nonce',
    );
  });

  it('reports a short or forged sealed body as tampered with no detail', () => {
    expect(failureOf(() => open(gcm, key(1), new Uint8Array(12), new Uint8Array(15), new Uint8Array(0)))).toBe('VAULT_ERR_TAMPERED: ');
    expect(failureOf(() => open(gcm, key(1), new Uint8Array(12), new Uint8Array(16), new Uint8Array(0)))).toBe('VAULT_ERR_TAMPERED: ');
  });
});

describe('format and text failures', () => {
  it('names the unknown format version and algorithm id', () => {
    expect(failureOf(() => parseCiphertext(Uint8Array.of(2, 1)))).toBe('VAULT_ERR_MALFORMED_CIPHERTEXT: unknown format version 2');
    expect(failureOf(() => parseCiphertext(Uint8Array.of(1, 9)))).toBe('VAULT_ERR_MALFORMED_CIPHERTEXT: unknown algorithm id 9');
    expect(failureOf(() => parseCiphertext(Uint8Array.of(1)))).toBe('VAULT_ERR_TAMPERED: ciphertext is truncated');
    expect(failureOf(() => parseCiphertext(new Uint8Array(33).fill(1)))).toBe('VAULT_ERR_TAMPERED: ciphertext is truncated');
  });

  it('tells bad base64url from non-canonical base64url', () => {
    expect(failureOf(() => fromText('AAE='))).toBe('VAULT_ERR_MALFORMED_CIPHERTEXT: text form must be unpadded base64url');
    expect(failureOf(() => fromText('AAAAA'))).toBe('VAULT_ERR_MALFORMED_CIPHERTEXT: text form must be unpadded base64url');
    expect(failureOf(() => fromText('AB'))).toBe('VAULT_ERR_MALFORMED_CIPHERTEXT: text form is not canonical base64url');
    expect(failureOf(() => fromText('AAF'))).toBe('VAULT_ERR_MALFORMED_CIPHERTEXT: text form is not canonical base64url');
  });
});

describe('context and plaintext failures', () => {
  it('names the offending context field, or the shape', () => {
    expect(failureOf(() => canonicalContext({ row: 1.5 }))).toBe(
      'VAULT_ERR_INVALID_CONTEXT: context field "row" must be a well-formed string, a safe integer or a bigint',
    );
    for (const shape of [['x'], new Date(0), 'str', null]) {
      expect(failureOf(() => canonicalContext(shape as never))).toBe('VAULT_ERR_INVALID_CONTEXT: context must be a plain object or a Uint8Array');
    }
  });

  it('names what was given instead of a string or bytes', () => {
    const vault = new Vault();
    expect(failureOf(() => vault.encrypt(42 as never))).toBe('VAULT_ERR_INVALID_INPUT: plaintext must be a string or a Uint8Array');
    expect(failureOf(() => vault.encrypt('a\uD800'))).toBe('VAULT_ERR_INVALID_INPUT: plaintext string contains a lone surrogate');
    expect(failureOf(() => vault.decrypt({} as never))).toBe('VAULT_ERR_INVALID_INPUT: ciphertext must be a string or a Uint8Array');
    expect(failureOf(() => vault.decryptString(vault.encrypt(Uint8Array.of(0xff))))).toBe(
      'VAULT_ERR_INVALID_INPUT: plaintext is not valid UTF-8; use decrypt() for bytes',
    );
    expect(causeOf(() => vault.decryptString(vault.encrypt(Uint8Array.of(0xff))))).toBeInstanceOf(TypeError);
    expect(failureOf(() => vault.encryptBytes(42 as never))).toBe('VAULT_ERR_INVALID_INPUT: plaintext must be a string or a Uint8Array');
  });

  it('reports a wrong-length nonce source', () => {
    const keyring = Keyring.fromKeys([{ version: 1, key: key(1) }], { randomBytes: () => new Uint8Array(5) });
    expect(failureOf(() => new Vault({ keyring }).encrypt('x'))).toBe('VAULT_ERR_INVALID_INPUT: randomBytes returned the wrong length');
  });

  it('reports an authenticated record of unknown layout, keeping the parse error as cause', () => {
    expect(failureOf(() => decodeRecord(Uint8Array.of(0, 0)))).toBe('VAULT_ERR_STORAGE: secret record has an unknown layout');
    expect(causeOf(() => decodeRecord(Uint8Array.of(0, 0)))).toBeInstanceOf(RangeError);
  });
});

describe('master key text failures', () => {
  it('explains each refusal', () => {
    expect(failureOf(() => keyFromText('hunter2'))).toBe('VAULT_ERR_INVALID_KEY: a master key is 32 bytes as base64, base64url or hex');
    expect(failureOf(() => checkKeyBytes(new Uint8Array(31).fill(1)))).toBe('VAULT_ERR_INVALID_KEY: a master key is exactly 32 bytes');
    const hex = Buffer.from(key(5)).toString('hex');
    const b64 = Buffer.from(key(5)).toString('base64url');
    for (const framed of [`x${hex}`, `${hex}x`, `!${b64}`, `${b64}!`]) {
      expect(failureOf(() => keyFromText(framed)), framed).toBe('VAULT_ERR_INVALID_KEY: a master key is 32 bytes as base64, base64url or hex');
    }
    expect(failureOf(() => keyFromText('ab'.repeat(32)))).toBe(
      'VAULT_ERR_INVALID_KEY: a master key of one repeated byte is a placeholder, not a key',
    );
  });
});

describe('keyring failures', () => {
  it('explains invalid options and inputs', () => {
    expect(failureOf(() => Keyring.generate({ maxEncryptionsPerKey: 0 }))).toBe(
      'VAULT_ERR_INVALID_INPUT: maxEncryptionsPerKey must be a positive safe integer',
    );
    expect(failureOf(() => Keyring.generate({ randomBytes: () => new Uint8Array(16) }))).toBe(
      'VAULT_ERR_INVALID_KEY: randomBytes returned the wrong length',
    );
    expect(failureOf(() => Keyring.fromKeys([]))).toBe('VAULT_ERR_INVALID_KEY: a keyring needs at least one key');
    expect(failureOf(() => Keyring.fromKeys([{ version: 0, key: key(1) }]))).toBe(
      'VAULT_ERR_INVALID_INPUT: key versions are integers from 1 to 2^32-1',
    );
    expect(failureOf(() => Keyring.fromKeys([{ version: 1, key: key(1) }, { version: 1, key: key(2) }]))).toBe(
      'VAULT_ERR_INVALID_KEY: duplicate key version 1',
    );
    expect(failureOf(() => Keyring.fromKeys([{ version: 1, key: key(1), state: 'active' }, { version: 2, key: key(2) }]))).toBe(
      'VAULT_ERR_KEY_STATE: only the primary version may be active, not 1',
    );
    expect(failureOf(() => Keyring.fromKeys([{ version: 1, key: new Uint8Array(16) }]))).toBe(
      'VAULT_ERR_INVALID_KEY: key version 1 needs 32 bytes of material',
    );
    expect(failureOf(() => Keyring.fromKeys([{ version: 1, key: key(1), encryptions: 0.5 }]))).toBe(
      'VAULT_ERR_INVALID_INPUT: encryptions must be a count',
    );
    expect(failureOf(() => Keyring.fromKeys([{ version: 1, key: key(1) }], { primary: 2 }))).toBe(
      'VAULT_ERR_KEY_STATE: primary version 2 must exist and be usable',
    );
    expect(failureOf(() => Keyring.fromKeys([{ version: 1, key: key(1), state: 'disabled' }], { primary: 1 }))).toBe(
      'VAULT_ERR_KEY_STATE: primary version 1 must exist and be usable',
    );
  });

  it('explains refused lifecycle operations', () => {
    const ring = Keyring.generate();
    expect(failureOf(() => ring.disable(1))).toBe('VAULT_ERR_KEY_STATE: cannot disable the primary version; rotate first');
    expect(failureOf(() => ring.destroy(1))).toBe('VAULT_ERR_KEY_STATE: cannot destroy the primary version; rotate first');
    expect(failureOf(() => ring.enable(1))).toBe('VAULT_ERR_KEY_STATE: version 1 is active, not disabled');
    expect(failureOf(() => ring.setPrimary(9))).toBe('VAULT_ERR_UNKNOWN_KEY_VERSION: version 9');
    expect(failureOf(() => ring.setMinDecryptionVersion(2))).toBe('VAULT_ERR_KEY_STATE: minDecryptionVersion may not exceed the primary version');
    ring.rotate();
    ring.rotate();
    ring.disable(1);
    expect(failureOf(() => ring.setPrimary(1))).toBe('VAULT_ERR_KEY_STATE: version 1 is disabled');
    ring.setMinDecryptionVersion(3);
    expect(failureOf(() => ring.setPrimary(2))).toBe('VAULT_ERR_KEY_STATE: version 2 is below minDecryptionVersion');
    ring.destroy(1);
    expect(failureOf(() => ring.disable(1))).toBe('VAULT_ERR_KEY_STATE: version 1 is destroyed');
    const last = Keyring.fromKeys([{ version: 2 ** 32 - 1, key: key(1) }]);
    expect(failureOf(() => last.rotate())).toBe('VAULT_ERR_KEY_STATE: the keyring ran out of version numbers');
  });

  it('names the version a ciphertext may not be opened under', () => {
    const vault = new Vault();
    const old = vault.encrypt('x');
    vault.keyring.rotate();
    vault.keyring.rotate();
    vault.keyring.disable(1);
    expect(failureOf(() => vault.decrypt(old))).toBe('VAULT_ERR_KEY_DISABLED: version 1');
    vault.keyring.destroy(1);
    expect(failureOf(() => vault.decrypt(old))).toBe('VAULT_ERR_KEY_DESTROYED: version 1');
    expect(failureOf(() => keyringAccess.entries(vault.keyring).find((e) => e.version === 1)?.material)).toBe('VAULT_ERR_KEY_DESTROYED: key version 1');
    vault.keyring.setMinDecryptionVersion(3);
    const mid = new Vault({ keyring: Keyring.fromKeys([{ version: 2, key: key(2) }]) }).encryptBytes('y');
    expect(failureOf(() => vault.decrypt(mid))).toBe('VAULT_ERR_KEY_VERSION_RETIRED: version 2');
  });
});
