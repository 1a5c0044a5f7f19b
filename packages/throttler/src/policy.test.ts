import { describe, expect, it } from 'vitest';
import { checkCost, definePolicies, definePolicy } from './policy.ts';

const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return (error as { code: string; message: string }).code;
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
    [{ name: 'has space', limit: 1, windowMs: 1 }],
    [{ name: 7 as unknown as string, limit: 1, windowMs: 1 }],
    [{ algorithm: 'leaky' as 'gcra', limit: 1, windowMs: 1 }],
    [{ limit: 0, windowMs: 1 }],
    [{ limit: 1.5, windowMs: 1 }],
    [{ limit: '5' as unknown as number, windowMs: 1 }],
    [{ limit: 1, windowMs: -1 }],
    [{ limit: 1, windowMs: 1, burst: 3 }],
    [{ algorithm: 'gcra' as const, limit: 1, windowMs: 1, burst: 0 }],
    [{ limit: 2 ** 30, windowMs: 2 ** 21 }],
  ])('refuses %j with THROTTLE_ERR_INVALID_POLICY', (input) => {
    expect(codeOf(() => definePolicy(input))).toBe('THROTTLE_ERR_INVALID_POLICY');
  });

  it('takes one policy or a list with unique names', () => {
    expect(definePolicies({ limit: 1, windowMs: 1 }).map((p) => p.name)).toEqual(['default']);
    expect(definePolicies([{ name: 'a', limit: 1, windowMs: 1 }, { name: 'b', limit: 1, windowMs: 1 }]).map((p) => p.name)).toEqual(['a', 'b']);
    expect(codeOf(() => definePolicies([]))).toBe('THROTTLE_ERR_INVALID_POLICY');
    expect(codeOf(() => definePolicies([{ limit: 1, windowMs: 1 }, { limit: 2, windowMs: 1 }]))).toBe('THROTTLE_ERR_INVALID_POLICY');
  });

  it('accepts costs from 0 to the smallest capacity only', () => {
    const ps = definePolicies([{ name: 'a', limit: 5, windowMs: 1 }, { name: 'b', algorithm: 'gcra', limit: 1, windowMs: 1, burst: 3 }]);
    expect([checkCost(0, ps), checkCost(3, ps)]).toEqual([0, 3]);
    expect([codeOf(() => checkCost(4, ps)), codeOf(() => checkCost(-1, ps)), codeOf(() => checkCost(0.5, ps))]).toEqual([
      'THROTTLE_ERR_INVALID_COST',
      'THROTTLE_ERR_INVALID_COST',
      'THROTTLE_ERR_INVALID_COST',
    ]);
  });
});
