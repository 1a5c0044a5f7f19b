import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePolicy } from '../policy.ts';
import { decideAll, step } from './decide.ts';
import { ceilDiv, floorDiv, windowStart } from './step.ts';

const T = 1_699_999_980_000; // aligned to 1 000 and 60 000

describe('integer helpers', () => {
  it('floorDiv, ceilDiv and windowStart are exact', () => {
    expect([floorDiv(7, 2), floorDiv(6, 2), ceilDiv(7, 2), ceilDiv(6, 2), ceilDiv(0, 5)]).toEqual([3, 3, 4, 3, 0]);
    expect([windowStart(1_234, 1_000), windowStart(-1, 1_000)]).toEqual([1_000, -1_000]);
  });

  it('windowStart is the fmod definition (now - ((now mod w) + w) mod w) for every |now| < 2^53', () => {
    const now = fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.constantFrom(2 ** 53 - 1, -(2 ** 53) + 1, 0, T - 1));
    const w = fc.oneof(fc.integer({ min: 1, max: 2 ** 50 }), fc.constantFrom(1, 3, 7, 1_000, 60_000, 86_400_000));
    fc.assert(fc.property(now, w, (t, width) => windowStart(t, width) === t - (((t % width) + width) % width)), { numRuns: 2_000 });
    expect(windowStart(2 ** 53 - 1, 3)).toBe(2 ** 53 - 2);
  });
});

describe('fixed window', () => {
  const p = definePolicy({ limit: 2, windowMs: 1_000 });
  it('admits limit per window, then refuses until the window ends', () => {
    const a = step(p, undefined, T + 100, 1);
    const b = step(p, a.state, T + 200, 1);
    const c = step(p, b.state, T + 300, 1);
    expect([a, b, c]).toEqual([
      { allowed: true, state: [T, 1], remaining: 1, resetMs: 900, retryAfterMs: 0 },
      { allowed: true, state: [T, 2], remaining: 0, resetMs: 800, retryAfterMs: 0 },
      { allowed: false, state: [T, 2], remaining: 0, resetMs: 700, retryAfterMs: 700 },
    ]);
    expect(step(p, c.state, T + 1_000, 1)).toEqual({ allowed: true, state: [T + 1_000, 1], remaining: 1, resetMs: 1_000, retryAfterMs: 0 });
  });
  it('keeps the newer window when the clock steps back', () => {
    expect(step(p, [T + 1_000, 2], T + 500, 1)).toEqual({ allowed: false, state: [T + 1_000, 2], remaining: 0, resetMs: 1_500, retryAfterMs: 1_500 });
  });
});

describe('sliding log', () => {
  const p = definePolicy({ algorithm: 'sliding-log', limit: 3, windowMs: 1_000 });
  it('counts weighted entries in (t - W, t] and retries when enough have expired', () => {
    const a = step(p, undefined, T, 2);
    const b = step(p, a.state, T + 400, 1);
    const c = step(p, b.state, T + 500, 2);
    expect(a.state).toEqual([2, T, 2]);
    expect(b).toEqual({ allowed: true, state: [3, T, 2, T + 400, 1], remaining: 0, resetMs: 1_000, retryAfterMs: 0 });
    expect(c).toEqual({ allowed: false, state: [3, T, 2, T + 400, 1], remaining: 0, resetMs: 900, retryAfterMs: 500 });
    expect(step(p, b.state, T + 1_000, 2)).toEqual({ allowed: true, state: [3, T + 400, 1, T + 1_000, 2], remaining: 0, resetMs: 1_000, retryAfterMs: 0 });
  });
  it('needs several entries to expire for a large cost', () => {
    const s = [3, T, 1, T + 100, 1, T + 200, 1];
    expect(step(p, s, T + 300, 3).retryAfterMs).toBe(900);
  });
  it('records no entry for cost 0 and keeps the log sorted when the clock steps back', () => {
    expect(step(p, undefined, T, 0)).toEqual({ allowed: true, state: [0], remaining: 3, resetMs: 0, retryAfterMs: 0 });
    expect(step(p, [1, T + 500, 1], T + 100, 1).state).toEqual([2, T + 500, 1, T + 500, 1]);
  });
});

describe('sliding window (approximated)', () => {
  const p = definePolicy({ algorithm: 'sliding-window', limit: 10, windowMs: 1_000 });
  it('weighs the previous window by its overlap', () => {
    // previous window had 10, 250 ms into the current one: 10 * 0.75 = 7.5 used
    expect(step(p, [T - 1_000, 0, 10], T + 250, 1)).toEqual({ allowed: true, state: [T, 10, 1], remaining: 1, resetMs: 1_750, retryAfterMs: 0 });
    expect(step(p, [T, 10, 2], T + 250, 1)).toEqual({ allowed: false, state: [T, 10, 2], remaining: 0, resetMs: 1_750, retryAfterMs: 50 });
  });
  it('waits for the next window when the current one alone is full', () => {
    expect(step(p, [T, 0, 10], T + 100, 1)).toEqual({ allowed: false, state: [T, 0, 10], remaining: 0, resetMs: 1_900, retryAfterMs: 1_000 });
  });
  it('forgets windows older than the previous one and resets to zero when idle', () => {
    expect(step(p, [T - 5_000, 9, 9], T, 0)).toEqual({ allowed: true, state: [T, 0, 0], remaining: 10, resetMs: 0, retryAfterMs: 0 });
    expect(step(p, [T - 1_000, 0, 4], T, 0)).toEqual({ allowed: true, state: [T, 4, 0], remaining: 6, resetMs: 1_000, retryAfterMs: 0 });
  });
  it('treats a clock that stepped back as a full previous window', () => {
    expect(step(p, [T + 1_000, 10, 0], T + 500, 1).allowed).toBe(false);
  });
});

