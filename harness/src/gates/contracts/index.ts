/**
 * Gate `contracts`: locked L1/L2 contract tests may only be added to, never
 * modified, removed, renamed or switched off, and the lock itself may only gain
 * entries relative to the base commit; every runtime export in a package's API
 * report is imported by a contract test of that package. Then the contract suites run (vitest
 * project `contracts`, through the repository's vitest config) and every
 * locked test must be reported as passed. Command `contracts:lock` adds new
 * tests to the lock and leaves every existing entry exactly as it was.
 */
import type { Gate, GateContext, GateResult } from '../../gate.ts';
import { messageOf } from '../../errors.ts';
import { refuseArguments } from '../arguments.ts';
import { uncoveredExports } from './api-coverage.ts';
import { missingBaseDetails } from '../changeset/base.ts';
import { lockShrinkage, readBaseLock } from './base-lock.ts';
import type { BaseLock } from './base-lock.ts';
import { compareWithLock } from './compare.ts';
import type { Comparison } from './compare.ts';
import type { ContractFile } from './extract.ts';
import type { ContractLock } from './lock-file.ts';
import { entryOf, LOCK_PATH, readLock, writeLock } from './lock-file.ts';
import { checkRun } from './run-check.ts';
import type { RunCheck } from './run-check.ts';
import { countTests, formatCounts, scanContracts } from './scan.ts';
import { runContractSuites } from './vitest-run.ts';
import type { ContractRun, ContractRunner } from './vitest-run.ts';

function inspect(root: string, ci: boolean): { lock: ContractLock; files: ContractFile[]; comparison: Comparison } {
  const lock = readLock(root);
  const files = scanContracts(root);
  return { lock, files, comparison: compareWithLock(files, lock, ci) };
}

async function check(context: GateContext, base: BaseLock, runner: ContractRunner): Promise<GateResult> {
  const { lock, files, comparison } = inspect(context.root, context.ci);
  const { present, fresh } = comparison;
  // Nothing locked, nothing to prove: a repository without contracts needs no vitest run.
  const run: RunCheck | undefined = present.length > 0 ? checkRun(present, await runSafely(runner, context)) : undefined;
  const violations = [
    ...(base.kind === 'lock' ? lockShrinkage(base.lock, lock, base.label) : []),
    ...comparison.violations,
    ...uncoveredExports(context.root, files),
    ...(run?.violations ?? []),
  ];
  const counts = countTests(present, fresh);
  const figures = {
    locked: counts.locked, new: counts.fresh, l1: counts.perLevel.l1, l2: counts.perLevel.l2, ran: run?.passed ?? 0, violations: violations.length,
  };
  const against = base.kind === 'lock'
    ? `lock checked against ${base.label}: entries may only be added`
    : `lock not checked against a base (${base.note}): a removed or rewritten lock entry goes unnoticed outside CI`;
  const ran = run ? [`run: ${run.passed} of ${counts.locked} locked test(s) passed in vitest project contracts (${run.runs} test runs)`] : [];
  const lines = [...formatCounts(counts), ...ran, against];
  if (violations.length > 0) {
    const details = [...violations.map((violation) => violation.message), ...lines];
    return { status: 'failed', summary: `${violations.length} contract violation(s)`, figures, details };
  }
  const hint = counts.fresh > 0 ? [`${counts.fresh} new test(s) not locked yet: run npm run contracts:lock`] : [];
  return { status: 'passed', summary: `${counts.locked} locked, ${counts.fresh} new`, figures, details: [...lines, ...hint] };
}

/** A runner that throws (no temporary directory, say) fails the run with its reason, never the gate with a crash. */
function runSafely(runner: ContractRunner, context: GateContext): Promise<ContractRun> {
  return runner(context).catch((error: unknown) => ({ code: 1, entries: undefined, output: messageOf(error) }));
}

/**
 * The gate's check with an explicit environment (the gate passes process.env,
 * whose RAMPART_BASE_REF picks the base) and the runner of the contract
 * suites (vitest by default). In CI a missing base fails the gate.
 * @example
 * await checkContracts(context, { RAMPART_BASE_REF: 'origin/main' });
 */
export async function checkContracts(context: GateContext, env: NodeJS.ProcessEnv, runner: ContractRunner = runContractSuites): Promise<GateResult> {
  let base: BaseLock;
  try {
    base = await readBaseLock(context, env);
  } catch (error) {
    return { status: 'failed', summary: 'cannot read the lock at the base', details: [messageOf(error)] };
  }
  if (base.kind === 'missing' && context.ci) return { status: 'failed', summary: 'no base to check the lock against', details: missingBaseDetails(base.note) };
  try {
    return await check(context, base, runner);
  } catch (error) {
    // A malformed lock or an unreadable file is a failed gate with its reason, not a crash.
    return { status: 'failed', summary: 'contract lock unreadable', details: [messageOf(error)] };
  }
}

/** Adds every new, runnable test to the lock; reports what stays broken. */
function lockNew(context: GateContext): number {
  const { lock, files, comparison } = inspect(context.root, false);
  const blockedTests = new Set(comparison.violations.map((violation) => violation.id));
  const blockedFiles = new Set(comparison.violations.map((violation) => violation.file));
  const added = comparison.fresh.filter((test) => !blockedTests.has(test.id) && !blockedFiles.has(test.file));
  const tests = { ...lock.tests };
  for (const test of added) tests[test.id] = entryOf(test);
  // A file with locked tests gets its collection code locked once; an existing file entry is never rewritten.
  const lockedFiles = new Set([...comparison.lockedFiles, ...added.map((test) => test.file)]);
  const guarded = files.filter((file) => lockedFiles.has(file.file) && lock.files?.[file.file] === undefined && !blockedFiles.has(file.file));
  const fileEntries = { ...lock.files, ...Object.fromEntries(guarded.map((file) => [file.file, { collection: file.collection }])) };
  if (added.length > 0 || guarded.length > 0) writeLock(context.root, { version: 1, tests, files: fileEntries });
  context.log(`contracts:lock: added ${added.length} test(s) to ${LOCK_PATH}`);
  for (const test of added) context.log(`  + ${test.id}`);
  for (const file of guarded) context.log(`  + collection code of ${file.file}`);
  for (const violation of comparison.violations) context.log(`  ✗ ${violation.message}`);
  if (comparison.violations.length > 0) context.log('contracts:lock never rewrites a locked entry: restore the locked tests above.');
  return comparison.violations.length > 0 ? 1 : 0;
}

/**
 * The contract gate, registered as `contracts` in harness.config.ts.
 * @example
 * // harness.config.ts
 * export default defineConfig({ gates: ['test', 'contracts'], thresholds: { coverage: { floor: 95 } } });
 */
export const contractsGate: Gate = {
  name: 'contracts',
  description: 'Locked L1/L2 contract tests are never modified, removed, renamed or skipped (contracts/contracts.lock.json), and each one runs and passes',
  run: (context) => Promise.resolve().then(() => {
    refuseArguments('contracts', context.argv);
    return checkContracts(context, process.env);
  }),
  commands: {
    'contracts:lock': (context) => Promise.resolve().then(() => {
      refuseArguments('contracts:lock', context.argv);
      return lockNew(context);
    }),
  },
};
