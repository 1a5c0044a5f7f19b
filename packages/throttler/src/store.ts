/**
 * The contract every store fulfils. A store owns time (the memory store reads
 * its injected clock, the Redis store the Redis server's clock) so that every
 * process sharing a store agrees on what "now" is.
 */
import type { StoreOutcome } from './algorithms/decide.ts';
import type { Policy } from './policy.ts';

export type { StoreOutcome, PolicyOutcome } from './algorithms/decide.ts';

/**
 * Where rate-limit state lives. `consume` checks and updates every policy of
 * one key atomically. A store must never read a state as another
 * algorithm's (the Redis store puts the algorithm in the key, the memory store
 * tags each state); the limiter namespaces keys per limiter.
 * @example
 * const outcome = await store.consume('ip=203.0.113.7', policies, 1);
 * if (!outcome.allowed) reply.code(429);
 */
export interface RateLimitStore {
  /** True when `consume` always answers synchronously (enables `RateLimiter.consumeSync`). */
  readonly synchronous?: boolean;
  consume(key: string, policies: readonly Policy[], cost: number): StoreOutcome | Promise<StoreOutcome>;
  /** Forgets a key: its next request starts at full quota. */
  reset(key: string, policies: readonly Policy[]): void | Promise<void>;
  /** Releases timers/connections the store owns. Idempotent. */
  close(): void | Promise<void>;
}
