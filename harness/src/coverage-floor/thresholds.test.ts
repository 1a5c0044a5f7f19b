import { describe, expect, it } from 'vitest';
import { coverageFloors, coverageThresholds } from './thresholds.ts';

const list = [
  { name: 'core', dir: 'packages/core' },
  { name: 'vault', dir: 'packages/vault' },
];

describe('coverage thresholds', () => {
  it('gives each workspace its stricter floor or the global one', () => {
    expect(coverageFloors({ floor: 95, workspaces: { vault: 100, ghost: 100 } }, list)).toEqual([
      { name: 'core', dir: 'packages/core', floor: 95 },
      { name: 'vault', dir: 'packages/vault', floor: 100 },
    ]);
    expect(coverageFloors({ floor: 90 }, list).map((w) => w.floor)).toEqual([90, 90]);
  });

  it('never lets a workspace entry lower the global floor', () => {
    expect(coverageFloors({ floor: 95, workspaces: { core: 60, vault: 94.9 } }, list).map((w) => w.floor)).toEqual([95, 95]);
  });

  it('builds vitest thresholds: the global floor plus one src glob per workspace', () => {
    expect(coverageThresholds({ floor: 95, workspaces: { vault: 100 } }, list)).toEqual({
      lines: 95,
      branches: 95,
      functions: 95,
      statements: 95,
      'packages/core/src/**': { lines: 95, branches: 95, functions: 95, statements: 95 },
      'packages/vault/src/**': { lines: 100, branches: 100, functions: 100, statements: 100 },
    });
  });
});
