/**
 * Redis decisions per second beside rate-limiter-flexible's RateLimiterRedis,
 * both on ioredis against the server in REDIS_URL, one decision in flight at a
 * time (latency-bound, as a request handler sees it). Round trips per decision
 * are checked ad hoc with MONITOR (one EVALSHA each); see the package README.
 */
import { defineBenchSuite } from '@rampart/harness';
import { createRateLimiter, RedisStore } from '@rampart/throttler';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';

const url = process.env.REDIS_URL;
const KEYS = Array.from({ length: 1_000 }, (_, i) => `user=${i}`);
let i = 0;
const nextKey = (): string => KEYS[(i = (i + 1) % KEYS.length)]!;
let client: Redis | undefined;
let limiter: ReturnType<typeof createRateLimiter> | undefined;
let rlf: RateLimiterRedis | undefined;

export default defineBenchSuite({
  package: 'throttler',
  setup: () => {
    if (url === undefined) throw new Error('redis.bench.ts needs REDIS_URL (scripts/services.sh start prints it)');
    client = new Redis(url);
    const prefix = `rampart-bench:${process.pid}:`;
    limiter = createRateLimiter({ store: new RedisStore({ client, prefix }), policies: { limit: 1_000_000, windowMs: 60_000 } });
    rlf = new RateLimiterRedis({ storeClient: client, keyPrefix: `${prefix}rlf`, points: 1_000_000, duration: 60 });
  },
  tasks: [
    {
      name: 'throttler/redis/fixed-window',
      fn: () => limiter!.consume(nextKey()),
      peers: { 'rate-limiter-flexible RateLimiterRedis': () => rlf!.consume(nextKey()) },
    },
  ],
  teardown: async () => {
    await limiter?.close();
    client?.disconnect();
  },
});
