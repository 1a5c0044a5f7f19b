/**
 * Reads vitest's JSON reporter output (jest-compatible shape) into the counts
 * the test gate prints. A file that fails to import has no failed test but a
 * failed suite: both count as failures.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** Test files that failed as a whole (import error, failing hook). */
  failedFiles: string[];
  /** Full names of the failed tests, for the report. */
  failedTests: string[];
}

interface VitestJson {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: Array<{
    name?: string;
    status?: string;
    message?: string;
    assertionResults?: Array<{ fullName?: string; status?: string }>;
  }>;
}

/**
 * Undefined when the file is missing or not vitest JSON (vitest crashed before writing it).
 * @example
 * readVitestResults('/repo/reports/vitest.json')?.passed; // 412
 */
export function readVitestResults(file: string): TestCounts | undefined {
  if (!existsSync(file)) return undefined;
  let data: VitestJson;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
  } catch {
    // A truncated file means the run died mid-write: same as no results.
    return undefined;
  }
  if (typeof data.numPassedTests !== 'number') return undefined;
  const results = data.testResults ?? [];
  return {
    passed: data.numPassedTests,
    failed: data.numFailedTests ?? 0,
    skipped: (data.numPendingTests ?? 0) + (data.numTodoTests ?? 0),
    failedFiles: results.filter((r) => r.status === 'failed' && !hasFailedTest(r)).map((r) => fileLine(r)),
    failedTests: results.flatMap((r) =>
      (r.assertionResults ?? []).filter((a) => a.status === 'failed').map((a) => a.fullName ?? '(unnamed test)'),
    ),
  };
}

/**
 * The plain line CI log readers look for.
 * @example
 * testsLine({ passed: 10, failed: 1, skipped: 2, failedFiles: [], failedTests: [] }); // 'tests: 10 passed, 1 failed, 2 skipped'
 */
export function testsLine(counts: TestCounts): string {
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
  return `tests: ${counts.passed} passed, ${counts.failed} failed${skipped}`;
}

function hasFailedTest(result: NonNullable<VitestJson['testResults']>[number]): boolean {
  return (result.assertionResults ?? []).some((a) => a.status === 'failed');
}

function fileLine(result: NonNullable<VitestJson['testResults']>[number]): string {
  const message = result.message?.split('\n')[0];
  return `${result.name ?? '(unknown file)'}${message === undefined || message === '' ? '' : `: ${message}`}`;
}
