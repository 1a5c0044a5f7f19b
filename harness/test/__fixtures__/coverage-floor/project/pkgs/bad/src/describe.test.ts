import { expect, it } from 'vitest';
import { describeNumber } from './describe.ts';

it('describes a positive number', () => {
  expect(describeNumber(4)).toBe(
    'value 4, double 8, square 16, half 2, next 5, previous 3, parity even, digits 1, sign 1, rounded 4, floor 4, ceil 4',
  );
  expect(describeNumber(3)).toContain('parity odd');
});
