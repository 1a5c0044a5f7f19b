/**
 * Regression: after the clock stepped back, a token bucket reported its reset
 * from "now" although its tokens refill from the stored refill time, which is
 * ahead. The memory store then dropped the entry (and with it the debt) before
 * the bucket was full, and the Redis key expired early: a backwards clock
 * handed out tokens early. Both stores now count the wait from the refill time.
 * The general law (every algorithm, any clock jumps) is a property in
 * src/algorithms/algorithms.property.test.ts.
 */
import { FakeClock, withRedis, type RedisFixture } from '@rampart/mocks';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/memory-store.ts';
import { definePolicies } from '../../src/policy.ts';
import { RedisStore } from '../../src/redis-store.ts';
import type { RateLimitStore } from '../../src/store.ts';

const T = 1_700_000_000_000;
// 10 tokens per 10 s, burst 10
const bucket = definePolicies({ algorithm: 'token-bucket', limit: 10, windowMs: 10_000, burst: 10 });

async function admitted(store: RateLimitStore, key: string, n: number): Promise<number> {
  let count = 0;
  for (let i = 0; i < n; i++) if ((await store.consume(key, bucket, 1)).allowed) count += 1;
  return count;
}

describe('token bucket after the clock steps back', () => {
  it('memory store: 5 at T, 5 at T - 5 s, then only the 5 refilled since T are admitted at T + 5 s', async () => {
    const clock = new FakeClock(T);
    const store = new MemoryStore({ clock, sweepIntervalMs: 0 });
    expect(await admitted(store, 'k', 5)).toBe(5);
    clock.set(T - 5_000);
    expect(await admitted(store, 'k', 5)).toBe(5);
    clock.set(T + 5_000);
    expect(await admitted(store, 'k', 10)).toBe(5);
  });

  describe('Redis store', () => {
    let redis: RedisFixture;
    let client: Redis;
    beforeAll(async () => {
      redis = await withRedis();
      client = redis.client();
    });
    afterAll(async () => redis.close());

    it('keeps the key until the bucket is full by its refill time, and answers like the memory store', async () => {
      const clock = new FakeClock(T);
      const store = new RedisStore({ client, clock, prefix: `${redis.prefix}tbback:` });
      const memory = new MemoryStore({ clock, sweepIntervalMs: 0 });
      expect(await admitted(store, 'k', 5)).toBe(5);
      clock.set(T - 5_000);
      const outcome = await store.consume('k', bucket, 5);
      expect(outcome).toMatchObject({ allowed: true, ttlMs: 15_000, outcomes: [{ remaining: 0, resetMs: 15_000 }] });
      // the key's expiry (in Redis time) covers the 15 s until the bucket is full, plus the 1 s grace
      const pttl = await client.pttl(store.keysOf('k', bucket)[0]!);
      expect(pttl).toBeGreaterThan(15_000);
      expect(pttl).toBeLessThanOrEqual(16_000);
      // a refusal waits for the refill time ahead too
      expect((await store.consume('k', bucket, 1)).outcomes[0]).toMatchObject({ allowed: false, retryAfterMs: 6_000 });
      // and the memory store makes the same decisions on the same sequence
      clock.set(T);
      memory.consume('k', bucket, 5);
      clock.set(T - 5_000);
      expect(memory.consume('k', bucket, 5)).toMatchObject({ allowed: true, ttlMs: 15_000, outcomes: [{ remaining: 0, resetMs: 15_000 }] });
      expect(memory.consume('k', bucket, 1).outcomes[0]).toMatchObject({ allowed: false, retryAfterMs: 6_000 });
    });
  });
});
