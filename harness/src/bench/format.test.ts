import { describe, expect, it } from 'vitest';
import { formatBytes, formatMedian, formatNs, formatOps, formatPct, formatRate, formatRatio } from './format.ts';

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

  it('picks the binary unit of a size', () => {
    expect(formatBytes(141.39)).toBe('141 B');
    expect(formatBytes(9.5)).toBe('9.50 B');
    expect(formatBytes(1010)).toBe('1010 B');
    expect(formatBytes(1024)).toBe('1.00 KiB');
    expect(formatBytes(3_000)).toBe('2.93 KiB');
    expect(formatBytes(1_023_999)).toBe('1000 KiB');
    expect(formatBytes(150 * 2 ** 20)).toBe('150 MiB');
    expect(formatBytes(2.5 * 2 ** 30)).toBe('2.50 GiB');
    expect(formatBytes(-2048)).toBe('-2.00 KiB');
    expect(formatBytes(Number.NaN)).toBe('n/a');
  });

  it('formats a median and its ops/s cell by unit: time by default, a size and no rate for bytes', () => {
    expect(formatMedian(12_345)).toBe('12.3 µs');
    expect(formatMedian(12_345, 'ns')).toBe('12.3 µs');
    expect(formatMedian(12_345, 'bytes')).toBe('12.1 KiB');
    expect(formatRate(12_345)).toBe('81,000');
    expect(formatRate(12_345, 'bytes')).toBe('—');
  });

  it('prints spreads and ratios', () => {
    expect(formatPct(0.0123)).toBe('±1.2%');
    expect(formatRatio(1.2345)).toBe('1.23×');
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe('n/a');
  });
});
