/**
 * Regression: a state that had expired on the store clock was fresh in the
 * memory store but still read by the Redis script, whose key TTL runs on
 * Redis' real time. Harmless within one policy (a stale state refills to full
 * quota), but two limiters sharing a policy name and algorithm with different
 * limits (a rolling config change) share the state: the reader refilled the
 * writer's expired bucket at its own rate, so Redis answered "4 left" where
 * memory answered "9 left". Found by the property in src/redis-store.test.ts
 * with seed 1260045502. The script now records the store-clock expiry with each
 * state and reads a state as absent from then on, as the memory store does.
 */
import { FakeClock, withRedis, type RedisFixture } from '@rampart/mocks';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/limiter.ts';
import { MemoryStore } from '../../src/memory-store.ts';
import type { PolicyInput } from '../../src/policy.ts';
import { RedisStore } from '../../src/redis-store.ts';
import type { RateLimitStore } from '../../src/store.ts';

const T = 1_700_000_000_000;
const KEY = 'ip=203.0.113.7';

let redis: RedisFixture;
let client: Redis;
beforeAll(async () => {
  redis = await withRedis();
  client = redis.client();
});
afterAll(async () => redis.close());

// The writer (3 per s) spends 1 token at T: its bucket is full again, and its state expires, at T + 334.
// The reader (10 per s) shares the state: before that it refills the writer's state at its own rate.
async function readerAfter(store: RateLimitStore, clock: FakeClock, elapsed: number, extra: readonly PolicyInput[] = []): Promise<[boolean, number]> {
  const limiter = (limit: number) => createRateLimiter({ store, policies: [{ name: 'api', algorithm: 'token-bucket', limit, windowMs: 1_000 }, ...extra] });
  const [writer, reader] = [limiter(3), limiter(10)];
  expect((await writer.consume(KEY)).allowed).toBe(true);
  clock.advance(elapsed);
  const decision = await reader.consume(KEY);
  return [decision.allowed, decision.outcomes[0]!.remaining];
}

describe('a state expired on the store clock, read by a limiter sharing its policy name with a different limit', () => {
  let run = 0;
  const both = async (elapsed: number, extra: readonly PolicyInput[] = []) => {
    const memoryClock = new FakeClock(T);
    const redisClock = new FakeClock(T);
    const memory = new MemoryStore({ clock: memoryClock, sweepIntervalMs: 0 });
    const store = new RedisStore({ client, clock: redisClock, prefix: `${redis.prefix}expired${run++}:` });
    return { memory: await readerAfter(memory, memoryClock, elapsed, extra), redis: await readerAfter(store, redisClock, elapsed, extra) };
  };

  it('is fresh on Redis as in memory once the store clock reaches its expiry', async () => {
    // 10 tokens less the one spent, not 2 + 3.34 refilled at the reader's rate less one
    expect(await both(334)).toEqual({ memory: [true, 9], redis: [true, 9] });
    expect(await both(5_000)).toEqual({ memory: [true, 9], redis: [true, 9] });
  });

  it('is still read, on both stores, one millisecond before its expiry', async () => {
    expect(await both(333)).toEqual({ memory: [true, 4], redis: [true, 4] });
  });

  it('with several policies, expires on its own reset although the key lives on for the longer policy', async () => {
    const hour = [{ name: 'hour', limit: 100, windowMs: 3_600_000 }];
    // the bucket's own state expired at T + 334; the memory entry lives on for the hour's count
    expect(await both(334, hour)).toEqual({ memory: [true, 9], redis: [true, 9] });
    expect(await both(333, hour)).toEqual({ memory: [true, 4], redis: [true, 4] });
  });
});
