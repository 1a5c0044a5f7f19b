/**
 * L1 contract (novice, zero config): limit N per window, nothing else set.
 */
import { createHttpThrottle, createRateLimiter } from '@rampart/throttler';
import { describe, expect, it } from 'vitest';

describe('@rampart/throttler L1: limit N per window with zero config', () => {
  it('createRateLimiter() admits 100 per minute per key, then refuses with a retry time', async () => {
    const limiter = createRateLimiter();
    const decisions = [];
    for (let i = 0; i < 101; i++) decisions.push(await limiter.consume('client-1'));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(100);
    const last = decisions[100]!;
    expect([last.allowed, last.remaining, last.limit]).toEqual([false, 0, 100]);
    expect(last.retryAfterMs).toBeGreaterThan(0);
    expect(last.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect((await limiter.consume('client-2')).allowed).toBe(true);
    await limiter.close();
  });

  it('createRateLimiter({ policies: { limit, windowMs } }) admits exactly limit per window', async () => {
    const limiter = createRateLimiter({ policies: { limit: 3, windowMs: 60_000 } });
    const allowed = [];
    for (let i = 0; i < 5; i++) allowed.push((await limiter.consume('k')).allowed);
    expect(allowed).toEqual([true, true, true, false, false]);
    await limiter.close();
  });

  it('createHttpThrottle() answers 429 with Retry-After, RateLimit headers and a problem body', async () => {
    const throttle = createHttpThrottle({ policies: { limit: 1, windowMs: 60_000 } });
    const ok = await throttle.check({ ip: '203.0.113.7', headers: {} });
    expect([ok.allowed, ok.status, ok.headers['RateLimit-Policy']]).toEqual([true, 200, '"default";q=1;w=60']);
    const refused = await throttle.check({ ip: '203.0.113.7', headers: {} });
    expect([refused.allowed, refused.status, refused.body?.status, refused.body?.title]).toEqual([false, 429, 429, 'Too Many Requests']);
    expect(Number(refused.headers['Retry-After'])).toBeGreaterThan(0);
    await throttle.close();
  });
});
