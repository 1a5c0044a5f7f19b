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
import { decideAll, step, type PolicyOutcome, type StoreOutcome } from './algorithms/decide.ts';
import { ThrottleError } from './errors.ts';
import { algorithmCode, type Policy } from './policy.ts';
import type { RateLimitStore } from './store.ts';

// A key's state. One policy with a fixed-size state (every algorithm but the
// sliding log): one flat array `[...state, algorithmCode, expiresAt]`, handed
// to the algorithm as it is (an algorithm reads its state from the front), so
// a lookup touches two objects instead of six: under key rotation the cache
// misses of that walk were most of a decision's cost (measured). Otherwise
// one array per policy, and one algorithm code per policy.
//
// Why the code: states are bare integers, and one algorithm's state read as
// another's is garbage (a fixed window's expiry read as a sliding window's
// count refuses the key until it expires; a window start read as a bucket's
// tokens hands out a full bucket). A state is only ever read by the algorithm
// that wrote it; any other starts its own count, as on Redis, where the
// algorithm is part of the key.
type Flat = number[];
interface Nested {
  readonly states: (number[] | undefined)[];
  readonly codes: number[];
  // Per policy: a state expires on its own reset, as its Redis key does (the
  // script records the same instant in the value). The entry lives until the
  // last of them (`expiresAt`, for the sweep).
  readonly expiries: number[];
  expiresAt: number;
}
type Entry = Flat | Nested;

// Maps, not objects: keys come from clients (prototype pollution).
type Table = Map<string, Entry>;

/** One limiter namespace of a `MemoryStore`: keys are looked up as given. */
export interface MemoryTable {
  consume(key: string, policies: readonly Policy[], cost: number): StoreOutcome;
  reset(key: string): void;
}

const NO_STATES: readonly (readonly number[] | undefined)[] = [];

function expiryOf(entry: Entry): number {
  return Array.isArray(entry) ? entry[entry.length - 1]! : entry.expiresAt;
}

// The stored states that `policies` may read: a state written by another algorithm, or expired, reads as absent.
function statesFor(entry: Nested, policies: readonly Policy[], now: number): readonly (readonly number[] | undefined)[] {
  const { states, codes, expiries } = entry;
  // The loop only looks for a reason to take the slow path, which checks every state again itself: a mutant
  // that takes it more often (or reads past the end, where codes are undefined) answers the same, slower.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
  for (let i = 0; i < states.length && i < policies.length; i++) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: see above (a live entry has a live state, so `> now` still finds one)
    if (codes[i] !== algorithmCode(policies[i]!.algorithm) || expiries[i]! <= now) {
      return policies.map((p, j) => (codes[j] === algorithmCode(p.algorithm) && expiries[j]! > now ? states[j] : undefined));
    }
  }
  return states;
}

function codesOf(policies: readonly Policy[], into: number[] = []): number[] {
  for (let i = 0; i < policies.length; i++) into[i] = algorithmCode(policies[i]!.algorithm);
  into.length = policies.length;
  return into;
}

// Writes the new states into the entry's own arrays instead of keeping the
// fresh ones: an entry lives long, and replacing its arrays on every decision
// turns each of them into old-generation garbage (measured: 2-3x slower under
// key rotation). A sliding log changes length; it takes the new array.
function keep(entry: Nested, states: readonly number[][], outcomes: readonly PolicyOutcome[], now: number, expiresAt: number): void {
  for (let i = 0; i < states.length; i++) {
    const from = kept(states[i]!, outcomes[i]!);
    const into = entry.states[i];
    if (from !== undefined && into?.length === from.length) for (let j = 0; j < from.length; j++) into[j] = from[j]!;
    else entry.states[i] = from;
    entry.expiries[i] = now + outcomes[i]!.resetMs;
  }
  // Stryker disable next-line ConditionalExpression: setting an equal length is a no-op (only slower)
  if (entry.expiries.length !== states.length) entry.expiries.length = states.length;
  entry.expiresAt = expiresAt;
}

