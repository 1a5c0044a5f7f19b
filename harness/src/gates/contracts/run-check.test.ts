import { describe, expect, it } from 'vitest';
import { extractContractFile } from './extract.ts';
import { checkRun } from './run-check.ts';
import type { RunEntry } from './vitest-run.ts';

const FILE = 'contracts/p/l1.contract.test.ts';
const TESTS = extractContractFile(
  FILE,
  [
    "import { describe, it } from 'vitest';",
    "describe('s', () => {",
    "  it.each([[1], [2]])('row %i', () => {});",
    "  it('plain', () => {});",
    '});',
  ].join('\n'),
).tests;
const ROW = `${FILE} > s > row %i`;
const PLAIN = `${FILE} > s > plain`;
const PROJECT = 'vitest project contracts';

const entry = (titles: string[], status = 'passed', file = FILE): RunEntry => ({ file, titles, status });
const passing = [entry(['s', 'row 1']), entry(['s', 'row 2']), entry(['s', 'plain'])];

describe('checkRun', () => {
  it('counts each locked test once and each of its rows as a run', () => {
    expect(checkRun(TESTS, { code: 0, entries: passing, output: '' })).toEqual({ violations: [], passed: 2, runs: 3 });
  });

  it('names the row that did not pass, and prefers a failed row over a skipped one', () => {
    const entries = [entry(['s', 'row 1'], 'pending'), entry(['s', 'row 2'], 'failed'), entry(['s', 'plain'], 'disabled')];
    expect(checkRun(TESTS, { code: 1, entries, output: '' }).violations).toEqual([
      { kind: 'not-run', id: PLAIN, message: `not run: locked test "${PLAIN}" was reported disabled by the ${PROJECT} run; contract tests always run` },
      { kind: 'not-run', id: ROW, message: `failed: locked test "${ROW}" failed in the ${PROJECT} run (as "${FILE} > s > row 2")` },
    ]);
  });

  it('does not take a same-named test of another file, another describe or a deeper describe for the locked one', () => {
    const elsewhere = [entry(['s', 'plain'], 'passed', 'contracts/q/l1.contract.test.ts'), entry(['t', 'plain']), entry(['s', 'inner', 'plain']), entry(['plain'])];
    const result = checkRun(TESTS.filter((test) => test.id === PLAIN), { code: 0, entries: elsewhere, output: '' });
    expect(result.violations.map((violation) => violation.message)).toEqual([
      `not run: locked test "${PLAIN}" is missing from the ${PROJECT} run (excluded or filtered out by the vitest config, or named differently at run time)`,
    ]);
    expect(result.passed).toBe(0);
  });

  it('fails once, with the exit code, when vitest wrote no report', () => {
    expect(checkRun(TESTS, { code: 2, entries: undefined, output: '' })).toEqual({
      violations: [{ kind: 'run-failed', message: `contract run failed: ${PROJECT} wrote no report (exit code 2)` }],
      passed: 0,
      runs: 0,
    });
  });

  it('fails a red run whose locked tests all passed, naming the failed unlocked tests', () => {
    const entries = [...passing, entry(['s', 'new and broken'], 'failed')];
    expect(checkRun(TESTS, { code: 1, entries, output: 'ignored when a failed test explains it' }).violations).toEqual([
      { kind: 'run-failed', message: `contract run failed: ${PROJECT} exited with code 1: failed: ${FILE} > s > new and broken` },
    ]);
    expect(checkRun(TESTS, { code: 1, entries: passing, output: '' }).violations).toEqual([
      { kind: 'run-failed', message: `contract run failed: ${PROJECT} exited with code 1` },
    ]);
  });
});
