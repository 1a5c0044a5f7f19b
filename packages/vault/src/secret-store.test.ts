import { describe, expect, it } from 'vitest';
import { FakeClock } from '@rampart/mocks';
import { inspect } from 'node:util';
import { sealWithKeyring } from './cipher.ts';
import { Keyring } from './keyring.ts';
import { SecretStore } from './secret-store.ts';
import { MemoryStorage, type SecretStorage } from './storage.ts';
import type { VaultLogger } from './logger.ts';
import { codeOf, codeOfAsync, failureOfAsync, flip } from './test-support/helpers.ts';

/** Delegates to `inner`, with some methods replaced. */
function wrap(inner: MemoryStorage, overrides: Partial<SecretStorage>): SecretStorage {
  return {
    get: (k) => inner.get(k),
    put: (k, v) => inner.put(k, v),
    delete: (k) => inner.delete(k),
    list: (p) => inner.list(p),
    ...overrides,
  };
}

function recordingLogger(): VaultLogger & { lines: unknown[][] } {
  const lines: unknown[][] = [];
  return { lines, warn: (fields, msg) => lines.push([...Object.values(fields), msg]) };
}

/** A storage that counts its writes. */
function counting(inner: MemoryStorage): SecretStorage & { puts: number } {
  const storage = { puts: 0, ...wrap(inner, {}) };
  storage.put = (k, v) => {
    storage.puts += 1;
    return inner.put(k, v);
  };
  return storage;
}

/** The key version a sealed record's header names (bytes 2-5, big-endian). */
async function sealedUnder(storage: SecretStorage, key: string): Promise<number> {
  const sealed = (await storage.get(key)) as Uint8Array;
  return new DataView(sealed.buffer, sealed.byteOffset).getUint32(2);
}

function setup(maxVersions?: number): { store: SecretStore; storage: MemoryStorage; keyring: Keyring; clock: FakeClock } {
  const keyring = Keyring.generate();
  const storage = new MemoryStorage();
  const clock = new FakeClock(1_000);
  const store = new SecretStore(maxVersions === undefined ? { keyring, storage, clock } : { keyring, storage, clock, maxVersions });
  return { store, storage, keyring, clock };
}

