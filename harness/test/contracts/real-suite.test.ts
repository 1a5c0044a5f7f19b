// The gate against the repository's real, locked harness contracts: each
// tampering, applied in a scratch copy, fails with a message naming the test.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContracts, contractsGate } from '../../src/gates/contracts/index.ts';
import { commitAll, editFile, gateContext, passedRun } from './gate-context.ts';

const REPO = join(import.meta.dirname, '../..', '..');
const L1 = 'contracts/harness/l1.contract.test.ts';
const L2 = 'contracts/harness/l2.contract.test.ts';

function scratch(): { root: string; [Symbol.dispose](): void } {
  const root = mkdtempSync(join(tmpdir(), 'rampart-real-contracts-'));
  cpSync(join(REPO, 'contracts'), join(root, 'contracts'), { recursive: true });
  return { root, [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Violations about the harness suites only: other packages' suites evolve on
 * their own. The scratch copy holds no vitest project, so the run is a stand-in
 * (real-run.test.ts runs the real one).
 */
async function harnessViolations(root: string): Promise<string[]> {
  const result = await checkContracts(gateContext(root), {}, passedRun);
  return (result.details ?? []).filter((line) => line.includes('contracts/harness/') && !/^\s/.test(line));
}

describe('contracts gate on the real harness contracts', () => {
  it('finds the real suites locked and intact', async () => {
    using copy = scratch();
    expect(await harnessViolations(copy.root)).toEqual([]);
  });

  const tamperings: Array<[string, string, (text: string) => string, string]> = [
    ['an assertion value', L1, (t) => t.replace("toBe('rampart:standard-decorators')", "toBe('rampart:other')"), `modified: locked test "${L1} > standardDecorators > is a pre-transform plugin named rampart:standard-decorators" changed`],
    ['a matcher', L1, (t) => t.replace('expect(outcome.exitCode).toBe(0);', 'expect(outcome.exitCode).toBeGreaterThanOrEqual(0);'), `modified: locked test "${L1} > runGates > runs the configured gates in order and exits 0 when all pass" changed`],
    ['a deleted test', L1, (t) => t.replace(/\n {2}it\('is false for code without decorators'[\s\S]*?\n {2}\}\);\n/, '\n'), `removed: locked test "${L1} > hasDecorator > is false for code without decorators"`],
    ['a rename', L1, (t) => t.replace("'is true for a decorated class member'", "'is true for a decorated member'"), `renamed: locked test "${L1} > hasDecorator > is true for a decorated class member"`],
    ['a skip', L1, (t) => t.replace("it('returns the config it is given, unchanged'", "it.skip('returns the config it is given, unchanged'"), `disabled: locked test "${L1} > defineConfig > returns the config it is given, unchanged" no longer runs (it.skip)`],
    ['a weakened shared hook', L1, (t) => t.replace("root = mkdtempSync(join(tmpdir(), 'rampart-l1-'));", 'root = tmpdir();'), `modified: locked test "${L1} > runGates > exits 1 when a gate fails, after running every gate" depends on the beforeEach hook #1 in describe "runGates", which changed`],
    ['a weakened helper', L1, (t) => t.replace('run: () => Promise.resolve(result)', "run: () => Promise.resolve({ status: 'passed', summary: 'ok' })"), `modified: locked test "${L1} > runGates > exits 1 when a gate fails, after running every gate" depends on the helper "gate" declared at file level, which changed`],
  ];

  it.each(tamperings)('rejects %s', async (_label, file, edit, expected) => {
    using copy = scratch();
    editFile(join(copy.root, file), edit);
    const violations = await harnessViolations(copy.root);
    expect(violations.some((line) => line.startsWith(expected))).toBe(true);
  });

  it('rejects a deleted file, naming each of its locked tests', async () => {
    using copy = scratch();
    rmSync(join(copy.root, L2));
    const violations = await harnessViolations(copy.root);
    expect(violations).toHaveLength(12);
    expect(violations.every((line) => line.startsWith(`file deleted: ${L2} held locked test "${L2} > `))).toBe(true);
  });

  it('accepts a pure addition once locked', async () => {
    using copy = scratch();
    editFile(join(copy.root, L1), (t) => `${t}\ndescribe('defineConfig, again', () => {\n  it('keeps gate order', () => {\n    expect(defineConfig({ gates: ['b', 'a'], thresholds: { coverage: { floor: 1 } } }).gates).toEqual(['b', 'a']);\n  });\n});\n`);
    expect(await harnessViolations(copy.root)).toEqual([]);
    commitAll(copy.root);
    await contractsGate.commands?.['contracts:lock']?.(gateContext(copy.root));
    // CI needs a base commit; the committed copy is its own (HEAD is the base), and the lock only grew.
    const ci = await checkContracts(gateContext(copy.root, true), {}, passedRun);
    expect(ci.details).toContainEqual(expect.stringMatching(/^lock checked against main \([0-9a-f]{12}\): entries may only be added$/));
    expect((ci.details ?? []).filter((line) => line.includes('contracts/harness/'))).toEqual([]);
  });
});
