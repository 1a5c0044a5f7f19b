/**
 * What a limiter talks to: its own namespace of a store, with keys passed as
 * given. Two limiters sharing a store never share a key.
 */
import { memoryTable, MemoryStore } from './memory-store.ts';
import type { Policy } from './policy.ts';
import type { RateLimitStore, StoreOutcome } from './store.ts';

export interface StoreTarget {
  consume(key: string, policies: readonly Policy[], cost: number): StoreOutcome | Promise<StoreOutcome>;
  reset(key: string, policies: readonly Policy[]): void | Promise<void>;
}

/**
 * A `MemoryStore` gives each namespace its own table, so no `namespace|key`
 * string is built and hashed per decision (that cost more than the decision
 * itself); a subclass that overrides `consume` keeps its override. Any other
 * store sees `<namespace>|<key>`.
 */
export function storeTarget(store: RateLimitStore, namespace: string): StoreTarget {
  if (store instanceof MemoryStore && store.consume === MemoryStore.prototype.consume) return memoryTable(store, namespace);
  const prefix = `${namespace}|`;
  return {
    consume: (key, policies, cost) => store.consume(prefix + key, policies, cost),
    reset: (key, policies) => store.reset(prefix + key, policies),
  };
}
