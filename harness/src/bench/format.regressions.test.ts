import { describe, expect, it } from 'vitest';
import { formatMedian, formatNs } from './format.ts';

// toPrecision(3) switches to exponent notation at 1000, so a duration
// that rounds up to the next unit printed as '1.00e+3 ns' (PERFORMANCE.md,
// the chart, the verdict table).
describe('formatNs at a unit boundary', () => {
  it('moves a value that rounds to 1000 into the next unit instead of printing an exponent', () => {
    expect(formatNs(999.6)).toBe('1.00 µs');
    expect(formatNs(999_999)).toBe('1.00 ms');
    expect(formatNs(999_999_999)).toBe('1.00 s');
    expect(formatMedian(999.96)).toBe('1.00 µs');
  });

  it('keeps values just below the boundary in their unit, and whole seconds past 999', () => {
    expect(formatNs(999.4)).toBe('999 ns');
    expect(formatNs(999_400)).toBe('999 µs');
    expect(formatNs(1.5e12)).toBe('1500 s');
  });
});
