import { describe, expect, it } from 'vitest';

describe.each([{ unit: 'ms' }])('durations in $unit', ({ unit }) => {
  it('keep their unit', () => {
    expect(unit).toBe('ms');
  });
});

it('is turned into a todo by a plugin', () => {
  expect(true).toBe(true);
});
