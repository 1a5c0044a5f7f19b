/**
 * Cycle detection for the scopes that build one service for several cache
 * slots (a request, a tenant): a factory that resolves its own service in the
 * same slot is refused with CORE_ERR_PROVIDER_CYCLE instead of recursing.
 */
import { cycle } from './container-errors.ts';
import type { ProviderRecord } from './provider.ts';

/**
 * `build` that refuses to run for a cache slot (`scope`, `part`) it is already
 * running for. build() is synchronous, so that is a factory resolving its own
 * service in the same request or tenant (directly or not): the bootstrap check
 * cannot see a lookup through APP, and without this the cache miss recursed
 * until the stack overflowed. (The app scope and transients have one build at
 * a time, checked in the container's #compile.) The list is per provider and
 * as long as the nesting (empty nearly always): a request pays nothing for it,
 * and a cache hit never reaches it.
 */
export function guarded(rec: ProviderRecord, build: () => unknown): (scope: unknown, part?: unknown) => unknown {
  // Flat (scope, part) pairs: no allocation per build.
  const active: unknown[] = [];
  return (scope, part) => {
    // Stryker disable next-line EqualityOperator: one step past the end reads undefined, which no scope is (a request store, a tenant id, a Map)
    for (let i = 0; i < active.length; i += 2) if (active[i] === scope && active[i + 1] === part) throw cycle(rec);
    active.push(scope, part);
    try {
      return build();
    } finally {
      // Two pops, not `length -= 2`: shrinking through length cost ~50 ns per request-scoped build (measured).
      active.pop();
      active.pop();
    }
  };
}
