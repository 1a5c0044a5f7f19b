/**
 * One vitest project per workspace, plus `contracts` and `e2e`. Coverage floors
 * come from harness.config.ts and apply globally and to each workspace on its
 * own, so a well-tested package cannot hide an untested one.
 */
import { defaultServerConditions, defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import harness from './harness.config.ts';
import { coverageFloors, coverageThresholds } from './harness/src/coverage-floor/thresholds.ts';
import { floorReporterPath } from './harness/src/coverage-floor/floor-reporter.ts';
import { standardDecorators } from './harness/src/vitest/standard-decorators.ts';
import { workspaces } from './harness/src/workspaces.ts';

const all = workspaces(import.meta.dirname);
const floors = harness.thresholds.coverage;

// Source condition first: tests run against src/, never a stale dist/.
const source = '@rampart/source';

export default defineConfig({
  plugins: [standardDecorators()],
  resolve: { conditions: [source, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [source, ...defaultServerConditions], externalConditions: [source] } },
  test: {
    projects: [
      ...all.map((ws) => ({
        extends: true as const,
        test: {
          name: ws.name,
          include: [`${ws.dir}/src/**/*.test.ts`, `${ws.dir}/test/**/*.test.ts`],
        },
      })),
      { extends: true as const, test: { name: 'contracts', include: ['contracts/**/*.test.ts'] } },
      { extends: true as const, test: { name: 'e2e', include: ['tests/**/*.test.ts'] } },
    ],
    exclude: ['**/node_modules/**', '**/dist/**', '**/__fixtures__/**'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: all.map((ws) => `${ws.dir}/src/**/*.ts`),
      exclude: ['**/*.test.ts', '**/*.d.ts', '**/__fixtures__/**', '**/test-support/**'],
      // The floor reporter names each workspace under its floor and its files.
      reporter: ['text-summary', 'json-summary', 'json', 'html', [floorReporterPath, { floors: coverageFloors(floors, all) }]],
      reportsDirectory: 'coverage',
      // A failing test must not hide coverage: the test gate reports both.
      reportOnFailure: true,
      thresholds: coverageThresholds(floors, all),
    },
  },
});
