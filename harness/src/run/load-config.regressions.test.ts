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

describe('validateConfig: mutation floors and the bench limit that would never fail', () => {
  const base = { coverage: { floor: 95 } };
  it.each([
    [{ mutation: { vault: 0.9 } }, '`thresholds.mutation.vault` is 0.9: floors are percentages (write 90, not 0.9)'],
    [{ mutation: { default: '80' } }, '`thresholds.mutation.default` must be a number from 0 to 100'],
    [{ mutation: { vault: Number.NaN } }, '`thresholds.mutation.vault` must be a number from 0 to 100'],
    [{ mutation: { vault: 101 } }, '`thresholds.mutation.vault` must be a number from 0 to 100'],
    [{ mutation: [80] }, '`thresholds.mutation` must be an object of workspace name (or `default`) to score floor'],
    [{ benchRegression: 20 }, '`thresholds.benchRegression` must be a fraction greater than 0 and at most 1 (0.2 = 20% slower), got 20'],
    [{ benchRegression: '0.2' }, "`thresholds.benchRegression` must be a fraction greater than 0 and at most 1 (0.2 = 20% slower), got '0.2'"],
    [{ benchRegression: Number.NaN }, '`thresholds.benchRegression` must be a fraction greater than 0 and at most 1 (0.2 = 20% slower), got NaN'],
    [{ benchRegression: 0 }, '`thresholds.benchRegression` must be a fraction greater than 0 and at most 1 (0.2 = 20% slower), got 0'],
    [{ benchRegression: undefined }, '`thresholds.benchRegression` must be a fraction greater than 0 and at most 1 (0.2 = 20% slower), got undefined'],
  ])('rejects %j with HARNESS_ERR_CONFIG_INVALID', (extra, why) => {
    expect(invalid({ gates: [], thresholds: { ...base, ...extra } })).toEqual({
      code: 'HARNESS_ERR_CONFIG_INVALID',
      message: `harness.config.ts is not a valid harness config: harness.config.ts: ${why}`,
    });
  });

  it('rejects a coverage floor written as a fraction', () => {
    expect(invalid({ gates: [], thresholds: { coverage: { floor: 0.95 } } })).toMatchObject({ message: expect.stringContaining('`thresholds.coverage.floor` is 0.95: floors are percentages (write 95, not 0.95)') });
  });

  it('accepts the documented forms', () => {
    expect(invalid({ gates: [], thresholds: { ...base, mutation: { default: 80, vault: 90, legacy: 0 }, benchRegression: 0.2 } })).toBe('accepted');
    expect(invalid({ gates: [], thresholds: { ...base, benchRegression: 1 } })).toBe('accepted');
  });
});

describe('coverageFloors', () => {
  it('gives a workspace named like an Object.prototype member the global floor, not NaN', () => {
    expect(coverageFloors({ floor: 95 }, [{ name: 'constructor', dir: 'packages/constructor' }])).toEqual([
      { name: 'constructor', dir: 'packages/constructor', floor: 95 },
    ]);
  });
});
