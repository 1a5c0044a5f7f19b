import { describe, expect, it } from 'vitest';
import { bootstrapRatio, seededRandom } from './bootstrap.ts';

const base = [100, 102, 98, 101, 99, 100, 103, 97, 100, 101];
const slower = base.map((b) => b * 1.25);

describe('bootstrapRatio', () => {
  it('gives the ratio of medians with an interval around it', () => {
    const ci = bootstrapRatio(base, slower, { paired: true });
    expect(ci.ratio).toBeCloseTo(1.25, 12);
    // Paired and exactly proportional: every resample has the same ratio.
    expect(ci.low).toBeCloseTo(1.25, 12);
    expect(ci.high).toBeCloseTo(1.25, 12);
    expect(ci.level).toBe(0.95);
  });

  it('widens when the sides are resampled independently', () => {
    const ci = bootstrapRatio(base, slower, { paired: false });
    expect(ci.low).toBeLessThan(1.25);
    expect(ci.high).toBeGreaterThan(1.25);
    expect(ci.low).toBeGreaterThan(1.15);
    expect(ci.high).toBeLessThan(1.35);
  });

  it('is deterministic for a seed', () => {
    const a = bootstrapRatio(base, [...slower].reverse(), { paired: false, seed: 42, resamples: 500 });
    const b = bootstrapRatio(base, [...slower].reverse(), { paired: false, seed: 42, resamples: 500 });
    expect(a).toEqual(b);
  });

  it('refuses paired samples of different lengths', () => {
    expect(() => bootstrapRatio([1, 2, 3], [1, 2], { paired: true })).toThrow(new RangeError('paired bootstrap needs equal sample counts (3 vs 2)'));
  });
});

describe('seededRandom', () => {
  it('yields the same sequence in [0, 1) for the same seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 100 }, () => a());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBe(100);
  });
});
