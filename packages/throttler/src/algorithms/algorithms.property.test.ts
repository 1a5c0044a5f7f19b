import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePolicy, type Algorithm, type Policy } from '../policy.ts';
import { bucketModel, fixedModel, slidingLogModel, slidingWindowModel, type Arrival } from '../test-support/models.ts';
import { step } from './decide.ts';

const T0 = 1_700_000_000_000;

const policyArb = (algorithm: Algorithm) =>
  fc.record({ limit: fc.integer({ min: 1, max: 8 }), windowMs: fc.integer({ min: 1, max: 500 }), burst: fc.integer({ min: 1, max: 8 }) }).map(({ limit, windowMs, burst }) =>
    definePolicy({ algorithm, limit, windowMs, ...(algorithm === 'token-bucket' || algorithm === 'gcra' ? { burst } : {}) }),
  );

const trafficArb = fc.array(fc.record({ dt: fc.integer({ min: 0, max: 300 }), cost: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 60 });

/** Runs a sequence through the real algorithm, recording each decision and the state it was made from. */
function run(p: Policy, traffic: readonly { dt: number; cost: number }[]) {
  let state: number[] | undefined;
  let t = T0;
  const history: Arrival[] = [];
  const refusals: { t: number; cost: number; retryAfterMs: number; state: number[] | undefined }[] = [];
  for (const { dt, cost: raw } of traffic) {
    t += dt;
    const cost = Math.min(raw, p.capacity);
    const s = step(p, state, t, cost);
    history.push({ t, cost, admitted: s.allowed });
    if (s.allowed) state = s.state;
    else refusals.push({ t, cost, retryAfterMs: s.retryAfterMs, state });
  }
  return { history, refusals };
}

function agreesWithModel(p: Policy, history: readonly Arrival[], model: typeof fixedModel): boolean {
  return history.every((a, i) => model(p, history.slice(0, i), a.t, a.cost) === a.admitted);
}

const admittedIn = (h: readonly Arrival[], from: number, to: number) => h.filter((a) => a.admitted && a.t >= from && a.t <= to).reduce((n, a) => n + a.cost, 0);

describe('algorithm laws (fast-check, fake time)', () => {
  it('fixed window admits at most limit per aligned window and refuses only what the law refuses', () => {
    fc.assert(
      fc.property(policyArb('fixed-window'), trafficArb, (p, traffic) => {
        const { history } = run(p, traffic);
        const perWindow = new Map<number, number>();
        for (const a of history) if (a.admitted) perWindow.set(a.t - (a.t % p.windowMs), (perWindow.get(a.t - (a.t % p.windowMs)) ?? 0) + a.cost);
        expect(Math.max(0, ...perWindow.values())).toBeLessThanOrEqual(p.limit);
        expect(agreesWithModel(p, history, fixedModel)).toBe(true);
      }),
    );
  });

  it('sliding log admits at most limit in any window (t - W, t] and never refuses what that law admits', () => {
    fc.assert(
      fc.property(policyArb('sliding-log'), trafficArb, (p, traffic) => {
        const { history } = run(p, traffic);
        for (const a of history) expect(admittedIn(history, a.t - p.windowMs + 1, a.t)).toBeLessThanOrEqual(p.limit);
        expect(agreesWithModel(p, history, slidingLogModel)).toBe(true);
      }),
    );
  });

  it('sliding window (approximated) matches its reference model and admits at most limit per aligned window', () => {
    fc.assert(
      fc.property(policyArb('sliding-window'), trafficArb, (p, traffic) => {
        const { history } = run(p, traffic);
        for (const a of history) expect(admittedIn(history, a.t - (a.t % p.windowMs), a.t)).toBeLessThanOrEqual(p.limit);
        expect(agreesWithModel(p, history, slidingWindowModel)).toBe(true);
      }),
    );
  });

  for (const algorithm of ['token-bucket', 'gcra'] as const) {
    it(`${algorithm} admits at most burst + rate * t over any interval and never refuses what the bucket law admits`, () => {
      fc.assert(
        fc.property(policyArb(algorithm), trafficArb, (p, traffic) => {
          const { history } = run(p, traffic);
          for (const a of history) {
            for (const b of history) {
              if (b.t < a.t) continue;
              // scaled by windowMs: W * admitted <= W * burst + limit * (b - a)
              expect(p.windowMs * admittedIn(history, a.t, b.t)).toBeLessThanOrEqual(p.capacity * p.windowMs + p.limit * (b.t - a.t));
            }
          }
          expect(agreesWithModel(p, history, bucketModel)).toBe(true);
        }),
      );
    });
  }

  // The law every store's expiry relies on: the memory store drops an entry, and a Redis key expires,
  // resetMs after the decision. With the clock jumping back and forth.
  for (const algorithm of ['fixed-window', 'sliding-log', 'sliding-window', 'token-bucket', 'gcra'] as const) {
    it(`${algorithm}: once resetMs has passed, a state leaves exactly the quota of no state, whatever the clock did`, () => {
      const jumpsArb = fc.array(fc.record({ dt: fc.integer({ min: -600, max: 600 }), cost: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 40 });
      fc.assert(
        fc.property(policyArb(algorithm), jumpsArb, fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 3 }), (p, jumps, later, probe) => {
          let state: number[] | undefined;
          let t = T0;
          for (const { dt, cost: raw } of jumps) {
            t += dt;
            const s = step(p, state, t, Math.min(raw, p.capacity));
            if (!s.allowed) continue;
            state = s.state;
            const at = t + s.resetMs + later;
            const cost = Math.min(probe, p.capacity);
            // the quota, not the waits: an all-zero sliding window may keep a start ahead of a fresh one
            const kept = step(p, state, at, cost);
            const fresh = step(p, undefined, at, cost);
            expect([kept.allowed, kept.remaining]).toEqual([fresh.allowed, fresh.remaining]);
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('GCRA and token bucket make identical decisions on identical sequences', () => {
    fc.assert(
      fc.property(policyArb('gcra'), trafficArb, (g, traffic) => {
        const b = definePolicy({ algorithm: 'token-bucket', limit: g.limit, windowMs: g.windowMs, burst: g.capacity });
        expect(run(g, traffic).history).toEqual(run(b, traffic).history);
      }),
    );
  });

  // Was: GCRA read a clock step back as debt, so the two diverged as soon as the clock went backwards.
  it('GCRA and token bucket make identical decisions when the clock jumps back and forth', () => {
    const jumpsArb = fc.array(fc.record({ dt: fc.integer({ min: -600, max: 600 }), cost: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(policyArb('gcra'), jumpsArb, (g, jumps) => {
        const b = definePolicy({ algorithm: 'token-bucket', limit: g.limit, windowMs: g.windowMs, burst: g.capacity });
        let gs: number[] | undefined;
        let bs: number[] | undefined;
        let t = T0;
        for (const { dt, cost } of jumps) {
          t += dt;
          const c = Math.min(cost, g.capacity);
          const x = step(g, gs, t, c);
          const y = step(b, bs, t, c);
          expect({ ...x, state: undefined }).toEqual({ ...y, state: undefined });
          if (x.allowed) {
            gs = x.state;
            bs = y.state;
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  for (const algorithm of ['fixed-window', 'sliding-log', 'sliding-window', 'token-bucket', 'gcra'] as const) {
    it(`${algorithm}: a refused request retried exactly retryAfterMs later, with no traffic between, is admitted`, () => {
      fc.assert(
        fc.property(policyArb(algorithm), trafficArb, (p, traffic) => {
          for (const r of run(p, traffic).refusals) {
            expect(r.retryAfterMs).toBeGreaterThan(0);
            expect(step(p, r.state, r.t + r.retryAfterMs, r.cost).allowed).toBe(true);
            // exact algorithms: the hint is also the earliest instant
            if (algorithm !== 'sliding-window') expect(step(p, r.state, r.t + r.retryAfterMs - 1, r.cost).allowed).toBe(false);
          }
        }),
      );
    });
  }
});
