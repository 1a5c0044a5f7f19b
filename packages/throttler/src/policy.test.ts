import { describe, expect, it } from 'vitest';
import { ALGORITHM_CODES, ALGORITHMS, algorithmCode, checkCost, definePolicies, definePolicy } from './policy.ts';

const messageOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    const e = error as { code: string; message: string };
    return `${e.code} ${e.message}`;
  }
  return 'no error';
};

describe('policies', () => {
  it('fills defaults and freezes', () => {
    const p = definePolicy({ limit: 10, windowMs: 1_000 });
    expect(p).toEqual({ name: 'default', algorithm: 'fixed-window', limit: 10, windowMs: 1_000, capacity: 10 });
    expect(Object.isFrozen(p)).toBe(true);
    expect(definePolicy({ name: 'b', algorithm: 'gcra', limit: 10, windowMs: 1_000, burst: 25 }).capacity).toBe(25);
    expect(definePolicy({ algorithm: 'token-bucket', limit: 10, windowMs: 1_000 }).capacity).toBe(10);
  });

  it.each([
    [{ name: 'has space', limit: 1, windowMs: 1 }, 'name must match /^[A-Za-z0-9_-]{1,64}$/, got "has space"'],
    [{ name: 7 as unknown as string, limit: 1, windowMs: 1 }, 'name must match /^[A-Za-z0-9_-]{1,64}$/, got 7'],
    [{ name: 'x'.repeat(65), limit: 1, windowMs: 1 }, `name must match /^[A-Za-z0-9_-]{1,64}$/, got "${'x'.repeat(65)}"`],
    [{ algorithm: 'leaky' as 'gcra', limit: 1, windowMs: 1 }, 'unknown algorithm "leaky"'],
    [{ limit: 0, windowMs: 1 }, 'limit must be a positive integer, got 0'],
    [{ limit: 1.5, windowMs: 1 }, 'limit must be a positive integer, got 1.5'],
    [{ limit: '5' as unknown as number, windowMs: 1 }, 'limit must be a positive integer, got 5'],
    [{ limit: 1, windowMs: -1 }, 'windowMs must be a positive integer, got -1'],
    [{ limit: 1, windowMs: 1, burst: 3 }, 'burst applies to token-bucket and gcra only, not fixed-window'],
    [{ algorithm: 'gcra' as const, limit: 1, windowMs: 1, burst: 0 }, 'burst must be a positive integer, got 0'],
    [{ limit: 2 ** 30, windowMs: 2 ** 21 }, 'limit/burst x windowMs is too large for exact arithmetic'],
    [{ algorithm: 'token-bucket' as const, limit: 1, windowMs: 2 ** 21, burst: 2 ** 30 }, 'limit/burst x windowMs is too large for exact arithmetic'],
  ])('refuses %j with THROTTLE_ERR_INVALID_POLICY and says why', (input, detail) => {
    expect(() => definePolicy(input)).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_POLICY', message: `A rate-limit policy is invalid: ${detail}` }));
  });

  it('accepts the largest exact policy, 64-character names and every algorithm name', () => {
    expect(definePolicy({ limit: 2 ** 25, windowMs: 2 ** 25 }).capacity).toBe(2 ** 25);
    expect(definePolicy({ name: 'A-z_0'.padEnd(64, '9'), limit: 1, windowMs: 1 }).name).toHaveLength(64);
    for (const algorithm of ['fixed-window', 'sliding-window', 'sliding-log', 'token-bucket', 'gcra'] as const) expect(definePolicy({ algorithm, limit: 1, windowMs: 1 }).algorithm).toBe(algorithm);
    expect(definePolicy({ algorithm: 'token-bucket', limit: 2, windowMs: 1 }).capacity).toBe(2);
  });

  it('takes one policy or a list with unique names', () => {
    expect(definePolicies({ limit: 1, windowMs: 1 }).map((p) => p.name)).toEqual(['default']);
    expect(definePolicies([{ name: 'a', limit: 1, windowMs: 1 }, { name: 'b', limit: 1, windowMs: 1 }]).map((p) => p.name)).toEqual(['a', 'b']);
    expect(() => definePolicies([])).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_POLICY', message: 'A rate-limit policy is invalid: at least one policy is required' }));
    expect(() => definePolicies([{ limit: 1, windowMs: 1 }, { limit: 2, windowMs: 1 }])).toThrow(
      expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_POLICY', message: 'A rate-limit policy is invalid: policy names must be unique within one limiter' }),
    );
    expect(Object.isFrozen(definePolicies({ limit: 1, windowMs: 1 }))).toBe(true);
  });

  it('accepts costs from 0 to the smallest capacity only', () => {
    const ps = definePolicies([{ name: 'a', limit: 5, windowMs: 1 }, { name: 'b', algorithm: 'gcra', limit: 1, windowMs: 1, burst: 3 }]);
    expect([checkCost(0, ps), checkCost(3, ps)]).toEqual([0, 3]);
    expect([messageOf(() => checkCost(4, ps)), messageOf(() => checkCost(-1, ps)), messageOf(() => checkCost(0.5, ps))]).toEqual([
      'THROTTLE_ERR_INVALID_COST The request cost is invalid: cost 4 exceeds the capacity 3 of policy b',
      'THROTTLE_ERR_INVALID_COST The request cost is invalid: cost must be an integer >= 0, got -1',
      'THROTTLE_ERR_INVALID_COST The request cost is invalid: cost must be an integer >= 0, got 0.5',
    ]);
  });
});

describe('algorithm codes', () => {
  it('the switch the memory store uses gives the codes the Redis script dispatches on, one distinct code each', () => {
    expect(ALGORITHMS.map(algorithmCode)).toEqual(ALGORITHMS.map((a) => ALGORITHM_CODES[a]));
    expect(ALGORITHMS.map(algorithmCode)).toEqual([1, 2, 3, 4, 5]);
  });
});
