import { FakeClock } from '@rampart/mocks';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.ts';
import type { Policy } from './policy.ts';
import { definePolicies } from './policy.ts';
import { storeTarget } from './store-target.ts';
import type { StoreOutcome } from './store.ts';

const T = 1_700_000_000_000;
const policies = definePolicies({ limit: 1, windowMs: 1_000 });

class CountingStore extends MemoryStore {
  readonly keys: string[] = [];
  override consume(key: string, p: readonly Policy[], cost: number): StoreOutcome {
    this.keys.push(key);
    return super.consume(key, p, cost);
  }
}

describe('storeTarget', () => {
  it('gives a MemoryStore namespace its own table, keys as given', () => {
    const store = new MemoryStore({ clock: new FakeClock(T), sweepIntervalMs: 0 });
    const target = storeTarget(store, 'ns', policies);
    expect(target.consume('k', policies, 1)).toMatchObject({ allowed: true });
    expect(store.consume('ns|k', policies, 1).allowed).toBe(true); // not the same entry
    expect(target.consume('k', policies, 1)).toMatchObject({ allowed: false });
    void target.reset('k', policies);
    expect(target.consume('k', policies, 1)).toMatchObject({ allowed: true });
  });

  it('keeps a namespace apart per list of algorithms, and shares it between identical lists', () => {
    const store = new MemoryStore({ clock: new FakeClock(T), sweepIntervalMs: 0 });
    const log = definePolicies({ algorithm: 'sliding-log', limit: 1, windowMs: 1_000 });
    expect(storeTarget(store, 'ns', policies).consume('k', policies, 1)).toMatchObject({ allowed: true });
    expect(storeTarget(store, 'ns', log).consume('k', log, 1)).toMatchObject({ allowed: true });
    const same = definePolicies({ limit: 1, windowMs: 1_000 });
    expect(storeTarget(store, 'ns', same).consume('k', same, 1)).toMatchObject({ allowed: false });
    // a namespace that looks like a policy list cannot alias another table
    expect(storeTarget(store, 'default:fixed-window|ns', policies).consume('k', policies, 1)).toMatchObject({ allowed: true });
  });

  // Was: the table id held the algorithms only, so limiters sharing a namespace with differently named
  // policies shared one count in memory while Redis (policy name in the key) kept two.
  it('keeps a namespace apart per policy name, as Redis keys do', () => {
    const store = new MemoryStore({ clock: new FakeClock(T), sweepIntervalMs: 0 });
    const login = definePolicies({ name: 'login', limit: 1, windowMs: 1_000 });
    const api = definePolicies({ name: 'api', limit: 1, windowMs: 1_000 });
    expect(storeTarget(store, 'ns', api).consume('k', api, 1)).toMatchObject({ allowed: true });
    expect(storeTarget(store, 'ns', login).consume('k', login, 1)).toMatchObject({ allowed: true });
    expect(storeTarget(store, 'ns', login).consume('k', login, 1)).toMatchObject({ allowed: false });
    expect(store.size).toBe(2);
  });

  it('sends `<namespace>|<key>` to any other store, including a MemoryStore subclass that overrides consume', async () => {
    const store = new CountingStore({ clock: new FakeClock(T), sweepIntervalMs: 0 });
    const target = storeTarget(store, 'ns', policies);
    expect((await target.consume('k', policies, 1)).allowed).toBe(true);
    expect(store.keys).toEqual(['ns|k']);
    expect(store.consume('ns|k', policies, 1).allowed).toBe(false); // the same entry
    await target.reset('k', policies);
    expect(store.consume('ns|k', policies, 1).allowed).toBe(true);
  });
});
