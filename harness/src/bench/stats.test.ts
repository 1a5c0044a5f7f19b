import { describe, expect, it } from 'vitest';
import { holm, mannWhitneyU, median, normalCdf, quantile, relativeMad, wilcoxonSignedRank } from './stats.ts';

describe('quantile and median', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30], 0)).toBe(10);
    expect(quantile([10, 20, 30], 1)).toBe(30);
    expect(quantile([10, 20, 30, 40, 50], 0.25)).toBe(20);
    expect(median([3, 1, 2])).toBe(2);
  });

  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
  });
});

describe('relativeMad', () => {
  it('scales the MAD to a normal standard deviation, relative to the median', () => {
    expect(relativeMad([98, 99, 100, 101, 102])).toBeCloseTo(0.014826, 6);
  });

  it('is 0 for a single value or a zero median', () => {
    expect(relativeMad([5])).toBe(0);
    expect(relativeMad([0, 0, 0])).toBe(0);
  });
});

describe('normalCdf', () => {
  it('matches tabulated values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 5);
  });
});

describe('mannWhitneyU', () => {
  it('uses the exact distribution without ties: complete separation of 5 vs 5 gives 2/C(10,5)', () => {
    expect(mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toBeCloseTo(2 / 252, 12);
    expect(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5])).toBeCloseTo(2 / 252, 12);
  });

  it('gives p = 1 for perfectly interleaved samples', () => {
    expect(mannWhitneyU([1, 4, 5, 8], [2, 3, 6, 7])).toBe(1);
  });

  it('falls back to the tie-corrected normal approximation with ties', () => {
    // U = 25, mean 12.5, variance (25/12)·(11 − 240/90) = 17.36; z = 12/4.167 = 2.88.
    expect(mannWhitneyU([1, 1, 1, 1, 1], [2, 2, 2, 2, 2])).toBeCloseTo(0.00398, 4);
  });

  it('is 1 when a side is empty or every value ties', () => {
    expect(mannWhitneyU([], [1, 2])).toBe(1);
    expect(mannWhitneyU([3, 3], [3, 3])).toBe(1);
  });
});

describe('wilcoxonSignedRank', () => {
  it('uses the exact distribution: 8 positive distinct differences give 2/2^8', () => {
    expect(wilcoxonSignedRank([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])).toBe(2 / 256);
    expect(wilcoxonSignedRank([-0.1, -0.2, -0.3, -0.4, -0.5, -0.6, -0.7, -0.8])).toBe(2 / 256);
  });

  it('drops zero differences and is 1 when nothing is left', () => {
    expect(wilcoxonSignedRank([0, 0, 0])).toBe(1);
    expect(wilcoxonSignedRank([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])).toBe(2 / 256);
  });

  it('is 1 for a symmetric set of differences', () => {
    expect(wilcoxonSignedRank([-0.3, -0.2, -0.1, 0.1, 0.2, 0.3])).toBeCloseTo(1, 6);
  });

  it('uses the tie-corrected normal approximation when magnitudes tie', () => {
    // W+ = 15 of n = 5, variance 13.75 − 120/48 = 11.25; z = 7/3.354 = 2.087.
    expect(wilcoxonSignedRank([0.4, 0.4, 0.4, 0.4, 0.4])).toBeCloseTo(0.0369, 3);
  });
});

describe('holm', () => {
  it('adjusts step-down and keeps the input order', () => {
    const adjusted = holm([0.01, 0.04, 0.03]);
    expect(adjusted[0]).toBeCloseTo(0.03, 12);
    expect(adjusted[1]).toBeCloseTo(0.06, 12);
    expect(adjusted[2]).toBeCloseTo(0.06, 12);
  });

  it('caps at 1 and handles no p-values', () => {
    expect(holm([0.6, 0.7])).toEqual([1, 1]);
    expect(holm([])).toEqual([]);
  });
});
