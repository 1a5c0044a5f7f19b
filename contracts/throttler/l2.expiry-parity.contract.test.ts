/**
 * L2 contract: MemoryStore and RedisStore make the same decisions for limiters
 * that share a store, a namespace and a policy name and algorithm but not a
 * limit (a rolling config change): such limiters share the state of the key,
 * and once the state has expired on the store's clock both stores read it as
 * fresh (full quota at the reader's own limit); before that, both read it.
 * Locked: these tests are never modified, only added to.
 */
import { FakeClock, withRedis } from '@rampart/mocks';
import { createRateLimiter, MemoryStore, RedisStore, type RateLimitStore } from '@rampart/throttler';
import { describe, expect, it } from 'vitest';

const T = 1_699_999_980_000;
const KEY = 'ip=203.0.113.7';

// The old configuration (3 per s) admits one request at T: its bucket is full again at T + 334. After
// `elapsed` ms the new one (10 per s) spends its quota: what each of its requests leaves, or 'refused'.
async function afterConfigChange(store: RateLimitStore, clock: FakeClock, elapsed: number): Promise<(number | 'refused')[]> {
  const limiter = (limit: number) => createRateLimiter({ store, policies: { name: 'api', algorithm: 'token-bucket', limit, windowMs: 1_000 } });
  const [before, after] = [limiter(3), limiter(10)];
  expect((await before.consume(KEY)).allowed).toBe(true);
  clock.advance(elapsed);
  const seen: (number | 'refused')[] = [];
  for (let i = 0; i < 11; i++) {
    const decision = await after.consume(KEY);
    seen.push(decision.allowed ? decision.remaining : 'refused');
  }
  await Promise.all([before.close(), after.close()]);
  return seen;
}

async function onBothStores(elapsed: number): Promise<{ memory: (number | 'refused')[]; redis: (number | 'refused')[] }> {
  await using redis = await withRedis();
  const [memoryClock, redisClock] = [new FakeClock(T), new FakeClock(T)];
  const memory = new MemoryStore({ clock: memoryClock, sweepIntervalMs: 0 });
  const onRedis = await afterConfigChange(new RedisStore({ client: redis.client(), clock: redisClock, prefix: redis.prefix }), redisClock, elapsed);
  const inMemory = await afterConfigChange(memory, memoryClock, elapsed);
  memory.close();
  return { memory: inMemory, redis: onRedis };
}

describe('@rampart/throttler L2 expiry parity: limiters sharing a policy name with different limits', () => {
  it("once the old limit's state expired on the store clock, both stores give the new limit its full quota", async () => {
    const full = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 'refused'];
    expect(await onBothStores(334)).toEqual({ memory: full, redis: full });
  });

  it.each([0, 1, 200, 333, 334, 335, 1_000, 60_000])('MemoryStore and RedisStore on one clock decide alike %i ms after the old limit last admitted', async (elapsed) => {
    const { memory, redis } = await onBothStores(elapsed);
    expect(redis).toEqual(memory);
    // before its expiry the old state is read (refilled at the new rate), from then on it is not
    expect(memory[0]).toBe(elapsed < 334 ? Math.floor((2_000 + elapsed * 10) / 1_000) - 1 : 9);
  });
});
