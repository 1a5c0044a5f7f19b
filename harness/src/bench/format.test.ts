import { describe, expect, it } from 'vitest';
import { formatNs, formatOps, formatPct, formatRatio } from './format.ts';

describe('format', () => {
  it('picks the unit of a duration', () => {
    expect(formatNs(12.345)).toBe('12.3 ns');
    expect(formatNs(12_345)).toBe('12.3 µs');
    expect(formatNs(1_234_567)).toBe('1.23 ms');
    expect(formatNs(2.5e9)).toBe('2.50 s');
    expect(formatNs(Number.NaN)).toBe('n/a');
  });

  it('groups operations per second', () => {
    expect(formatOps(12_345)).toBe('81,000');
    expect(formatOps(100)).toBe('10,000,000');
    expect(formatOps(1.79e7)).toBe('55.9');
    expect(formatOps(0)).toBe('n/a');
  });

  it('prints spreads and ratios', () => {
    expect(formatPct(0.0123)).toBe('±1.2%');
    expect(formatRatio(1.2345)).toBe('1.23×');
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe('n/a');
  });
});
