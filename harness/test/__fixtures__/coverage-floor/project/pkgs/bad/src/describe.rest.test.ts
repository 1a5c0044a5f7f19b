import { expect, it } from 'vitest';
import { describeNumber } from './describe.ts';

it('marks a negative number', () => {
  expect(describeNumber(-2)).toMatch(/, negative$/);
});
