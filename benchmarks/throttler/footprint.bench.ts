/**
 * Memory per tracked key (unit 'bytes'): heap bytes per key once 1 000 000
 * distinct keys have each been consumed once, in our MemoryStore (fixed
 * window, `maxKeys` 1M so nothing is refused or dropped, sweeping off), beside
 * rate-limiter-flexible's RateLimiterMemory (fixed window, default options)
 * and @fastify/rate-limit's LocalStore (fixed window over an LRU of 1M).
 *
 * How, the same for all three (each `sample` reads one figure):
 * 1. warm-up: a throwaway store of the same kind tracks 10 000 keys and is
 *    released, so one-time costs (compiled code, lazily created module state
 *    such as Node's timer list) are not charged per key;
 * 2. full GC (twice), heap used = baseline; a fresh store is built and each key
 *    `ip=10.a.b.c` is built in the loop and consumed once; each must be
 *    counted as its key's first hit (admitted and tracked);
 * 3. full GC (twice), (heap used - baseline) / 1M;
 * 4. only then the first key is consumed again and must count 2: the store was
 *    reachable during the reading and dropped nothing (an LRU would evict the
 *    oldest key first); then it is released (closed, or every key deleted to
 *    clear rate-limiter-flexible's per-key timers, which would keep its map
 *    alive for a window) and dropped, so the next sample starts clean.
 * The figure includes what a store keeps per key in a server: its entry, its
 * state and the key string it retains (32 B of each figure here: 11 to 16
 * one-byte characters; rate-limiter-flexible keeps its own `rlflx:` copy
 * instead, a cons string over the key). No key array is held anywhere.
 *
 * `gc` comes from V8 (`--expose-gc` set at run time, read from a new
 * context): the bench runner starts plain `node`. Heap sizes do not depend on
 * CPU load. Ours and LocalStore read the same figure to 0.1% sample after
 * sample; rate-limiter-flexible moves by a few percent between samples
 * (steps of 16 B/key: how V8 stores the fields of Node's timer objects
 * depends on JIT timing). One process (three samples) takes about 10-15 s
 * here, most of it rate-limiter-flexible's 1M timers and the full GCs.
 */
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { defineBenchSuite } from '@rampart/harness';
import { createRateLimiter, MemoryStore, type RateLimiter } from '@rampart/throttler';
import { RateLimiterMemory } from 'rate-limiter-flexible';

interface FastifyLocalStore {
  incr(key: string, cb: (err: unknown, res: { current: number }) => void, timeWindow: number, max: number): void;
}
// @fastify/rate-limit ships LocalStore as an internal CommonJS file without types.
const LocalStore = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore.js') as new (continueExceeding: boolean, backoff: boolean, cache: number) => FastifyLocalStore;

const KEYS = 1_000_000;
const WARM_UP_KEYS = 10_000;
const LIMIT = 100;
// An hour: the fill takes seconds, so no key's window ends before its second hit.
const WINDOW = 3_600_000;
// Our fixed windows are aligned to the clock and one could end mid-fill, resetting the
// first key's count; a fixed clock (a real epoch value, stored like any other) keeps the check exact.
const NOW = Date.now();

function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing !== undefined) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
const gc = exposeGc();

function heapAfterGc(): number {
  // Twice: what the first full GC only finalizes (weak references) the second frees.
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

// ip=10.0.0.0 … ip=10.15.66.63. join(), not a template literal: a template
// result of 13+ characters is a chain of cons strings (about 70 B here instead
// of 32 B), a cost of how this loop builds keys rather than of any store.
function keyOf(i: number): string {
  return ['ip=10', i >> 16, (i >> 8) & 255, i & 255].join('.');
}

/** One store under test: consume() resolves to the key's hit count in the window. */
interface Footprint<S> {
  build(): S;
  consume(store: S, key: string): number | Promise<number>;
  /** Lets go of the `count` keys it tracks (timers, sweepers), so it can be collected. */
  release(store: S, count: number): unknown;
}

/** A fresh store that has counted one hit for each of `count` keys (throws otherwise). */
async function track<S>(footprint: Footprint<S>, count: number): Promise<S> {
  const store = footprint.build();
  for (let i = 0; i < count; i++) {
    const hits = await footprint.consume(store, keyOf(i));
    if (hits !== 1) throw new Error(`key ${keyOf(i)} counted ${hits} hits instead of 1: it is not tracked as a new key`);
  }
  return store;
}

/**
 * Heap bytes per key of a fresh store tracking KEYS keys.
 * @example
 * const bytesPerKey = await perKey(ours);
 */
async function perKey<S>(footprint: Footprint<S>): Promise<number> {
  await footprint.release(await track(footprint, WARM_UP_KEYS), WARM_UP_KEYS);
  const before = heapAfterGc();
  const store = await track(footprint, KEYS);
  const after = heapAfterGc();
  const again = await footprint.consume(store, keyOf(0));
  await footprint.release(store, KEYS);
  if (again !== 2) throw new Error(`the first key counted ${again} hits on its second consume instead of 2: the store dropped it`);
  return (after - before) / KEYS;
}

const ours: Footprint<RateLimiter> = {
  build: () => createRateLimiter({
    store: new MemoryStore({ maxKeys: KEYS, sweepIntervalMs: 0, clock: { now: () => NOW } }),
    policies: { algorithm: 'fixed-window', limit: LIMIT, windowMs: WINDOW },
  }),
  consume: (limiter, key) => {
    const d = limiter.consumeSync(key);
    return d.allowed ? LIMIT - d.remaining : 0;
  },
  release: (limiter) => limiter.close(),
};

const rateLimiterFlexible: Footprint<RateLimiterMemory> = {
  build: () => new RateLimiterMemory({ points: LIMIT, duration: WINDOW / 1000 }),
  consume: async (limiter, key) => (await limiter.consume(key)).consumedPoints,
  release: async (limiter, count) => {
    for (let i = 0; i < count; i++) await limiter.delete(keyOf(i));
  },
};

const fastifyLocalStore: Footprint<FastifyLocalStore> = {
  build: () => new LocalStore(false, false, KEYS),
  consume: (store, key) => {
    let hits = 0;
    store.incr(key, (_err, res) => { hits = res.current; }, WINDOW, LIMIT);
    return hits;
  },
  release: () => undefined,
};

export default defineBenchSuite({
  package: 'throttler',
  tasks: [
    {
      name: 'throttler/memory/1M-keys',
      unit: 'bytes',
      sample: () => perKey(ours),
      peers: {
        'rate-limiter-flexible': () => perKey(rateLimiterFlexible),
        '@fastify/rate-limit LocalStore': () => perKey(fastifyLocalStore),
      },
    },
  ],
});
