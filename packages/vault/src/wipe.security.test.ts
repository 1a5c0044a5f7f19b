/**
 * Security suite: plaintexts and data keys the vault handles internally are
 * zeroed once used. node:crypto is wrapped so the test can see every buffer
 * that goes into an AES-GCM cipher or comes out of a decipher, and check that
 * the ones the caller never receives are all zeros after the operation.
 * Fresh key material is watched at its source instead: the tests pass a
 * random source that remembers the buffers it returned. Secret records are
 * watched as the store decodes them, so their values can be checked too.
 */
import type * as NodeCrypto from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EnvelopeEncryptor } from './envelope.ts';
import { KeyringKekProvider } from './kek.ts';
import { Keyring } from './keyring.ts';
import { exportKeyring, importKeyring } from './keyring-document.ts';
import { SecretEntry } from './secret-entry.ts';
import type * as SecretRecordModule from './secret-record.ts';
import { SecretStore } from './secret-store.ts';
import { Vault } from './vault.ts';
import { codeOf, codeOfAsync } from './test-support/helpers.ts';

const seen = vi.hoisted(() => ({
  buffers: [] as Uint8Array[],
  records: [] as { versions: { value: Uint8Array }[] }[],
  encoded: [] as { versions: { value: Uint8Array }[] }[],
}));

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeCrypto>();
  const record = <T extends { update: (data: Uint8Array) => Buffer }>(stream: T, which: 'input' | 'output'): T => {
    const update = stream.update.bind(stream);
    stream.update = (data: Uint8Array): Buffer => {
      const out = update(data);
      seen.buffers.push(which === 'input' ? data : out);
      return out;
    };
    return stream;
  };
  return {
    ...actual,
    createCipheriv: (...args: Parameters<typeof actual.createCipheriv>) => record(actual.createCipheriv(...args), 'input'),
    createDecipheriv: (...args: Parameters<typeof actual.createDecipheriv>) => record(actual.createDecipheriv(...args), 'output'),
  };
});

vi.mock('./secret-record.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof SecretRecordModule>();
  return {
    ...actual,
    decodeRecord: (bytes: Uint8Array) => {
      const record = actual.decodeRecord(bytes);
      seen.records.push(record);
      return record;
    },
    encodeRecord: (record: SecretRecordModule.SecretRecord) => {
      seen.encoded.push(record);
      return actual.encodeRecord(record);
    },
  };
});

/** Whether each value of the records the store decoded is all zeros, in order. */
const recordValuesZeroed = (): boolean[] => seen.records.flatMap((r) => r.versions.map((v) => v.value.every((x) => x === 0)));

/** Runs `op` and returns how many internal buffers it used and how many of them still hold a non-zero byte. */
async function residue(op: () => unknown): Promise<{ used: number; dirty: number }> {
  seen.buffers.length = 0;
  await op();
  return { used: seen.buffers.length, dirty: seen.buffers.filter((b) => b.some((x) => x !== 0)).length };
}

beforeEach(() => {
  seen.buffers.length = 0;
  seen.records.length = 0;
  seen.encoded.length = 0;
});

/** A real CSPRNG that remembers every buffer it hands out, so a test can look at them afterwards. */
function watchedRandom(): { source: (size: number) => Uint8Array; handed: Uint8Array[] } {
  const handed: Uint8Array[] = [];
  return {
    handed,
    source: (size) => {
      const out = randomBytes(size);
      handed.push(out);
      return out;
    },
  };
}

const keySized = (buffers: Uint8Array[]): Uint8Array[] => buffers.filter((b) => b.length === 32);

