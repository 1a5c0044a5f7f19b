import { expect, it } from 'vitest';

it('never runs: its folder is excluded in vitest.config.ts', () => {
  expect(true).toBe(true);
});
