// A two-package project for the harness test that proves the coverage gate:
// `good` is fully tested; `bad` falls to ~94% unless FLOOR_FIXTURE=full adds
// the test of its last branch. Floors come from the harness modules that the
// repository's own vitest.config.ts uses.
import { defineConfig } from 'vitest/config';
import { coverageFloors, coverageThresholds } from '../../../../src/coverage-floor/thresholds.ts';
import { floorReporterPath } from '../../../../src/coverage-floor/floor-reporter.ts';
import { workspaces } from '../../../../src/workspaces.ts';

const all = workspaces(import.meta.dirname);
const floors = { floor: 95 };
const full = process.env.FLOOR_FIXTURE === 'full';

export default defineConfig({
  test: {
    include: ['pkgs/*/src/**/*.test.ts'],
    exclude: full ? [] : ['**/*.rest.test.ts'],
    coverage: {
      provider: 'v8',
      include: all.map((ws) => `${ws.dir}/src/**/*.ts`),
      exclude: ['**/*.test.ts'],
      reporter: ['text', 'json-summary', [floorReporterPath, { floors: coverageFloors(floors, all) }]],
      thresholds: coverageThresholds(floors, all),
    },
  },
});
