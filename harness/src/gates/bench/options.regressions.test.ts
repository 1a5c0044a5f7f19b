import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from './options.ts';

// Audit: --rounds is rounded after the "positive" check, so 0.4 passed as
// positive and became 0 rounds (nothing measured; --update then crashed on
// an undefined measurement instead of reporting a bad option).
describe('parseBenchOptions --rounds', () => {
  it('rejects a positive value that rounds to zero rounds', () => {
    expect(() => parseBenchOptions(['--rounds', '0.4'])).toThrow(new RangeError('--rounds must be at least 1, got "0.4"'));
  });

  it('still rounds a fractional value of at least one half', () => {
    expect(parseBenchOptions(['--rounds', '0.5']).rounds).toBe(1);
  });
});