describe('internal buffers are wiped', () => {
  it('Vault: decryptString and rewrap leave no plaintext behind', async () => {
    const vault = new Vault();
    const old = vault.encrypt('ssn 123-45-6789');
    vault.keyring.rotate();
    expect(await residue(() => vault.decryptString(old))).toEqual({ used: 1, dirty: 0 });
    // rewrap: decipher output and cipher input are the same plaintext buffer
    expect(await residue(() => vault.rewrap(old))).toEqual({ used: 2, dirty: 0 });
  });

  it('EnvelopeEncryptor: data keys, decryptString and rewrap leave nothing behind', async () => {
    const ring = Keyring.generate();
    const envelope = new EnvelopeEncryptor({ kek: new KeyringKekProvider(ring) });
    // encrypt: the data key goes into the KEK's cipher; the caller's plaintext is theirs to wipe
    const { used } = await residue(() => envelope.encryptBytes(Uint8Array.of(0)));
    expect(used).toBe(2);
    expect(seen.buffers[0]?.every((b) => b === 0)).toBe(true);
    const sealed = await envelope.encryptBytes('invoice');
    ring.rotate();
    // unwrapped data key + plaintext
    expect(await residue(() => envelope.decryptString(sealed))).toEqual({ used: 2, dirty: 0 });
    // decrypt (data key, plaintext) then encrypt (data key, same plaintext)
    expect(await residue(() => envelope.rewrap(sealed))).toEqual({ used: 4, dirty: 0 });
  });

  // encryptBytes copies the plaintext before awaiting the KEK (the caller may reuse its buffer meanwhile): the copy is wiped.
  it('EnvelopeEncryptor: the copy of the plaintext taken before the KEK call is wiped, the caller\'s buffer is left alone', async () => {
    const envelope = new EnvelopeEncryptor({ kek: new KeyringKekProvider(Keyring.generate()) });
    const plaintext = Buffer.from('invoice body');
    // the data key into the KEK's cipher, then the plaintext copy into the data cipher
    expect(await residue(() => envelope.encryptBytes(plaintext))).toEqual({ used: 2, dirty: 0 });
    expect(plaintext.toString()).toBe('invoice body');
  });

  it('SecretStore: records are wiped after put, get, delete and rewrapAll', async () => {
    const keyring = Keyring.generate();
    const store = new SecretStore({ keyring });
    expect(await residue(() => store.put('ns', 'k', 'v1'))).toEqual({ used: 1, dirty: 0 });
    expect(await residue(() => store.put('ns', 'k', 'v2'))).toEqual({ used: 2, dirty: 0 });
    expect(await residue(() => store.get('ns', 'k'))).toEqual({ used: 1, dirty: 0 });
    keyring.rotate();
    expect(await residue(() => store.rewrapAll('ns'))).toEqual({ used: 2, dirty: 0 });
    expect(await residue(() => store.delete('ns', 'k'))).toEqual({ used: 2, dirty: 0 });
  });

  // delete() of an already-deleted secret now writes nothing: the record it opened to find out is wiped all the same.
  it('SecretStore: a delete that changes nothing wipes the record it opened', async () => {
    const store = new SecretStore();
    await store.put('payments', 'stripe', 'v1');
    await store.put('payments', 'stripe', 'v2');
    await store.delete('payments', 'stripe');
    seen.records.length = 0;
    expect(await residue(async () => expect(await store.delete('payments', 'stripe')).toBe(false))).toEqual({ used: 1, dirty: 0 });
    expect(recordValuesZeroed()).toEqual([true, true]);
  });

  it('SecretStore: put() of a new secret wipes its copy of the value once sealed', async () => {
    const store = new SecretStore();
    const value = Buffer.from('sk_live_NEW');
    await store.put('payments', 'fresh', value);
    expect(seen.encoded.flatMap((r) => r.versions.map((v) => v.value.every((x) => x === 0)))).toEqual([true]);
    expect(value.toString()).toBe('sk_live_NEW');
  });

  // list() used to decrypt every record for its deleted flag and leave all its values in memory.
  it('SecretStore: list() wipes the values of every record it opens', async () => {
    const store = new SecretStore();
    await store.put('payments', 'stripe', 'sk_live_SECRET');
    await store.put('payments', 'stripe', 'sk_live_NEWER');
    await store.put('payments', 'gone', 'sk_live_OLD');
    await store.delete('payments', 'gone');
    seen.records.length = 0;
    expect(await residue(async () => expect(await store.list('payments')).toEqual(['stripe']))).toEqual({ used: 2, dirty: 0 });
    expect(recordValuesZeroed()).toEqual([true, true, true]);
  });

  // get() of a soft-deleted secret used to return before the loop that wipes the versions.
  it('SecretStore: get() of a deleted secret wipes every version it decrypted', async () => {
    const store = new SecretStore();
    await store.put('payments', 'stripe', 'v1');
    await store.put('payments', 'stripe', 'v2');
    await store.delete('payments', 'stripe');
    seen.records.length = 0;
    expect(await residue(async () => expect(await store.get('payments', 'stripe')).toBeUndefined())).toEqual({ used: 1, dirty: 0 });
    expect(recordValuesZeroed()).toEqual([true, true]);
  });

  // verify() used to leave the copy from revealBytes() holding the secret, and the entry when the candidate was refused.
  it('SecretStore: verify() wipes the entry and its copy of the secret, also when the candidate is refused', async () => {
    const store = new SecretStore();
    await store.put('hooks', 'github', 'whsec_SECRET');
    const copies: Uint8Array[] = [];
    const original = SecretEntry.prototype.revealBytes;
    const spy = vi.spyOn(SecretEntry.prototype, 'revealBytes').mockImplementation(function (this: SecretEntry) {
      const out = original.call(this);
      copies.push(out);
      return out;
    });
    try {
      seen.records.length = 0;
      expect(await store.verify('hooks', 'github', 'whsec_SECRET')).toBe(true);
      expect(copies.map((b) => b.every((x) => x === 0))).toEqual([true]);
      expect(recordValuesZeroed()).toEqual([true]);
      seen.records.length = 0;
      expect(await codeOfAsync(() => store.verify('hooks', 'github', 42 as never))).toBe('VAULT_ERR_INVALID_INPUT');
      expect(recordValuesZeroed()).toEqual([true]);
    } finally {
      spy.mockRestore();
    }
  });

  // put() used to leave the decrypted record and the new value in memory when sealing it was refused.
  it('SecretStore: put() wipes the record also when sealing it is refused', async () => {
    const store = new SecretStore({ keyring: Keyring.generate({ maxEncryptionsPerKey: 1 }) });
    await store.put('ns', 'k', 'v1');
    seen.records.length = 0;
    expect(await codeOfAsync(() => store.put('ns', 'k', 'v2'))).toBe('VAULT_ERR_NONCE_BOUND_REACHED');
    // the stored v1 and the refused v2, which was appended to the same record
    expect(recordValuesZeroed()).toEqual([true, true]);
  });

  // A failed AES-GCM open used to leave the unauthenticated plaintext that update() returned in memory.
  it('Vault: a failed AES-GCM decryption wipes the plaintext the decipher produced', async () => {
    const vault = new Vault();
    const token = vault.encrypt('123-45-6789', { context: { row: 1 } });
    let code = '';
    // right key, other context: the decipher produces the real plaintext before the tag check fails
    expect(await residue(() => (code = codeOf(() => vault.decrypt(token, { context: { row: 2 } }))))).toEqual({ used: 1, dirty: 0 });
    expect(code).toBe('VAULT_ERR_TAMPERED');
  });

  it('keyring documents: the sealed payload is wiped after export and after import', async () => {
    const kek = new KeyringKekProvider(Keyring.generate());
    const ring = Keyring.generate();
    let doc: Awaited<ReturnType<typeof exportKeyring>> | undefined;
    expect(await residue(async () => (doc = await exportKeyring(ring, kek)))).toEqual({ used: 2, dirty: 0 });
    expect(await residue(() => importKeyring(doc, kek))).toEqual({ used: 2, dirty: 0 });
  });

  it('EnvelopeEncryptor: the data key is wiped in the buffer the random source returned', async () => {
    const random = watchedRandom();
    const envelope = new EnvelopeEncryptor({ kek: new KeyringKekProvider(Keyring.generate()), randomBytes: random.source });
    const sealed = await envelope.encryptBytes('invoice');
    // one data key (32 bytes) and one nonce (12 bytes, public: it is in the envelope)
    expect(random.handed.map((b) => b.length)).toEqual([32, 12]);
    expect(keySized(random.handed).map((b) => b.every((x) => x === 0))).toEqual([true]);
    expect(await envelope.decryptString(sealed)).toBe('invoice');
  });

  it('Keyring: generate and rotate wipe the random buffers new key material was copied from', () => {
    const random = watchedRandom();
    const vault = new Vault({ keyring: Keyring.generate({ randomBytes: random.source }) });
    const v1 = vault.encrypt('one');
    vault.keyring.rotate();
    const v2 = vault.encrypt('two');
    const keys = keySized(random.handed);
    expect(keys).toHaveLength(2);
    expect(keys.map((b) => b.every((x) => x === 0))).toEqual([true, true]);
    // the keyring kept its own copies: both versions still work
    expect([vault.decryptString(v1), vault.decryptString(v2)]).toEqual(['one', 'two']);
  });

  it('Keyring: a random buffer of the wrong length is refused and wiped too', () => {
    const handed: Uint8Array[] = [];
    const short = (size: number): Uint8Array => {
      const out = randomBytes(size - 1);
      handed.push(out);
      return out;
    };
    expect(codeOf(() => Keyring.generate({ randomBytes: short }))).toBe('VAULT_ERR_INVALID_KEY');
    expect(handed.map((b) => b.every((x) => x === 0))).toEqual([true]);
  });
});
