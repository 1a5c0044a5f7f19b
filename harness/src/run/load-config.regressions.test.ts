import { describe, expect, it } from 'vitest';
import { coverageFloors } from '../coverage-floor/thresholds.ts';
import { validateConfig } from './load-config.ts';

const invalid = (value: unknown) => {
  try {
    validateConfig(value, 'harness.config.ts');
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  return 'accepted';
};

describe('validateConfig: coverage floors that would never fail', () => {
  it.each([
    [{ floor: Number.NaN }, '`thresholds.coverage.floor` must be a number from 0 to 100'],
    [{ floor: 950 }, '`thresholds.coverage.floor` must be a number from 0 to 100'],
    [{ floor: 95, workspaces: { vault: '100' } }, '`thresholds.coverage.workspaces.vault` must be a number from 0 to 100'],
    [{ floor: 95, workspaces: { vault: Number.NaN } }, '`thresholds.coverage.workspaces.vault` must be a number from 0 to 100'],
    [{ floor: 95, workspaces: [100] }, '`thresholds.coverage.workspaces` must be an object of workspace name to floor'],
  ])('rejects %j with HARNESS_ERR_CONFIG_INVALID', (coverage, why) => {
    expect(invalid({ gates: [], thresholds: { coverage } })).toEqual({
      code: 'HARNESS_ERR_CONFIG_INVALID',
      message: `harness.config.ts is not a valid harness config: harness.config.ts: ${why}`,
    });
  });

  it('accepts floors from 0 to 100 per workspace', () => {
    expect(invalid({ gates: [], thresholds: { coverage: { floor: 0, workspaces: { vault: 100 } } } })).toBe('accepted');
  });
});

describe('coverageFloors', () => {
  it('gives a workspace named like an Object.prototype member the global floor, not NaN', () => {
    expect(coverageFloors({ floor: 95 }, [{ name: 'constructor', dir: 'packages/constructor' }])).toEqual([
      { name: 'constructor', dir: 'packages/constructor', floor: 95 },
    ]);
  });
});
