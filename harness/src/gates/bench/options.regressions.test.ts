import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from './options.ts';

// --rounds was rounded after the "positive" check, so 0.4 became 0 rounds
// (nothing measured; --update then crashed), and 1 to 4 rounds made every task
// `unstable`, which passes: a gate that could not fail.
describe('parseBenchOptions --rounds', () => {
  it.each(['0.4', '1', '4', '4.4'])('rejects %s: fewer rounds than a verdict needs', (value) => {
    expect(() => parseBenchOptions(['--rounds', value])).toThrow(new RangeError(`--rounds must be at least 5 (fewer runs can never be judged), got "${value}"`));
  });

  it('rounds a fractional value of at least the minimum', () => {
    expect(parseBenchOptions(['--rounds', '4.5']).rounds).toBe(5);
  });
});