// One policy's state as the script leaves it: a state back at full quota is DELeted there, so it is absent
// here too (read as absent, not as a state whose refill time is ahead of a clock that stepped back).
function kept(state: number[], outcome: PolicyOutcome): number[] | undefined {
  return outcome.resetMs > 0 ? state : undefined;
}

export interface MemoryStoreOptions {
  /** Most keys tracked at once. Default 100 000. */
  readonly maxKeys?: number;
  /** Period of the one sweeping timer, in ms; 0 disables it. Default 60 000. */
  readonly sweepIntervalMs?: number;
  /** Time source (ms epoch). Default `Date`. */
  readonly clock?: { now(): number };
}

// Entries examined when a new key meets a full table: a bounded amount of
// work, so a decision stays O(1) even under key-space flooding.
const RECLAIM_BATCH = 8;

let tableOf: (store: MemoryStore, namespace: string) => MemoryTable;

/**
 * The table a limiter uses for its namespace (internal, not exported by the
 * package). A limiter on a shared store would otherwise build and hash a
 * `namespace|key` string on every decision, which cost more than the decision.
 */
export function memoryTable(store: MemoryStore, namespace: string): MemoryTable {
  return tableOf(store, namespace);
}

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
  // Direct calls use the root table, each limiter namespace its own; `maxKeys` bounds them together.
  readonly #tables: Table[] = [new Map<string, Entry>()];
  readonly #namespaces = new Map<string, MemoryTable>();
  readonly #clock: { now(): number };
  #size = 0;
  // Where #reclaim resumes: a table, and a scan of it per table.
  #cursor = 0;
  readonly #scans: (MapIterator<[string, Entry]> | undefined)[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  static {
    tableOf = (store, namespace) => store.#table(namespace);
  }

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

  /** Number of keys currently tracked, over all namespaces (expired ones count until swept or reclaimed). */
  get size(): number {
    return this.#size;
  }

  consume(key: string, policies: readonly Policy[], cost: number): StoreOutcome {
    return this.#consume(this.#tables[0]!, key, policies, cost);
  }

  reset(key: string): void {
    this.#delete(this.#tables[0]!, key);
  }

  /** Drops every expired entry; returns how many. Runs on the sweep timer. */
  sweep(): number {
    const now = this.#clock.now();
    let dropped = 0;
    for (const table of this.#tables) {
      for (const [key, entry] of table) {
        if (expiryOf(entry) <= now) {
          table.delete(key);
          dropped += 1;
        }
      }
    }
    this.#size -= dropped;
    return dropped;
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #table(namespace: string): MemoryTable {
    let view = this.#namespaces.get(namespace);
    if (view === undefined) {
      const table: Table = new Map();
      this.#tables.push(table);
      view = { consume: (key, policies, cost) => this.#consume(table, key, policies, cost), reset: (key) => this.#delete(table, key) };
      this.#namespaces.set(namespace, view);
    }
    return view;
  }

  #consume(table: Table, key: string, policies: readonly Policy[], cost: number): StoreOutcome {
    const now = this.#clock.now();
    const entry = table.get(key);
    if (entry === undefined && this.#size >= this.maxKeys && !this.#reclaim(now)) {
      return capacityOutcome(policies, this.sweepIntervalMs);
    }
    const policy = policies[0]!;
    if (policies.length === 1 && policy.algorithm !== 'sliding-log' && (entry === undefined || Array.isArray(entry))) {
      return this.#consumeFlat(table, key, entry, policy, now, cost);
    }
    return this.#consumeNested(table, key, entry, policies, now, cost);
  }

  // The common case (hot path): no intermediate arrays, state updated in place.
  #consumeFlat(table: Table, key: string, entry: Flat | undefined, policy: Policy, now: number, cost: number): StoreOutcome {
    const code = algorithmCode(policy.algorithm);
    // An expired entry is back at full quota, another algorithm's state is not ours: both read as fresh.
    const live = entry !== undefined && entry[entry.length - 1]! > now && entry[entry.length - 2] === code;
    const s = step(policy, live ? entry : undefined, now, cost);
    if (s.allowed) {
      const expiresAt = now + s.resetMs;
      // A state already back at full quota is forgotten, as the script DELs its key: kept, it would read as
      // live after a clock step back (its refill time ahead of now), where Redis starts afresh.
      if (s.resetMs === 0) this.#delete(table, key);
      else if (entry === undefined) this.#insert(table, key, s.state.concat(code, expiresAt));
      else {
        const n = s.state.length;
        for (let j = 0; j < n; j++) entry[j] = s.state[j]!;
        entry[n] = code;
        entry[n + 1] = expiresAt;
        // only changes when the key's algorithm changed (direct store calls, or two limiters sharing a namespace)
        entry.length = n + 2;
      }
    }
    const outcome = { policy, allowed: s.allowed, remaining: s.remaining, resetMs: s.resetMs, retryAfterMs: s.retryAfterMs };
    return { allowed: s.allowed, outcomes: [outcome], ttlMs: s.resetMs };
  }

  #consumeNested(table: Table, key: string, found: Entry | undefined, policies: readonly Policy[], now: number, cost: number): StoreOutcome {
    // A flat entry meets several policies only when direct calls change a key's policies.
    const entry = Array.isArray(found) ? { states: [found.slice(0, -2)], codes: [found[found.length - 2]!], expiries: [expiryOf(found)], expiresAt: expiryOf(found) } : found;
    const result = decideAll(policies, entry !== undefined && entry.expiresAt > now ? statesFor(entry, policies, now) : NO_STATES, now, cost);
    if (result.states !== undefined) {
      const expiresAt = now + result.ttlMs;
      // As the script: a key whose every state is back at full quota is forgotten (see #consumeFlat).
      if (result.ttlMs === 0) this.#delete(table, key);
      else if (entry === undefined) {
        const { states, outcomes } = result;
        this.#insert(table, key, { states: states.map((st, i) => kept(st, outcomes[i]!)), codes: codesOf(policies), expiries: outcomes.map((o) => now + o.resetMs), expiresAt });
      } else {
        keep(entry, result.states, result.outcomes, now, expiresAt);
        entry.states.length = result.states.length;
        codesOf(policies, entry.codes);
        table.set(key, entry);
      }
    }
    return { allowed: result.allowed, outcomes: result.outcomes, ttlMs: result.ttlMs };
  }

  #insert(table: Table, key: string, entry: Entry): void {
    table.set(key, entry);
    this.#size += 1;
  }

  #delete(table: Table, key: string): void {
    if (table.delete(key)) this.#size -= 1;
  }

  // A clock sweep: examines up to RECLAIM_BATCH entries, resuming where the
  // last reclaim stopped (table by table, each in insertion order), and drops
  // the expired ones. Bounded work per new key, every entry examined in turn
  // (long-lived keys never hide the others), and a live counter is never dropped.
  #reclaim(now: number): boolean {
    let budget = RECLAIM_BATCH;
    for (let n = 0; n < this.#tables.length && budget > 0; n++) {
      budget = this.#reclaimIn(this.#cursor, now, budget);
      if (budget > 0) this.#cursor = (this.#cursor + 1) % this.#tables.length;
    }
    return this.#size < this.maxKeys;
  }

  // Returns the budget left when the table's scan reached its end.
  #reclaimIn(index: number, now: number, budget: number): number {
    const table = this.#tables[index]!;
    // A Map iterator stays valid while entries are deleted or added.
    const scan = (this.#scans[index] ??= table.entries());
    for (; budget > 0; budget--) {
      const next = scan.next();
      if (next.done === true) {
        this.#scans[index] = undefined;
        return budget;
      }
      const [key, entry] = next.value;
      if (expiryOf(entry) <= now) this.#delete(table, key);
    }
    return 0;
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
