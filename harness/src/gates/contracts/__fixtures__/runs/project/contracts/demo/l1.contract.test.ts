// Fixture contract suite for a real vitest run: table and loop tests that
// pass under names vitest formats, and locked tests that a config, a setup
// file or a bug stop from passing.
import { describe, expect, it } from 'vitest';

const MODES = ['fast', 'safe'];

describe('demo', () => {
  it('passes', () => {
    expect(1 + 1).toBe(2);
  });

  it.each([
    [1, 2],
    [2, 3],
  ])('adds one to %i giving %i', (start, next) => {
    expect(start + 1).toBe(next);
  });

  for (const mode of MODES) {
    it(`${mode}: has a name`, () => {
      expect(mode.length).toBe(4);
    });
  }

  it('is skipped by a setup file', () => {
    expect(true).toBe(true);
  });

  it('fails', () => {
    expect(1 + 1).toBe(3);
  });
});
