import { FakeClock, withRedis, type RedisFixture } from '@rampart/mocks';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from './memory-store.ts';
import { definePolicies, type Algorithm, type PolicyInput } from './policy.ts';
import { parseReply, RedisStore, type RedisScriptClient } from './redis-store.ts';
import type { StoreOutcome } from './store.ts';

let redis: RedisFixture;
let client: Redis;

beforeAll(async () => {
  redis = await withRedis();
  client = redis.client();
});
afterAll(async () => redis.close());

const T0 = 1_700_000_000_000;
const ALGOS: Algorithm[] = ['fixed-window', 'sliding-window', 'sliding-log', 'token-bucket', 'gcra'];
const strip = (o: StoreOutcome) => ({ allowed: o.allowed, ttlMs: o.ttlMs, outcomes: o.outcomes.map(({ policy, ...rest }) => ({ name: policy.name, ...rest })) });

describe('RedisStore against a real Redis', () => {
  it('memory and Redis stores make identical decisions on identical sequences', async () => {
    let run = 0;
    const policyArb = fc.tuple(fc.constantFrom(...ALGOS), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 6 }), fc.boolean());
    const trafficArb = fc.array(fc.record({ dt: fc.integer({ min: 0, max: 250 }), cost: fc.integer({ min: 0, max: 2 }), key: fc.constantFrom('a', 'b') }), { minLength: 1, maxLength: 25 });
    await fc.assert(
      fc.asyncProperty(policyArb, trafficArb, async ([algorithm, limit, windowMs, burst, withSecond], traffic) => {
        const bucket = algorithm === 'token-bucket' || algorithm === 'gcra';
        const inputs: PolicyInput[] = [{ name: 'p', algorithm, limit, windowMs, ...(bucket ? { burst } : {}) }];
        if (withSecond) inputs.push({ name: 'q', algorithm: 'sliding-log', limit: limit + 1, windowMs: windowMs * 2 });
        const policies = definePolicies(inputs);
        const clock = new FakeClock(T0);
        const memory = new MemoryStore({ clock, sweepIntervalMs: 0 });
        const store = new RedisStore({ client, clock, prefix: `${redis.prefix}eq${run++}:` });
        for (const { dt, cost, key } of traffic) {
          clock.advance(dt);
          const c = Math.min(cost, ...policies.map((p) => p.capacity));
          expect(strip(await store.consume(key, policies, c))).toEqual(strip(memory.consume(key, policies, c)));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('uses the Redis server clock, one round trip (EVALSHA) per decision, keys under one hash tag with a TTL', async () => {
    const store = new RedisStore({ client, prefix: `${redis.prefix}srv:` });
    const policies = definePolicies([{ name: 'sec', limit: 3, windowMs: 10_000 }, { name: 'hour', algorithm: 'gcra', limit: 100, windowMs: 3_600_000 }]);
    await store.consume('warm', policies, 1); // loads the script if needed
    // MONITOR sees every command; script-internal ones come from source `lua`.
    const monitor = await client.monitor();
    const seen: string[] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source !== 'lua' && args.some((a) => a.includes(`${redis.prefix}srv:`))) seen.push(String(args[0]).toLowerCase());
    });
    const allowed: boolean[] = [];
    for (let i = 0; i < 4; i++) allowed.push((await store.consume('user=1', policies, 1)).allowed);
    await vi.waitFor(() => expect(seen.length).toBe(4));
    await new Promise((r) => setTimeout(r, 50));
    monitor.disconnect();
    expect(allowed).toEqual([true, true, true, false]);
    expect(seen).toEqual(['evalsha', 'evalsha', 'evalsha', 'evalsha']);
    const keys = store.keysOf('user=1', policies);
    expect(keys).toEqual([`${redis.prefix}srv:{user=1}:sec`, `${redis.prefix}srv:{user=1}:hour`]);
    const ttls = await Promise.all(keys.map((k) => client.pttl(k)));
    expect(ttls[0]).toBeGreaterThan(0);
    expect(ttls[0]).toBeLessThanOrEqual(11_000); // reset + 1 s grace
    expect(ttls[1]).toBeGreaterThan(100_000);
    await store.reset('user=1', policies);
    expect(await client.exists(...keys)).toBe(0);
    store.close();
  });

  it('reloads the script with EVAL after SCRIPT FLUSH (NOSCRIPT)', async () => {
    const store = new RedisStore({ client, prefix: `${redis.prefix}flush:` });
    const policies = definePolicies({ limit: 1, windowMs: 60_000 });
    await client.script('FLUSH');
    expect((await store.consume('k', policies, 1)).allowed).toBe(true);
    expect((await store.consume('k', policies, 1)).allowed).toBe(false);
  });

  it('deletes a state that is already back at full quota instead of storing it', async () => {
    const store = new RedisStore({ client, prefix: `${redis.prefix}full:` });
    const policies = definePolicies({ algorithm: 'token-bucket', limit: 5, windowMs: 1_000 });
    await store.consume('k', policies, 0);
    expect(await client.exists(store.keysOf('k', policies)[0]!)).toBe(0);
  });

  it('passes on errors other than NOSCRIPT untouched', async () => {
    const boom = new Error('READONLY You cannot write against a read only replica.');
    const failing: RedisScriptClient = { evalsha: () => Promise.reject(boom), eval: () => Promise.reject(new Error('unused')), del: () => Promise.resolve(0) };
    const store = new RedisStore({ client: failing });
    await expect(store.consume('k', definePolicies({ limit: 1, windowMs: 1 }), 1)).rejects.toBe(boom);
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a driver that rejects with a bare string is the case under test
    const odd: RedisScriptClient = { ...failing, evalsha: () => Promise.reject('string rejection') };
    await expect(new RedisStore({ client: odd }).consume('k', definePolicies({ limit: 1, windowMs: 1 }), 1)).rejects.toBe('string rejection');
    expect(new RedisStore({ client: failing }).prefix).toBe('rampart:rl:');
  });

  it('refuses a malformed script reply with THROTTLE_ERR_STORE_REPLY', () => {
    const policies = definePolicies({ limit: 1, windowMs: 1 });
    for (const reply of [null, 'OK', [1, 0, 1, 0, 0], [1, 0, 1, '0', 0, 0], [1, 0, 1, 0.5, 0, 0]]) {
      expect(() => parseReply(reply, policies)).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_STORE_REPLY' }));
    }
    expect(parseReply([0, 5, 0, 0, 5, 5], policies)).toEqual({ allowed: false, ttlMs: 5, outcomes: [{ policy: policies[0], allowed: false, remaining: 0, resetMs: 5, retryAfterMs: 5 }] });
  });
});
