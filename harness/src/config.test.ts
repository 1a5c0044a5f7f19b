import { describe, expect, it } from 'vitest';
import { defineConfig } from './config.ts';

describe('defineConfig', () => {
  it('returns the config it is given, unchanged', () => {
    const config = { gates: ['lint'], thresholds: { coverage: { floor: 95 } } };
    expect(defineConfig(config)).toBe(config);
  });
});