describe('SecretStore', () => {
  it('puts and gets versioned secrets per namespace', async () => {
    const { store, clock } = setup();
    expect(await store.put('payments', 'stripe', 'sk_1')).toEqual({ namespace: 'payments', name: 'stripe', version: 1 });
    clock.advance(500);
    expect((await store.put('payments', 'stripe', 'sk_2')).version).toBe(2);
    const latest = await store.get('payments', 'stripe');
    expect([latest?.version, latest?.createdAt, latest?.reveal()]).toEqual([2, 1_500, 'sk_2']);
    expect((await store.get('payments', 'stripe', { version: 1 }))?.reveal()).toBe('sk_1');
    expect(await store.get('payments', 'stripe', { version: 9 })).toBeUndefined();
    expect(await store.get('other', 'stripe')).toBeUndefined();
  });

  it('stores bytes and hands out copies', async () => {
    const { store } = setup();
    const value = Uint8Array.of(1, 2, 3);
    await store.put('ns', 'bin', value);
    value.fill(0);
    const entry = await store.get('ns', 'bin');
    const copy = entry?.revealBytes() as Uint8Array;
    copy.fill(9);
    expect([...(entry?.revealBytes() as Uint8Array)]).toEqual([1, 2, 3]);
    entry?.wipe();
    expect([...(entry?.revealBytes() as Uint8Array)]).toEqual([0, 0, 0]);
  });

  it('lists live names sorted, and keeps namespaces apart', async () => {
    const { store } = setup();
    await store.put('a', 'zeta', '1');
    await store.put('a', 'alpha', '1');
    await store.put('b', 'beta', '1');
    await store.put('a', 'gone', '1');
    await store.delete('a', 'gone');
    expect(await store.list('a')).toEqual(['alpha', 'zeta']);
    expect(await store.list('b')).toEqual(['beta']);
    expect(await store.list('c')).toEqual([]);
  });

  it('soft-deletes (history kept, next put revives with a new version) and purges', async () => {
    const { store, clock } = setup();
    await store.put('ns', 'k', 'v1');
    clock.advance(1);
    expect(await store.delete('ns', 'k')).toBe(true);
    expect(await store.delete('ns', 'k')).toBe(false);
    expect(await store.delete('ns', 'never')).toBe(false);
    expect(await store.get('ns', 'k')).toBeUndefined();
    expect(await store.history('ns', 'k')).toEqual([{ version: 1, createdAt: 1_000, deleted: true }]);
    await store.put('ns', 'k', 'v2');
    expect(await store.history('ns', 'k')).toEqual([
      { version: 1, createdAt: 1_000, deleted: false },
      { version: 2, createdAt: 1_001, deleted: false },
    ]);
    expect(await store.purge('ns', 'k')).toBe(true);
    expect(await store.purge('ns', 'k')).toBe(false);
    expect(await store.history('ns', 'k')).toEqual([]);
  });

  it('keeps at most maxVersions and never reuses a version number', async () => {
    const { store } = setup(2);
    for (const v of ['a', 'b', 'c']) await store.put('ns', 'k', v);
    expect((await store.history('ns', 'k')).map((h) => h.version)).toEqual([2, 3]);
    expect(await store.get('ns', 'k', { version: 1 })).toBeUndefined();
    expect((await store.put('ns', 'k', 'd')).version).toBe(4);
  });

  it('serialises concurrent puts on one secret (no lost updates)', async () => {
    const { store } = setup(100);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.put('ns', 'k', `v${i}`)));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await store.history('ns', 'k')).length).toBe(20);
  });

  it('keeps working after a failed operation on the same secret', async () => {
    const keyring = Keyring.generate();
    let fail = true;
    const storage = new MemoryStorage();
    const flaky = wrap(storage, { put: (key, value) => (fail ? Promise.reject(new Error('disk full')) : storage.put(key, value)) });
    const store = new SecretStore({ keyring, storage: flaky });
    await expect(store.put('ns', 'k', 'x')).rejects.toThrow('disk full');
    fail = false;
    expect((await store.put('ns', 'k', 'y')).version).toBe(1);
  });

  it('verifies a candidate against the latest value', async () => {
    const { store } = setup();
    await store.put('hooks', 'github', 'whsec_abc');
    expect(await store.verify('hooks', 'github', 'whsec_abc')).toBe(true);
    expect(await store.verify('hooks', 'github', 'whsec_abd')).toBe(false);
    expect(await store.verify('hooks', 'github', 'whsec_ab')).toBe(false);
    expect(await store.verify('hooks', 'missing', 'whsec_abc')).toBe(false);
  });

  it('rewraps every record of a namespace after rotation', async () => {
    const { store, keyring } = setup();
    await store.put('ns', 'a', '1');
    await store.put('ns', 'b', '2');
    keyring.rotate();
    await store.put('ns', 'c', '3');
    expect(await store.rewrapAll('ns')).toBe(2);
    expect(await store.rewrapAll('ns')).toBe(0);
    keyring.disable(1);
    expect((await store.get('ns', 'a'))?.reveal()).toBe('1');
  });

  it('skips records purged while a rewrap is listing', async () => {
    const keyring = Keyring.generate();
    const storage = new MemoryStorage();
    const store = new SecretStore({ keyring, storage });
    await store.put('ns', 'a', '1');
    const racing = wrap(storage, { get: () => Promise.resolve(undefined) });
    expect(await new SecretStore({ keyring, storage: racing }).rewrapAll('ns')).toBe(0);
  });

  it('refuses a record moved to another name (context binds namespace and name)', async () => {
    const { store, storage } = setup();
    await store.put('ns', 'a', 'secret-a');
    await storage.put('ns/b', (await storage.get('ns/a')) as Uint8Array);
    expect(await codeOfAsync(() => store.get('ns', 'b'))).toBe('VAULT_ERR_TAMPERED');
  });

  it('reports an authenticated record of unknown layout as VAULT_ERR_STORAGE', async () => {
    const { store, storage, keyring } = setup();
    const context = { store: 'rampart.vault.secrets', namespace: 'ns', name: 'odd' };
    await storage.put('ns/odd', sealWithKeyring(keyring, Uint8Array.of(0, 0), context));
    expect(await codeOfAsync(() => store.get('ns', 'odd'))).toBe('VAULT_ERR_STORAGE');
  });

  it('validates namespaces, names and options', async () => {
    const { store } = setup();
    for (const [ns, name] of [['', 'a'], ['a', ''], ['a/b', 'c'], ['a', '..'], ['.', 'a'], ['a', 'x'.repeat(129)], ['a', 'sp ace']]) {
      expect(await codeOfAsync(() => store.put(ns as string, name as string, 'v')), `${ns}/${name}`).toBe('VAULT_ERR_INVALID_SECRET_NAME');
    }
    expect(await codeOfAsync(() => store.get('a', 42 as unknown as string))).toBe('VAULT_ERR_INVALID_SECRET_NAME');
    expect(await codeOfAsync(() => store.list('a b'))).toBe('VAULT_ERR_INVALID_SECRET_NAME');
    expect(await codeOfAsync(() => store.rewrapAll(''))).toBe('VAULT_ERR_INVALID_SECRET_NAME');
    expect(await codeOfAsync(() => store.purge('a', '/'))).toBe('VAULT_ERR_INVALID_SECRET_NAME');
    expect(codeOf(() => new SecretStore({ maxVersions: 0 }))).toBe('VAULT_ERR_INVALID_INPUT');
  });

  it('accepts names of 1-128 characters of letters, digits, ".", "_" and "-"', async () => {
    const { store } = setup();
    for (const name of ['x'.repeat(128), 'stripe-key', 'api_v1.2', 'Z9', '...']) {
      expect((await store.put('n.s_-1', name, 'v')).version, name).toBe(1);
    }
    expect((await store.list('n.s_-1')).length).toBe(5);
  });

  it('keeps only the latest version with maxVersions 1', async () => {
    const { store } = setup(1);
    await store.put('ns', 'k', 'a');
    await store.put('ns', 'k', 'b');
    expect(await store.history('ns', 'k')).toEqual([{ version: 2, createdAt: 1_000, deleted: false }]);
  });

  it('skips names that vanish between list and read', async () => {
    const storage = new MemoryStorage();
    const store = new SecretStore({ storage: wrap(storage, { list: async (p) => [...(await storage.list(p)), `${p}ghost`] }) });
    await store.put('ns', 'real', 'v');
    expect(await store.list('ns')).toEqual(['real']);
  });

  it('makes an operation that starts while another is in flight wait for it', async () => {
    const storage = new MemoryStorage();
    const gates: (() => void)[] = [];
    const slow = wrap(storage, { put: (k, v) => new Promise<void>((resolve) => gates.push(() => void storage.put(k, v).then(resolve))) });
    const store = new SecretStore({ storage: slow });
    const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    const first = store.put('ns', 'k', 'a');
    const second = store.put('ns', 'k', 'b');
    await flush();
    gates.shift()?.();
    expect((await first).version).toBe(1);
    await flush();
    const third = store.put('ns', 'k', 'c');
    await flush();
    while (gates.length > 0) {
      gates.shift()?.();
      await flush();
    }
    expect([(await second).version, (await third).version]).toEqual([2, 3]);
    expect((await store.history('ns', 'k')).map((h) => h.version)).toEqual([1, 2, 3]);
  });

  // They used to throw synchronously on a bad name or value although they return promises: a .catch() never ran.
  it('put, delete and purge reject instead of throwing synchronously', async () => {
    const { store } = setup();
    const pending = [() => store.put('a b', 'k', 'v'), () => store.put('ns', 'k', 42 as never), () => store.delete('ns', '..'), () => store.purge('', 'k')].map((call) => call());
    expect(await Promise.all(pending.map((p) => p.then(() => 'no error', (e: unknown) => (e as { code: string }).code)))).toEqual([
      'VAULT_ERR_INVALID_SECRET_NAME',
      'VAULT_ERR_INVALID_INPUT',
      'VAULT_ERR_INVALID_SECRET_NAME',
      'VAULT_ERR_INVALID_SECRET_NAME',
    ]);
  });

  // The lock map was per SecretStore instance, so two stores over one storage lost updates.
  it('serialises writes to one secret across SecretStore instances sharing a storage', async () => {
    const keyring = Keyring.generate();
    const storage = new MemoryStorage();
    const stores = [new SecretStore({ keyring, storage }), new SecretStore({ keyring, storage })];
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (stores[i % 2] as SecretStore).put('ns', 'k', `v${i}`)));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await (stores[1] as SecretStore).history('ns', 'k')).map((h) => h.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await Promise.all([(stores[0] as SecretStore).delete('ns', 'k'), (stores[1] as SecretStore).put('ns', 'k', 'last'), (stores[0] as SecretStore).purge('ns', 'k')]);
    expect(await (stores[1] as SecretStore).history('ns', 'k')).toEqual([]);
  });

  // A no-op delete used to re-seal and rewrite the record, spending nonce budget (and failing at the bound).
  it('delete of an already-deleted or absent secret returns false without writing or sealing', async () => {
    const keyring = Keyring.generate({ maxEncryptionsPerKey: 2 });
    const storage = counting(new MemoryStorage());
    const store = new SecretStore({ keyring, storage });
    await store.put('ns', 'k', 'v');
    expect(await store.delete('ns', 'k')).toBe(true);
    expect([storage.puts, keyring.versions()[0]?.encryptions]).toEqual([2, 2]);
    expect(await store.delete('ns', 'k')).toBe(false);
    expect(await store.delete('ns', 'never')).toBe(false);
    expect([storage.puts, keyring.versions()[0]?.encryptions]).toEqual([2, 2]);
    expect(await store.history('ns', 'k')).toEqual([{ version: 1, createdAt: expect.any(Number) as number, deleted: true }]);
  });

  // rewrapAll used to stop at the first bad record: a half-rewrapped namespace and no count.
  it('rewrapAll rewraps every healthy record past bad ones, warns about each, then throws VAULT_ERR_REWRAP_INCOMPLETE naming them', async () => {
    const keyring = Keyring.generate();
    const storage = new MemoryStorage();
    const logger = recordingLogger();
    const store = new SecretStore({ keyring, storage, logger });
    for (const name of ['a', 'b', 'c', 'd']) await store.put('ns', name, `value-${name}`);
    for (const key of ['ns/b', 'ns/d']) {
      const sealed = (await storage.get(key)) as Uint8Array;
      flip(sealed, sealed.length - 1, 1);
      await storage.put(key, sealed);
    }
    keyring.rotate();
    const error = (await store.rewrapAll('ns').catch((e: unknown) => e)) as Error & { code: string; cause: AggregateError };
    expect(await failureOfAsync(() => Promise.reject(error))).toBe('VAULT_ERR_REWRAP_INCOMPLETE: namespace "ns": 2 rewrapped, 2 not: b, d');
    expect(error.cause).toBeInstanceOf(AggregateError);
    expect(error.cause.errors.map((e: { code: string; message: string }) => [e.code, e.message.slice(e.message.lastIndexOf(': ') + 2)])).toEqual([
      ['VAULT_ERR_TAMPERED', 'secret ns/b'],
      ['VAULT_ERR_TAMPERED', 'secret ns/d'],
    ]);
    expect(error.cause.message).toBe('records not rewrapped');
    expect(error.cause.errors.map((e: { cause: { code: string } }) => e.cause.code)).toEqual(['VAULT_ERR_TAMPERED', 'VAULT_ERR_TAMPERED']);
    expect(await Promise.all(['ns/a', 'ns/b', 'ns/c', 'ns/d'].map((k) => sealedUnder(storage, k)))).toEqual([2, 1, 2, 1]);
    const reason = 'secret not rewrapped by rewrapAll(): its record cannot be read, opened or resealed';
    expect(logger.lines.map(([ns, name, code, , msg]) => [ns, name, code, msg])).toEqual([
      ['ns', 'b', 'VAULT_ERR_TAMPERED', reason],
      ['ns', 'd', 'VAULT_ERR_TAMPERED', reason],
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain('value-');
    // the healthy records are done: a second run only reports the bad ones again
    expect(await failureOfAsync(() => store.rewrapAll('ns'))).toBe('VAULT_ERR_REWRAP_INCOMPLETE: namespace "ns": 0 rewrapped, 2 not: b, d');
    await store.purge('ns', 'b');
    await store.purge('ns', 'd');
    expect(await store.rewrapAll('ns')).toBe(0);
  });

  it('passes on an error of the change itself (a failing clock), not one of the cleanup after it', async () => {
    const clockDown = new Error('clock down');
    let fail = false;
    const store = new SecretStore({ clock: { now: () => (fail ? (() => { throw clockDown; })() : 0) } });
    await store.put('ns', 'k', 'v1');
    fail = true;
    expect(await store.put('ns', 'k', 'v2').catch((e: unknown) => e)).toBe(clockDown);
    expect(await store.delete('ns', 'k').catch((e: unknown) => e)).toBe(clockDown);
    fail = false;
    expect((await store.get('ns', 'k'))?.reveal()).toBe('v1');
  });

  it('rewrapAll passes on at once a storage error that is not a vault error (it may be an outage)', async () => {
    const keyring = Keyring.generate();
    const storage = new MemoryStorage();
    const logger = recordingLogger();
    const outage = new Error('ECONNRESET');
    const flaky = wrap(storage, { get: (k) => (k === 'ns/a' ? Promise.reject(outage) : storage.get(k)) });
    const store = new SecretStore({ keyring, storage: flaky, logger });
    // listed first (MemoryStorage lists in insertion order), so nothing after it may run
    await storage.put('ns/a', Uint8Array.of(1));
    await store.put('ns', 'b', '2');
    keyring.rotate();
    expect(await store.rewrapAll('ns').catch((e: unknown) => e)).toBe(outage);
    expect([await sealedUnder(storage, 'ns/b'), logger.lines.length]).toEqual([1, 0]);
  });

  it('MemoryStorage lists only the keys under a prefix', async () => {
    const storage = new MemoryStorage();
    for (const key of ['a/x', 'a/y', 'ab/z', 'b/x']) await storage.put(key, Uint8Array.of(1));
    expect((await storage.list('a/')).sort()).toEqual(['a/x', 'a/y']);
  });

  it('works with zero config and never prints values', async () => {
    const store = new SecretStore();
    await store.put('ns', 'k', 'hunter2');
    const entry = await store.get('ns', 'k');
    expect(inspect(entry)).toBe("SecretEntry { namespace: 'ns', name: 'k', version: 1, value: [redacted] }");
    expect(JSON.stringify(entry)).toBe(`{"namespace":"ns","name":"k","version":1,"createdAt":${String(entry?.createdAt)},"value":"[redacted]"}`);
  });
});
