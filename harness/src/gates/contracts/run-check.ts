/**
 * Checks a vitest run of the contract suites against the locked tests: each
 * one must have run and passed. The lock comparison proves a locked test is
 * still written as it was; only this proves it still executes.
 */
import type { Violation } from './compare.ts';
import type { ContractTest } from './extract.ts';
import { fitsTitle } from './title-shape.ts';
import type { ContractRun, RunEntry } from './vitest-run.ts';

export interface RunCheck {
  violations: Violation[];
  /** Locked tests found passed in the run. */
  passed: number;
  /** Test runs vitest reported for them (a table or loop test runs once per row). */
  runs: number;
}

const PROJECT = 'vitest project contracts';

/**
 * @param locked the locked tests found on disk; a locked test gone from disk is
 * already a violation of the lock comparison.
 * @example
 * checkRun(comparison.present, await runContractSuites(context)).violations; // [] when every locked test passed
 */
export function checkRun(locked: readonly ContractTest[], run: ContractRun): RunCheck {
  if (run.entries === undefined) {
    const message = `contract run failed: ${PROJECT} wrote no report (exit code ${run.code})${run.output === '' ? '' : `: ${run.output}`}`;
    return { violations: [{ kind: 'run-failed', message }], passed: 0, runs: 0 };
  }
  const violations: Violation[] = [];
  let passed = 0;
  let runs = 0;
  for (const test of [...locked].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const found = run.entries.filter((entry) => isRunOf(entry, test));
    const bad = found.find((entry) => entry.status === 'failed') ?? found.find((entry) => entry.status !== 'passed');
    if (found.length === 0) {
      violations.push({ kind: 'not-run', id: test.id, message: `not run: locked test "${test.id}" is missing from the ${PROJECT} run (excluded or filtered out by the vitest config, or named differently at run time)` });
    } else if (bad?.status === 'failed') {
      violations.push({ kind: 'not-run', id: test.id, message: `failed: locked test "${test.id}" failed in the ${PROJECT} run${asRun(test, bad)}` });
    } else if (bad) {
      violations.push({ kind: 'not-run', id: test.id, message: `not run: locked test "${test.id}" was reported ${bad.status} by the ${PROJECT} run${asRun(test, bad)}; contract tests always run` });
    } else {
      passed += 1;
      runs += found.length;
    }
  }
  // Every locked test passed, yet vitest failed: a new contract test, a file
  // that does not load, an unhandled error. Still not a green contract suite.
  if (violations.length === 0 && run.code !== 0) {
    const failed = run.entries.filter((entry) => entry.status === 'failed').map((entry) => `${entry.file} > ${entry.titles.join(' > ')}`);
    const why = failed.length > 0 ? `failed: ${failed.join('; ')}` : run.output;
    violations.push({ kind: 'run-failed', message: `contract run failed: ${PROJECT} exited with code ${run.code}${why === '' ? '' : `: ${why}`}` });
  }
  return { violations, passed, runs };
}

function isRunOf(entry: RunEntry, test: ContractTest): boolean {
  return entry.file === test.file && entry.titles.length === test.titles.length && test.titles.every((shape, i) => fitsTitle(shape, entry.titles[i] ?? ''));
}

/** The name it ran under, when a table or template name makes it differ from the id. */
function asRun(test: ContractTest, entry: RunEntry): string {
  const name = [entry.file, ...entry.titles].join(' > ');
  return name === test.id ? '' : ` (as "${name}")`;
}