describe('token bucket', () => {
  const p = definePolicy({ algorithm: 'token-bucket', limit: 1, windowMs: 100, burst: 3 });
  it('starts full, spends the burst, refills at limit per window', () => {
    const a = step(p, undefined, T, 3);
    expect(a).toEqual({ allowed: true, state: [0, T], remaining: 0, resetMs: 300, retryAfterMs: 0 });
    expect(step(p, a.state, T + 50, 1)).toEqual({ allowed: false, state: [50, T + 50], remaining: 0, resetMs: 250, retryAfterMs: 50 });
    expect(step(p, a.state, T + 100, 1)).toEqual({ allowed: true, state: [0, T + 100], remaining: 0, resetMs: 300, retryAfterMs: 0 });
    expect(step(p, a.state, T + 10_000_000, 1).remaining).toBe(2);
  });
  it('does not refill backwards when the clock steps back, and counts its waits from the refill time ahead', () => {
    // tokens refill from T, 1 000 ms ahead: one token at T + 100, full at T + 300
    expect(step(p, [0, T], T - 1_000, 1)).toEqual({ allowed: false, state: [0, T], remaining: 0, resetMs: 1_300, retryAfterMs: 1_100 });
    expect(step(p, [300, T], T - 1_000, 1)).toEqual({ allowed: true, state: [200, T], remaining: 2, resetMs: 1_100, retryAfterMs: 0 });
    // full, but refilling only from T on: kept until T, so that forgetting it changes no decision
    expect(step(p, [300, T], T - 1_000, 0)).toEqual({ allowed: true, state: [300, T], remaining: 3, resetMs: 1_000, retryAfterMs: 0 });
  });
});

describe('GCRA', () => {
  const p = definePolicy({ algorithm: 'gcra', limit: 3, windowMs: 1_000 });
  it('tracks the theoretical arrival time exactly in thirds of a millisecond', () => {
    const a = step(p, undefined, T, 1);
    expect(a).toEqual({ allowed: true, state: [T + 333, 1, T], remaining: 2, resetMs: 334, retryAfterMs: 0 });
    const b = step(p, a.state, T, 2);
    expect(b).toEqual({ allowed: true, state: [T + 1_000, 0, T], remaining: 0, resetMs: 1_000, retryAfterMs: 0 });
    expect(step(p, b.state, T + 1, 1)).toEqual({ allowed: false, state: [T + 1_000, 0, T + 1], remaining: 0, resetMs: 999, retryAfterMs: 333 });
    expect(step(p, [T - 1, 2, T - 1], T, 3).allowed).toBe(true);
  });
  // Was: after the clock stepped back 2 s, GCRA read the step as 2 s of debt and refused (remaining -11) where the
  // token bucket admits; a 1 h step locked every active key out for 1 h.
  it('counts its backlog from the refill time after the clock steps back, deciding as the token bucket does', () => {
    const g = definePolicy({ algorithm: 'gcra', limit: 10, windowMs: 1_000 });
    const b = definePolicy({ algorithm: 'token-bucket', limit: 10, windowMs: 1_000 });
    const gAfter = step(g, step(g, undefined, T, 1).state, T - 2_000, 1);
    const bAfter = step(b, step(b, undefined, T, 1).state, T - 2_000, 1);
    expect(bAfter).toMatchObject({ allowed: true, remaining: 8, resetMs: 2_200 });
    expect(gAfter).toEqual({ allowed: true, state: [T + 200, 0, T], remaining: 8, resetMs: 2_200, retryAfterMs: 0 });
    expect(step(g, step(g, gAfter.state, T - 2_000, 8).state, T - 1_000, 1)).toEqual({ allowed: false, state: [T + 1_000, 0, T], remaining: 0, resetMs: 2_000, retryAfterMs: 1_100 });
  });
  it('reads a two-integer state (written before the refill time was kept) from now, as before', () => {
    expect(step(p, [T + 1_000, 0], T, 1)).toEqual({ allowed: false, state: [T + 1_000, 0, T], remaining: 0, resetMs: 1_000, retryAfterMs: 334 });
    expect(step(p, [T + 333, 1], T, 1)).toMatchObject({ allowed: true, state: [T + 666, 2, T], remaining: 1 });
  });
});

// Was: a stored count above a lowered limit (redeploy, state kept on Redis) gave a negative remaining, e.g. `r=-3`.
describe('a stored count above a lowered limit', () => {
  it.each(['fixed-window', 'sliding-log', 'gcra'] as const)('%s reports remaining 0, never a negative count', (algorithm) => {
    const before = definePolicy({ algorithm, limit: 5, windowMs: 1_000 });
    const after = definePolicy({ algorithm, limit: 2, windowMs: 1_000 });
    const s = step(after, step(before, undefined, T, 5).state, T + 1, 1);
    expect([s.allowed, s.remaining]).toEqual([false, 0]);
  });
});

describe('decideAll', () => {
  const sec = definePolicy({ name: 'sec', limit: 2, windowMs: 1_000 });
  const min = definePolicy({ name: 'min', limit: 3, windowMs: 60_000 });
  it('admits only when every policy admits, and a refusal consumes nothing', () => {
    const a = decideAll([sec, min], [], T, 2);
    expect(a.allowed).toBe(true);
    expect(a.states).toEqual([[T, 2], [T, 2]]);
    const b = decideAll([sec, min], a.states!, T + 10, 1);
    expect(b).toEqual({
      allowed: false,
      states: undefined,
      ttlMs: 59_990,
      outcomes: [
        { policy: sec, allowed: false, remaining: 0, resetMs: 990, retryAfterMs: 990 },
        { policy: min, allowed: true, remaining: 1, resetMs: 59_990, retryAfterMs: 0 },
      ],
    });
  });
});
