/**
 * In-process store: O(1) per decision, no per-key or per-hit timers, and a
 * hard bound on tracked keys.
 *
 * Why the bound is safe: an entry is only ever dropped once it has expired,
 * i.e. once its state is back at full quota, so forgetting it changes no
 * future decision. When the table is full and no expired entry can be
 * reclaimed, a NEW key is refused (reason `capacity`) instead of evicting a
 * live counter: evicting a live counter would hand its owner a fresh quota
 * early, which is exactly how LRU-cache limiters get bypassed.
 */
import { decideAll, type StoreOutcome } from './algorithms/decide.ts';
import { ThrottleError } from './errors.ts';
import type { Policy } from './policy.ts';
import type { RateLimitStore } from './store.ts';

interface Entry {
  states: readonly number[][];
  expiresAt: number;
}

export interface MemoryStoreOptions {
  /** Most keys tracked at once. Default 100 000. */
  readonly maxKeys?: number;
  /** Period of the one sweeping timer, in ms; 0 disables it. Default 60 000. */
  readonly sweepIntervalMs?: number;
  /** Time source (ms epoch). Default `Date`. */
  readonly clock?: { now(): number };
}

// Entries examined, oldest first, when a new key meets a full table: a bounded
// amount of work, so a decision stays O(1) even under key-space flooding.
const RECLAIM_BATCH = 8;

/**
 * @example
 * const store = new MemoryStore({ maxKeys: 50_000 });
 * const limiter = createRateLimiter({ policies: { limit: 100, windowMs: 60_000 }, store });
 * await limiter.close(); // clears the sweep timer
 */
export class MemoryStore implements RateLimitStore {
  readonly synchronous = true;
  readonly maxKeys: number;
  readonly sweepIntervalMs: number;
  // a Map, not an object: keys come from clients (prototype pollution)
  readonly #entries = new Map<string, Entry>();
  readonly #clock: { now(): number };
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxKeys = option(options.maxKeys, 100_000, 1, 'maxKeys');
    this.sweepIntervalMs = option(options.sweepIntervalMs, 60_000, 0, 'sweepIntervalMs');
    this.#clock = options.clock ?? Date;
    if (this.sweepIntervalMs > 0) {
      this.#timer = setInterval(() => this.sweep(), this.sweepIntervalMs);
      // never keep a process alive just to sweep
      this.#timer.unref();
    }
  }

  /** Number of keys currently tracked (expired ones count until swept or reclaimed). */
  get size(): number {
    return this.#entries.size;
  }

  consume(key: string, policies: readonly Policy[], cost: number): StoreOutcome {
    const now = this.#clock.now();
    let entry = this.#entries.get(key);
    if (entry !== undefined && entry.expiresAt <= now) {
      // Expired means back at full quota: re-insert so insertion order tracks recency.
      this.#entries.delete(key);
      entry = undefined;
    }
    if (entry === undefined && this.#entries.size >= this.maxKeys && !this.#reclaim(now)) {
      return capacityOutcome(policies, this.sweepIntervalMs);
    }
    const result = decideAll(policies, entry?.states ?? [], now, cost);
    if (result.states !== undefined) {
      if (entry === undefined) this.#entries.set(key, { states: result.states, expiresAt: now + result.ttlMs });
      else {
        entry.states = result.states;
        entry.expiresAt = now + result.ttlMs;
      }
    }
    return result;
  }

  reset(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops every expired entry; returns how many. Runs on the sweep timer. */
  sweep(): number {
    const now = this.#clock.now();
    let dropped = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) {
        this.#entries.delete(key);
        dropped += 1;
      }
    }
    return dropped;
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #reclaim(now: number): boolean {
    let seen = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
      if (++seen >= RECLAIM_BATCH) break;
    }
    return this.#entries.size < this.maxKeys;
  }
}

function option(value: number | undefined, fallback: number, min: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', `${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

function capacityOutcome(policies: readonly Policy[], retryAfterMs: number): StoreOutcome {
  // The new key's own quota is untouched, but it cannot be tracked yet; retry once a sweep has run.
  const wait = Math.max(retryAfterMs, 1_000);
  const outcomes = policies.map((policy) => ({ policy, allowed: false, remaining: 0, resetMs: wait, retryAfterMs: wait }));
  return { allowed: false, outcomes, ttlMs: wait, reason: 'capacity' };
}
