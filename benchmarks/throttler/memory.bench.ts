/**
 * Decisions per second on the memory store, per algorithm, beside
 * rate-limiter-flexible's RateLimiterMemory (fixed window, async consume) and
 * @fastify/rate-limit's LocalStore (fixed window over an LRU, callback API).
 * Our tasks use `consumeSync()` (MemoryStore is synchronous); the `/promise`
 * task uses `consume()`. 10 000 rotating keys, quota large enough that nearly every call is admitted.
 */
import { createRequire } from 'node:module';
import { defineBenchSuite } from '@rampart/harness';
import { createRateLimiter, MemoryStore, type Algorithm } from '@rampart/throttler';
import { RateLimiterMemory } from 'rate-limiter-flexible';

interface FastifyLocalStore {
  incr(key: string, cb: (err: unknown, res: unknown) => void, timeWindow: number, max: number): void;
}
// @fastify/rate-limit ships LocalStore as an internal CommonJS file without types.
const LocalStore = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore.js') as new (continueExceeding: boolean, backoff: boolean, cache: number) => FastifyLocalStore;

const KEYS = Array.from({ length: 10_000 }, (_, i) => `ip=198.51.${i >> 8}.${i & 255}`);
const LIMIT = 1_000_000;
const WINDOW = 60_000;
let i = 0;
const nextKey = (): string => KEYS[(i = (i + 1) % KEYS.length)]!;

const rlf = new RateLimiterMemory({ points: LIMIT, duration: WINDOW / 1000 });
const fastifyStore = new LocalStore(false, false, 20_000);
const noop = (): void => undefined;

function ours(algorithm: Algorithm) {
  return createRateLimiter({ store: new MemoryStore({ maxKeys: 20_000, sweepIntervalMs: 0 }), policies: { algorithm, limit: LIMIT, windowMs: WINDOW } });
}

const algorithms: Algorithm[] = ['fixed-window', 'sliding-window', 'token-bucket', 'gcra'];
// Each task closes over its limiter: a lookup per call would be timed as ours and not the peer's.
const limiters = algorithms.map((a) => [a, ours(a)] as const);
// its own limiter (and keys' counters): the sync and promise tasks do not share quota
const fixedWindow = ours('fixed-window');
// The exact log keeps every admitted entry, so it gets a realistic small limit.
const logLimiter = createRateLimiter({ store: new MemoryStore({ maxKeys: 20_000, sweepIntervalMs: 0 }), policies: { algorithm: 'sliding-log', limit: 100, windowMs: WINDOW } });

export default defineBenchSuite({
  package: 'throttler',
  tasks: [
    ...limiters.map(([a, limiter]) => ({
      name: `throttler/memory/${a}`,
      fn: () => limiter.consumeSync(nextKey()),
      peers: {
        'rate-limiter-flexible': () => rlf.consume(nextKey()),
        '@fastify/rate-limit LocalStore': () => fastifyStore.incr(nextKey(), noop, WINDOW, LIMIT),
      },
    })),
    { name: 'throttler/memory/sliding-log/limit-100', fn: () => logLimiter.consumeSync(nextKey()) },
    {
      // the promise API, like for like with rate-limiter-flexible's consume()
      name: 'throttler/memory/fixed-window/promise',
      fn: () => fixedWindow.consume(nextKey()),
      peers: { 'rate-limiter-flexible': () => rlf.consume(nextKey()) },
    },
  ],
  teardown: async () => {
    for (const [, l] of limiters) await l.close();
    await fixedWindow.close();
    await logLimiter.close();
  },
});
