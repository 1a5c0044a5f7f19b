// The contracts gate's vitest run for real: the repository's own contract
// suites, and a fixture whose vitest config, setup file and plugin switch
// locked tests off without touching a contract file or the lock.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithLock } from '../../src/gates/contracts/compare.ts';
import { checkContracts, contractsGate } from '../../src/gates/contracts/index.ts';
import { readLock } from '../../src/gates/contracts/lock-file.ts';
import { checkRun } from '../../src/gates/contracts/run-check.ts';
import { scanContracts } from '../../src/gates/contracts/scan.ts';
import { runContractSuites } from '../../src/gates/contracts/vitest-run.ts';
import { gateContext, runnableCopy } from './gate-context.ts';

const REPO = join(import.meta.dirname, '../../..');
const FIXTURE = join(import.meta.dirname, '../../src/gates/contracts/__fixtures__/runs/project');
const L1 = 'contracts/demo/l1.contract.test.ts';
const L2 = 'contracts/demo/l2.contract.test.ts';
const PROJECT = 'vitest project contracts';

// Two real vitest runs of a few seconds each, started from inside a vitest worker.
const RUN_TIMEOUT = 60_000;

// Two real vitest runs (7-9 s) per mutant made the harness mutation run take
// most of an hour; under Stryker the gate's code is exercised by the unit tests
// with injected runners (run-check, title-shape, vitest-run, contracts-gate),
// and this end-to-end run stays in `npm test`.
describe.skipIf(process.env['STRYKER_MUTATOR_WORKER'] !== undefined)('contracts gate: the real vitest run', () => {
  it('finds every locked test of the repository passed in vitest project contracts', { timeout: RUN_TIMEOUT }, async () => {
    const lock = readLock(REPO);
    const { present } = compareWithLock(scanContracts(REPO), lock, false);
    const run = await runContractSuites(gateContext(REPO));
    const result = checkRun(present, run);
    expect(result.violations).toEqual([]);
    expect(present.map((test) => test.id).sort()).toEqual(Object.keys(lock.tests).sort());
    expect(result.passed).toBe(Object.keys(lock.tests).length);
    expect(result.passed).toBeGreaterThanOrEqual(94);
    // A table or loop test runs once per row: more runs than locked tests.
    expect(result.runs).toBeGreaterThan(result.passed);
  });

  it('rejects locked tests excluded, skipped by a setup file, turned into todo by a plugin, or failing', { timeout: RUN_TIMEOUT }, async () => {
    using copy = runnableCopy(FIXTURE);
    expect(await contractsGate.commands?.['contracts:lock']?.(gateContext(copy.root))).toBe(0);
    const result = await checkContracts(gateContext(copy.root), {});
    expect(result.status).toBe('failed');
    expect(result.summary).toBe('4 contract violation(s)');
    expect(result.figures).toEqual({ locked: 8, new: 0, l1: 6, l2: 2, ran: 4, violations: 4 });
    expect(result.details?.slice(0, 4)).toEqual([
      `failed: locked test "${L1} > demo > fails" failed in the ${PROJECT} run`,
      `not run: locked test "${L1} > demo > is skipped by a setup file" was reported skipped by the ${PROJECT} run; contract tests always run`,
      `not run: locked test "${L2} > is turned into a todo by a plugin" was reported todo by the ${PROJECT} run; contract tests always run`,
      'not run: locked test "contracts/excluded/l1.contract.test.ts > never runs: its folder is excluded in vitest.config.ts" is missing from the ' +
        `${PROJECT} run (excluded or filtered out by the vitest config, or named differently at run time)`,
    ]);
    // Passed: a plain test, an it.each table (%i), a loop over a template name, a describe.each ($unit).
    expect(result.details).toContain(`run: 4 of 8 locked test(s) passed in ${PROJECT} (6 test runs)`);
  });
});
