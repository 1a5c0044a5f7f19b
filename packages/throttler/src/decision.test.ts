import { describe, expect, it } from 'vitest';
import { degradedDecision, toDecision } from './decision.ts';
import { definePolicies } from './policy.ts';

const [a, b, c] = definePolicies([
  { name: 'a', limit: 5, windowMs: 1_000 },
  { name: 'b', limit: 6, windowMs: 2_000 },
  { name: 'c', limit: 7, windowMs: 3_000 },
]) as [ReturnType<typeof definePolicies>[0], ReturnType<typeof definePolicies>[0], ReturnType<typeof definePolicies>[0]];
const out = (policy: typeof a, allowed: boolean, remaining: number, retryAfterMs: number) => ({ policy, allowed, remaining, resetMs: 900, retryAfterMs });

describe('toDecision', () => {
  it('admitted: the policy with the least left decides; on a tie the first one', () => {
    const outcomes = [out(a, true, 3, 0), out(b, true, 2, 0), out(c, true, 2, 0)];
    expect(toDecision('k', { allowed: true, outcomes, ttlMs: 900 }, 'store')).toEqual({
      allowed: true,
      key: 'k',
      policy: b,
      limit: 6,
      remaining: 2,
      resetMs: 900,
      retryAfterMs: 0,
      outcomes,
      source: 'store',
    });
  });

  it('refused: the refusing policy with the longest wait decides; on a tie the first one; admitting ones never decide', () => {
    const outcomes = [out(a, true, 0, 0), out(b, false, 0, 500), out(c, false, 0, 500)];
    const d = toDecision('k', { allowed: false, outcomes, ttlMs: 900 }, 'insurance');
    expect([d.policy.name, d.retryAfterMs, d.limit, d.source, 'reason' in d]).toEqual(['b', 500, 6, 'insurance', false]);
    const longer = [out(a, false, 0, 100), out(b, true, 9, 0), out(c, false, 0, 700)];
    expect(toDecision('k', { allowed: false, outcomes: longer, ttlMs: 900 }, 'store').policy.name).toBe('c');
  });

  it('keeps a store refusal reason', () => {
    const d = toDecision('k', { allowed: false, outcomes: [out(a, false, 0, 1_000)], ttlMs: 1_000, reason: 'capacity' }, 'store');
    expect([d.reason, d.retryAfterMs, d.policy.name]).toEqual(['capacity', 1_000, 'a']);
  });
});

describe('degradedDecision', () => {
  it('fail-open: admitted at full quota, nothing to wait for', () => {
    const d = degradedDecision('k', [a, b], true, 5_000);
    expect(d).toEqual({
      allowed: true,
      key: 'k',
      policy: a,
      limit: 5,
      remaining: 5,
      resetMs: 5_000,
      retryAfterMs: 0,
      outcomes: [
        { policy: a, allowed: true, remaining: 5, resetMs: 5_000, retryAfterMs: 0 },
        { policy: b, allowed: true, remaining: 6, resetMs: 5_000, retryAfterMs: 0 },
      ],
      source: 'fail-open',
    });
  });

  it('fail-closed: refused with nothing left, retry after the given wait', () => {
    const d = degradedDecision('k', [a], false, 5_000);
    expect([d.allowed, d.remaining, d.retryAfterMs, d.resetMs, d.source, d.outcomes[0]!.retryAfterMs]).toEqual([false, 0, 5_000, 5_000, 'fail-closed', 5_000]);
  });
});
