import { expect, it } from 'vitest';
import { isAdult } from './age.ts';

it('is adult from 18 on, not before', () => {
  expect(isAdult(17)).toBe(false);
  expect(isAdult(18)).toBe(true);
  expect(isAdult(30)).toBe(true);
});
