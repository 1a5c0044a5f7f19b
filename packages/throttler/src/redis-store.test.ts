import { FakeClock, withRedis, type RedisFixture } from '@rampart/mocks';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from './limiter.ts';
import { MemoryStore } from './memory-store.ts';
import { definePolicies, type Algorithm, type PolicyInput } from './policy.ts';
import { parseReply, RedisStore, type RedisScriptClient, type RedisStoreOptions } from './redis-store.ts';
import type { RateLimitStore, StoreOutcome } from './store.ts';

let redis: RedisFixture;
let client: Redis;

beforeAll(async () => {
  redis = await withRedis();
  client = redis.client();
});
afterAll(async () => redis.close());

const T0 = 1_700_000_000_000;
const ALGOS: Algorithm[] = ['fixed-window', 'sliding-window', 'sliding-log', 'token-bucket', 'gcra'];
const noop = (): undefined => undefined;
const strip = (o: StoreOutcome) => ({ allowed: o.allowed, ttlMs: o.ttlMs, outcomes: o.outcomes.map(({ policy, ...rest }) => ({ name: policy.name, ...rest })) });

describe('RedisStore against a real Redis', () => {
  // The clock also steps back: each store must forget a state exactly when the other does.
  it('memory and Redis stores make identical decisions on identical sequences', async () => {
    let run = 0;
    const policyArb = fc.tuple(fc.constantFrom(...ALGOS), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 6 }), fc.boolean());
    const trafficArb = fc.array(fc.record({ dt: fc.integer({ min: -100, max: 250 }), cost: fc.integer({ min: 0, max: 2 }), key: fc.constantFrom('a', 'b') }), { minLength: 1, maxLength: 25 });
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
          clock.set(clock.now() + dt);
          const c = Math.min(cost, ...policies.map((p) => p.capacity));
          expect(strip(await store.consume(key, policies, c))).toEqual(strip(memory.consume(key, policies, c)));
        }
      }),
      { numRuns: 40 },
    );
  });

  // Was: the memory table was per namespace and algorithms only, so limiters sharing a namespace with differently
  // named policies shared one count in memory and kept two on Redis (policy names are in its keys).
  it('limiters sharing a store and namespace decide alike on memory and Redis, whatever their policy names', async () => {
    let run = 0;
    const limiterArb = fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom<Algorithm>('fixed-window', 'token-bucket', 'sliding-log'), fc.integer({ min: 1, max: 4 }));
    const trafficArb = fc.array(fc.record({ dt: fc.integer({ min: 0, max: 300 }), which: fc.nat({ max: 2 }) }), { minLength: 1, maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(fc.array(limiterArb, { minLength: 3, maxLength: 3 }), trafficArb, async (shapes, traffic) => {
        const clock = new FakeClock(T0);
        const memory = new MemoryStore({ clock, sweepIntervalMs: 0 });
        const store = new RedisStore({ client, clock, prefix: `${redis.prefix}shared${run++}:` });
        const build = (s: RateLimitStore) => shapes.map(([name, algorithm, limit]) => createRateLimiter({ store: s, policies: { name, algorithm, limit, windowMs: 1_000 } }));
        const [inMemory, onRedis] = [build(memory), build(store)];
        for (const { dt, which } of traffic) {
          clock.advance(dt);
          const [m, r] = [await inMemory[which]!.consume('ip=203.0.113.7'), await onRedis[which]!.consume('ip=203.0.113.7')];
          expect([r.source, r.allowed, r.remaining]).toEqual([m.source, m.allowed, m.remaining]);
        }
      }),
      { numRuns: 30 },
    );
  });

  // Was: reset() passed ioredis' own error on, with no code to match on.
  it("reset() on a lost connection rejects with THROTTLE_ERR_STORE_DOWN, the driver's error as cause", async () => {
    const lost = redis.client();
    const limiter = createRateLimiter({ store: new RedisStore({ client: lost, prefix: `${redis.prefix}lost:` }), logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    await limiter.consume('k');
    lost.disconnect();
    const error = await limiter.reset('k').then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'THROTTLE_ERR_STORE_DOWN', cause: expect.objectContaining({ message: 'Connection is closed.' }) });
  });

  // Was: no option was checked, so a misspelt `client` failed every decision at run time (fail-open forever).
  it.each([
    ['no options', undefined, 'needs options { client }'],
    ['null options', null, 'needs options { client }'],
    ['a misspelt client option', { redis: {} }, 'client must be an ioredis Redis or Cluster'],
    ['a client without evalsha', { client: { eval: noop, del: noop } }, 'client has no evalsha() method: pass an ioredis Redis or Cluster'],
    ['a client without del', { client: { evalsha: noop, eval: noop } }, 'client has no del() method: pass an ioredis Redis or Cluster'],
    ['a null client', { client: null }, 'client must be an ioredis Redis or Cluster'],
    ['a prefix that is not a string', { client: 'CLIENT', prefix: 5 }, 'prefix must be a string'],
    ['a clock without now()', { client: 'CLIENT', clock: {} }, 'clock must have a now() method'],
    ['a null clock', { client: 'CLIENT', clock: null }, 'clock must have a now() method'],
  ])('refuses %s with THROTTLE_ERR_INVALID_OPTION', (_label, options, detail) => {
    // `client` connects in beforeAll, after this table is built: 'CLIENT' stands for it
    const given = (options as { client?: unknown } | undefined)?.client;
    const resolved = options === undefined || options === null ? options : { ...options, client: given === 'CLIENT' ? client : given };
    expect(() => new RedisStore(resolved as unknown as RedisStoreOptions)).toThrow(
      expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION', message: `A throttler option is invalid: RedisStore ${detail}` }),
    );
  });

  it('accepts any string prefix, even empty, and a clock', () => {
    expect(new RedisStore({ client, prefix: '', clock: new FakeClock(T0) }).prefix).toBe('');
  });

  // Round trips per decision (one EVALSHA; EVALSHA + EVAL once per script load) are counted on the
  // server in redis-round-trips.test.ts, which flushes the script cache: exact command lists belong there.
  it('uses the Redis server clock, keys under one hash tag with a TTL', async () => {
    const store = new RedisStore({ client, prefix: `${redis.prefix}srv:` });
    const policies = definePolicies([{ name: 'sec', limit: 3, windowMs: 10_000 }, { name: 'hour', algorithm: 'gcra', limit: 100, windowMs: 3_600_000 }]);
    const allowed: boolean[] = [];
    for (let i = 0; i < 4; i++) allowed.push((await store.consume('user=1', policies, 1)).allowed);
    expect(allowed).toEqual([true, true, true, false]);
    const keys = store.keysOf('user=1', policies);
    expect(keys).toEqual([`${redis.prefix}srv:{user=1}:sec:fixed-window`, `${redis.prefix}srv:{user=1}:hour:gcra`]);
    // each key lives as long as its own state, plus the 1 s grace: the second's key is not kept for the hour
    const ttls = await Promise.all(keys.map((k) => client.pttl(k)));
    expect(ttls[0]).toBeGreaterThan(0);
    expect(ttls[0]).toBeLessThanOrEqual(11_000);
    expect(ttls[1]).toBeGreaterThan(100_000);
    expect(ttls[1]).toBeLessThanOrEqual(109_000);
    await store.reset('user=1', policies);
    expect(await client.exists(...keys)).toBe(0);
    store.close();
  });

  it('keeps each algorithm in its own key: a policy that changes algorithm starts its own count instead of failing', async () => {
    const store = new RedisStore({ client, clock: new FakeClock(T0 + 123), prefix: `${redis.prefix}algo:` });
    const fixed = definePolicies({ name: 'p', limit: 3, windowMs: 60_000 });
    expect((await store.consume('k', fixed, 2)).outcomes[0]!.remaining).toBe(1);
    for (const algorithm of ['sliding-log', 'sliding-window', 'token-bucket', 'gcra'] as const) {
      const other = definePolicies({ name: 'p', algorithm, limit: 3, windowMs: 60_000 });
      const outcome = await store.consume('k', other, 1);
      expect([algorithm, outcome.allowed, outcome.outcomes[0]!.remaining]).toEqual([algorithm, true, 2]);
      // same hash tag, so the same cluster slot as before
      expect(store.keysOf('k', other)).toEqual([`${redis.prefix}algo:{k}:p:${algorithm}`]);
    }
    // and the fixed window's own count was left alone
    expect((await store.consume('k', fixed, 1)).outcomes[0]!.remaining).toBe(0);
  });

  it('two limiters with different algorithms on one store and namespace never trip the breaker', async () => {
    const store = new RedisStore({ client, prefix: `${redis.prefix}shared:` });
    const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const common = { store, logger, onStoreError: 'fail-closed' as const, breaker: { failureThreshold: 1 } };
    const fixed = createRateLimiter({ ...common, policies: { limit: 5, windowMs: 60_000 } });
    const log = createRateLimiter({ ...common, policies: { algorithm: 'sliding-log', limit: 5, windowMs: 60_000 } });
    const errors: string[] = [];
    for (const l of [fixed, log]) l.on('store-error', (e) => errors.push(e.code));
    const decisions = [await fixed.consume('ip=203.0.113.7'), await log.consume('ip=203.0.113.7'), await log.consume('ip=203.0.113.7'), await fixed.consume('ip=203.0.113.7')];
    expect(decisions.map((d) => [d.source, d.allowed, d.remaining])).toEqual([['store', true, 4], ['store', true, 4], ['store', true, 3], ['store', true, 3]]);
    expect(errors).toEqual([]);
    expect([fixed.breakerState, log.breakerState]).toEqual(['closed', 'closed']);
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

  // Was: the memory store kept a full-quota (resetMs 0) entry that the script DELs; after a 1 ms clock step back
  // the memory store read it as live, its refill time ahead of now, and refused a request Redis admitted.
  it('memory and Redis agree after a cost-0 peek and a clock step back', async () => {
    const single = definePolicies({ algorithm: 'token-bucket', limit: 1_000, windowMs: 1_000, burst: 5 });
    // several policies: the one back at full quota is forgotten per policy, as the script DELs its key alone
    const several = definePolicies([{ name: 'b', algorithm: 'gcra', limit: 1_000, windowMs: 1_000, burst: 5 }, { name: 'w', algorithm: 'sliding-window', limit: 9, windowMs: 1_000 }]);
    for (const [name, policies, peek] of [['single', single, 0], ['several', several, 0], ['none-left', several, 0]] as const) {
      const clock = new FakeClock(T0);
      const memory = new MemoryStore({ clock, sweepIntervalMs: 0 });
      const store = new RedisStore({ client, clock, prefix: `${redis.prefix}peek-${name}:` });
      const both = async (cost: number) => [strip(await store.consume('k', policies, cost)), strip(memory.consume('k', policies, cost))];
      if (name === 'several') {
        // the window keeps a count (ttl > 0) while the bucket is back at full quota
        const [onRedis, inMemory] = await both(1);
        expect(inMemory).toEqual(onRedis);
        clock.set(T0 + 5);
      }
      const [peekRedis, peekMemory] = await both(peek);
      expect(peekMemory).toEqual(peekRedis);
      expect(memory.size).toBe(name === 'several' ? 1 : 0);
      clock.set(clock.now() - 1);
      for (const cost of [5, 1]) {
        const [onRedis, inMemory] = await both(cost);
        expect(inMemory).toEqual(onRedis);
        clock.advance(1); // 1 ms at 1 token/ms
      }
    }
  });

  it('reads a GCRA state written before the refill time was kept, as before', async () => {
    const store = new RedisStore({ client, clock: new FakeClock(T0), prefix: `${redis.prefix}legacy:` });
    const policies = definePolicies({ name: 'p', algorithm: 'gcra', limit: 3, windowMs: 1_000 });
    await client.set(store.keysOf('k', policies)[0]!, `${T0 + 1_000},0`);
    expect((await store.consume('k', policies, 1)).outcomes[0]).toMatchObject({ allowed: false, remaining: 0, resetMs: 1_000, retryAfterMs: 334 });
  });

  it('records with each state when it is back at full quota on the store clock, per policy', async () => {
    const store = new RedisStore({ client, clock: new FakeClock(T0), prefix: `${redis.prefix}format:` });
    const policies = definePolicies([{ name: 'p', limit: 3, windowMs: 1_000 }, { name: 'q', algorithm: 'sliding-log', limit: 3, windowMs: 5_000 }]);
    expect((await store.consume('k', policies, 2)).ttlMs).toBe(5_000);
    const values = await Promise.all(store.keysOf('k', policies).map((k) => client.get(k)));
    expect(values).toEqual([`@${T0 + 1_000},${T0},2`, `@${T0 + 5_000},2,${T0},2`]);
  });

  // Values written before the expiry was recorded: a rolling upgrade resets no count.
  it('reads a state written without its expiry as before, and writes it back with one', async () => {
    const clock = new FakeClock(T0);
    const store = new RedisStore({ client, clock, prefix: `${redis.prefix}legacy-expiry:` });
    const policies = definePolicies({ name: 'p', algorithm: 'token-bucket', limit: 3, windowMs: 1_000, burst: 6 });
    const key = store.keysOf('k', policies)[0]!;
    // 2 of 6 tokens at T0 - 500, 1.5 refilled since: 2.5 left after this request, full again in 1 167 ms
    await client.set(key, `${2_000},${T0 - 500}`);
    expect((await store.consume('k', policies, 1)).outcomes[0]).toMatchObject({ allowed: true, remaining: 2 });
    // and rewritten in the current format
    expect(await client.get(key)).toMatch(new RegExp(`^@${T0 + 1_167},`));
  });

  it('reads a state written without its expiry as before, even by a limiter with another limit', async () => {
    const store = new RedisStore({ client, clock: new FakeClock(T0 + 334), prefix: `${redis.prefix}legacy-other:` });
    const policies = definePolicies({ name: 'p', algorithm: 'token-bucket', limit: 10, windowMs: 1_000 });
    // a 3-per-second bucket's state after one request at T0, its own expiry at T0 + 334: refilled at 10 per s
    await client.set(store.keysOf('k', policies)[0]!, `${2_000},${T0}`);
    expect((await store.consume('k', policies, 1)).outcomes[0]).toMatchObject({ allowed: true, remaining: 4 });
  });

  // Was: the script returned limit - used, so a count above a lowered limit showed as `r=-3`.
  it('reports remaining 0, never negative, for a stored count above a lowered limit', async () => {
    const store = new RedisStore({ client, clock: new FakeClock(T0), prefix: `${redis.prefix}lowered:` });
    for (const algorithm of ['fixed-window', 'sliding-log', 'gcra'] as const) {
      await store.consume('k', definePolicies({ name: 'p', algorithm, limit: 5, windowMs: 1_000 }), 5);
      const { outcomes } = await store.consume('k', definePolicies({ name: 'p', algorithm, limit: 2, windowMs: 1_000 }), 1);
      expect([algorithm, outcomes[0]!.allowed, outcomes[0]!.remaining]).toEqual([algorithm, false, 0]);
    }
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
