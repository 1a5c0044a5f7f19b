/**
 * The `test` gate: runs the README's test command once, with coverage
 * (`npm test -- --coverage`) plus a JSON reporter for exact counts, prints the
 * plain `tests: N passed, N failed` line and reports coverage per workspace.
 * The coverage floors are enforced by vitest (vitest.config.ts), and the gate
 * also fails on any breach it reads back from the coverage summary.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Gate, GateResult } from '../../gate.ts';
import { refuseArguments } from '../arguments.ts';
import { formatBreaches } from '../../coverage-floor/breaches.ts';
import { coverageFloors } from '../../coverage-floor/thresholds.ts';
import { workspaces } from '../../workspaces.ts';
import { coverageFigures, readCoverage } from './coverage-summary.ts';
import type { CoverageFigures } from './coverage-summary.ts';
import { readVitestResults, testsLine } from './vitest-results.ts';
import type { TestCounts } from './vitest-results.ts';

const RESULTS = 'reports/vitest.json';
const SUMMARY = 'coverage/coverage-summary.json';

/** The command the gate runs: the README's `npm test -- --coverage`, plus JSON results. */
export const TEST_COMMAND = ['test', '--', '--coverage', '--reporter=default', '--reporter=json', `--outputFile.json=${RESULTS}`];

/**
 * @example
 * builtinGates.test = async () => (await import('./test/test-gate.ts')).testGate;
 */
export const testGate: Gate = {
  name: 'test',
  description: 'Every unit, property, contract and integration test, once, with coverage floors (npm test -- --coverage)',
  async run(context) {
    refuseArguments('test', context.argv);
    // Stale results from an earlier run must never pass for this one.
    rmSync(join(context.root, RESULTS), { force: true });
    rmSync(join(context.root, SUMMARY), { force: true });
    const result = await context.exec('npm', TEST_COMMAND, { stream: true });
    const counts = readVitestResults(join(context.root, RESULTS));
    const floors = coverageFloors(context.config.thresholds.coverage, workspaces(context.root));
    const coverage = readCoverage(context.root, join(context.root, SUMMARY), floors);
    context.log(counts === undefined ? `tests: no results (vitest exit code ${result.code})` : testsLine(counts));
    return verdict(result.code, counts, coverage);
  },
};

function verdict(code: number, counts: TestCounts | undefined, coverage: CoverageFigures | undefined): GateResult {
  // A breach the harness finds fails too: vitest's thresholds enforce the floor, but if they drift from
  // harness.config.ts (an edited vitest.config.ts) the summary would say "below floor" on a passed gate.
  const breached = coverage !== undefined && coverage.breaches.length > 0;
  // The command asks for coverage: no summary means the floors were not checked (a reporter dropped from
  // vitest.config.ts, an unreadable file), which must not pass as "no coverage".
  // A run in which no test ran (`passWithNoTests` with an include glob that matches nothing) proves nothing.
  const empty = counts !== undefined && counts.passed + counts.failed === 0;
  const testsFailed = code !== 0 || counts === undefined || empty || counts.failed > 0 || counts.failedFiles.length > 0;
  const uncovered = coverage === undefined && !testsFailed;
  const failed = testsFailed || breached || uncovered;
  const testsPart = counts === undefined ? 'no test results' : `${counts.passed} passed, ${counts.failed} failed`;
  const coveragePart = coverage === undefined ? 'no coverage' : `lines ${coverage.total.lines}%`;
  const floorPart = coverage !== undefined && coverage.breaches.length > 0
    ? ` · below floor: ${coverage.breaches.map((b) => b.workspace).join(', ')}`
    : '';
  const details = [
    ...(counts?.failedFiles.map((file) => `failed file: ${file}`) ?? []),
    ...(counts?.failedTests.slice(0, 30).map((test) => `failed: ${test}`) ?? []),
    ...(empty ? ['no test ran: vitest collected no test to run (check the include globs of vitest.config.ts); a run that tests nothing proves nothing'] : []),
    ...formatBreaches(coverage?.breaches ?? []),
    ...(uncovered ? [`no coverage summary (${SUMMARY}): the coverage floors were not checked`] : []),
    ...(failed && code !== 0 ? [`vitest exit code ${code}`] : []),
  ];
  return {
    status: failed ? 'failed' : 'passed',
    summary: `${testsPart} · ${coveragePart}${floorPart}`,
    figures: {
      'tests.passed': counts?.passed ?? 0,
      'tests.failed': counts?.failed ?? 0,
      'tests.skipped': counts?.skipped ?? 0,
      ...(coverage === undefined ? {} : coverageFigures(coverage)),
    },
    ...(details.length > 0 ? { details } : {}),
  };
}
