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
 *
 * The memory table is per namespace AND per list of policy names and
 * algorithms, as a Redis key carries both: two limiters sharing a namespace
 * with different algorithms must each keep their own count (one entry per key
 * would make them overwrite each other, so alternating between them would
 * never limit at all), and two with differently named policies count apart on
 * Redis, so they must in memory too.
 */
export function storeTarget(store: RateLimitStore, namespace: string, policies: readonly Policy[]): StoreTarget {
  if (store instanceof MemoryStore && store.consume === MemoryStore.prototype.consume) {
    // Policy and algorithm names hold no `:`, `,` or `|`: the first `|` ends the list, so no namespace can alias another.
    return memoryTable(store, `${policies.map((p) => `${p.name}:${p.algorithm}`).join(',')}|${namespace}`);
  }
  const prefix = `${namespace}|`;
  return {
    consume: (key, policies, cost) => store.consume(prefix + key, policies, cost),
    reset: (key, policies) => store.reset(prefix + key, policies),
  };
}
