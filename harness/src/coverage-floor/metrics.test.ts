import { describe, expect, it } from 'vitest';
import { formatPercents, percent, percents, sumCounts } from './metrics.ts';
import type { CoverageCounts } from './metrics.ts';

const counts = (lines: [number, number], branches: [number, number] = [0, 0]): CoverageCounts => ({
  lines: { covered: lines[0], total: lines[1] },
  statements: { covered: lines[0], total: lines[1] },
  branches: { covered: branches[0], total: branches[1] },
  functions: { covered: 1, total: 1 },
});

describe('coverage metrics', () => {
  it('floors percentages to two decimals like istanbul, so 94.999% never reads as 95%', () => {
    expect(percent({ covered: 2, total: 3 })).toBe(66.66);
    expect(percent({ covered: 18_999, total: 20_000 })).toBe(94.99);
    expect(percent({ covered: 0, total: 0 })).toBe(100);
  });

  it('sums counters across files and turns them into percentages', () => {
    const sum = sumCounts([counts([15, 16], [1, 2]), counts([16, 16], [2, 2])]);
    expect(sum).toEqual({
      lines: { covered: 31, total: 32 },
      statements: { covered: 31, total: 32 },
      branches: { covered: 3, total: 4 },
      functions: { covered: 2, total: 2 },
    });
    expect(percents(sum)).toEqual({ lines: 96.87, branches: 75, functions: 100, statements: 96.87 });
    expect(formatPercents(percents(sum))).toBe('lines 96.87%, branches 75%, functions 100%, statements 96.87%');
  });
});
