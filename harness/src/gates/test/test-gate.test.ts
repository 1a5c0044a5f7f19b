import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GateContext } from '../../gate.ts';
import { tempRoot } from '../../test-support/sinks.ts';
import { TEST_COMMAND, testGate } from './test-gate.ts';

interface Scenario {
  code: number;
  vitest?: unknown;
  coverage?: Record<string, unknown>;
}

const counter = (covered: number, total: number) => ({ total, covered, skipped: 0, pct: 0 });
const fileSummary = (covered: number, total: number) => ({
  lines: counter(covered, total),
  statements: counter(covered, total),
  functions: counter(1, 1),
  branches: counter(2, 2),
});

const passingVitest = {
  numPassedTests: 12,
  numFailedTests: 0,
  numPendingTests: 1,
  numTodoTests: 1,
  testResults: [{ name: '/r/a.test.ts', status: 'passed', assertionResults: [{ fullName: 'a works', status: 'passed' }] }],
};

function repo(root: string) {
  writeFileSync(join(root, 'package.json'), JSON.stringify({ workspaces: ['packages/core', 'packages/vault'] }));
  for (const dir of ['packages/core', 'packages/vault']) {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, 'package.json'), '{}');
  }
  return { gates: [], thresholds: { coverage: { floor: 95, workspaces: { vault: 100 } } } };
}

async function runScenario(scenario: Scenario) {
  using root = tempRoot();
  const logs: string[] = [];
  const calls: unknown[] = [];
  // Stale results of an earlier run that the gate must not read.
  mkdirSync(join(root.path, 'reports'));
  writeFileSync(join(root.path, 'reports/vitest.json'), JSON.stringify(passingVitest));
  const context: GateContext = {
    root: root.path,
    ci: true,
    config: repo(root.path),
    argv: [],
    log: (line) => logs.push(line),
    exec: (command, args, options) => {
      calls.push([command, args, options]);
      if (scenario.vitest !== undefined) {
        const text = typeof scenario.vitest === 'string' ? scenario.vitest : JSON.stringify(scenario.vitest);
        writeFileSync(join(root.path, 'reports/vitest.json'), text);
      }
      if (scenario.coverage !== undefined) {
        mkdirSync(join(root.path, 'coverage'), { recursive: true });
        const abs = Object.fromEntries(Object.entries(scenario.coverage).map(([k, v]) => [k === 'total' ? k : join(root.path, k), v]));
        writeFileSync(join(root.path, 'coverage/coverage-summary.json'), JSON.stringify(abs));
      }
      return Promise.resolve({ code: scenario.code, stdout: '', stderr: '' });
    },
  };
  const result = await testGate.run(context);
  return { result, logs, calls };
}

describe('test gate', () => {
  it('runs the README test command once with coverage and JSON results, streamed', async () => {
    const { calls } = await runScenario({ code: 0, vitest: passingVitest, coverage: {} });
    expect(calls).toEqual([['npm', TEST_COMMAND, { stream: true }]]);
    expect(TEST_COMMAND).toEqual([
      'test',
      '--',
      '--coverage',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=reports/vitest.json',
    ]);
  });

  it('prints tests: N passed, N failed, N skipped and reports coverage per workspace', async () => {
    const { result, logs } = await runScenario({
      code: 0,
      vitest: passingVitest,
      coverage: {
        total: fileSummary(0, 0),
        'packages/core/src/a.ts': fileSummary(97, 100),
        'packages/vault/src/v.ts': fileSummary(10, 10),
      },
    });
    expect(logs).toEqual(['tests: 12 passed, 0 failed, 2 skipped']);
    expect(result).toEqual({
      status: 'passed',
      summary: '12 passed, 0 failed · lines 97.27%',
      figures: {
        'tests.passed': 12,
        'tests.failed': 0,
        'tests.skipped': 2,
        'coverage.lines': 97.27,
        'coverage.branches': 100,
        'coverage.functions': 100,
        'coverage.statements': 97.27,
        'coverage.core.lines': 97,
        'coverage.core.branches': 100,
        'coverage.core.functions': 100,
        'coverage.core.statements': 97,
        'coverage.vault.lines': 100,
        'coverage.vault.branches': 100,
        'coverage.vault.functions': 100,
        'coverage.vault.statements': 100,
      },
    });
  });

  it('fails on failed tests and files that failed to load, naming them', async () => {
    const { result, logs } = await runScenario({
      code: 1,
      vitest: {
        numPassedTests: 3,
        numFailedTests: 1,
        testResults: [
          { name: '/r/b.test.ts', status: 'failed', assertionResults: [{ fullName: 'b adds', status: 'failed' }, { status: 'failed' }] },
          { name: '/r/c.test.ts', status: 'failed', message: 'SyntaxError: bad\n  at x', assertionResults: [] },
          { status: 'failed' },
        ],
      },
    });
    expect(logs).toEqual(['tests: 3 passed, 1 failed']);
    expect(result.status).toBe('failed');
    expect(result.summary).toBe('3 passed, 1 failed · no coverage');
    expect(result.details).toEqual([
      'failed file: /r/c.test.ts: SyntaxError: bad',
      'failed file: (unknown file)',
      'failed: b adds',
      'failed: (unnamed test)',
      'vitest exit code 1',
    ]);
  });

  // Exit 0 too: if vitest.config.ts's thresholds drift from harness.config.ts, the breach the gate reads must still fail it.
  it.each([1, 0])('fails and names the workspace and files under the floor when coverage misses it (vitest exit %i)', async (code) => {
    const { result } = await runScenario({
      code,
      vitest: passingVitest,
      coverage: { 'packages/core/src/a.ts': fileSummary(100, 100), 'packages/vault/src/v.ts': fileSummary(9, 10) },
    });
    expect(result.status).toBe('failed');
    expect(result.summary).toBe('12 passed, 0 failed · lines 99.09% · below floor: vault');
    expect(result.details).toEqual([
      'Coverage floor missed by workspace "vault" (packages/vault/src, floor 100%): lines 90%, branches 100%, functions 100%, statements 90%',
      '  packages/vault/src/v.ts: lines 90%, branches 100%, functions 100%, statements 90%',
      ...(code === 0 ? [] : ['vitest exit code 1']),
    ]);
  });

  it('fails when the tests passed but no coverage summary was written: the floors went unchecked', async () => {
    const { result } = await runScenario({ code: 0, vitest: passingVitest });
    expect(result).toMatchObject({
      status: 'failed',
      summary: '12 passed, 0 failed · no coverage',
      details: ['no coverage summary (coverage/coverage-summary.json): the coverage floors were not checked'],
    });
  });

  // vitest exits 0 with no test under `passWithNoTests` (an include glob that matches nothing, say).
  it.each([
    ['no test at all', { numPassedTests: 0, numFailedTests: 0, testResults: [] }, 'tests: 0 passed, 0 failed'],
    ['every test skipped', { numPassedTests: 0, numFailedTests: 0, numPendingTests: 3, testResults: [] }, 'tests: 0 passed, 0 failed, 3 skipped'],
  ])('fails a run in which no test ran (%s), even with vitest exit 0', async (_, vitest, line) => {
    const { result, logs } = await runScenario({ code: 0, vitest, coverage: { total: fileSummary(0, 0) } });
    expect(logs).toEqual([line]);
    expect(result).toMatchObject({
      status: 'failed',
      summary: '0 passed, 0 failed · lines 100%',
      details: ['no test ran: vitest collected no test to run (check the include globs of vitest.config.ts); a run that tests nothing proves nothing'],
    });
  });

  it('says no test ran only when none did: as many failed as passed is a run', async () => {
    const vitest = { numPassedTests: 2, numFailedTests: 2, testResults: [] };
    const { result } = await runScenario({ code: 1, vitest, coverage: { total: fileSummary(0, 0) } });
    expect(result).toMatchObject({ status: 'failed', details: ['vitest exit code 1'] });
  });

  it('fails when vitest wrote no results, never reading stale ones', async () => {
    const { result, logs } = await runScenario({ code: 1 });
    expect(logs).toEqual(['tests: no results (vitest exit code 1)']);
    expect(result).toMatchObject({ status: 'failed', summary: 'no test results · no coverage', details: ['vitest exit code 1'] });
  });

  it('fails on unreadable result files even if vitest exited 0', async () => {
    const { result } = await runScenario({ code: 0, vitest: '{"numPassedTests": 1, trunc', coverage: { total: 'x' } });
    expect(result.status).toBe('failed');
    expect(result.summary).toBe('no test results · lines 100%');
    const { result: wrongShape } = await runScenario({ code: 0, vitest: { hello: 1 } });
    expect(wrongShape.summary).toBe('no test results · no coverage');
  });

  it('treats an unreadable coverage summary as no coverage', async () => {
    using root = tempRoot();
    const { readCoverage } = await import('./coverage-summary.ts');
    writeFileSync(join(root.path, 'bad.json'), '{');
    expect(readCoverage(root.path, join(root.path, 'bad.json'), [])).toBeUndefined();
  });
});

describe('result readers', () => {
  it('reads minimal vitest JSON, defaulting absent counts to zero', async () => {
    using root = tempRoot();
    const { readVitestResults } = await import('./vitest-results.ts');
    writeFileSync(join(root.path, 'v.json'), JSON.stringify({ numPassedTests: 1, testResults: [{ name: '/r/x.test.ts', status: 'failed', message: '' }] }));
    expect(readVitestResults(join(root.path, 'v.json'))).toEqual({
      passed: 1,
      failed: 0,
      skipped: 0,
      failedFiles: ['/r/x.test.ts'],
      failedTests: [],
    });
    writeFileSync(join(root.path, 'w.json'), JSON.stringify({ numPassedTests: 0 }));
    expect(readVitestResults(join(root.path, 'w.json'))?.failedFiles).toEqual([]);
  });

  it('counts a coverage entry without some metrics as nothing to cover', async () => {
    using root = tempRoot();
    const { readCoverage } = await import('./coverage-summary.ts');
    writeFileSync(join(root.path, 's.json'), JSON.stringify({ [join(root.path, 'packages/core/src/a.ts')]: { lines: { total: 4, covered: 2 } } }));
    expect(readCoverage(root.path, join(root.path, 's.json'), [{ name: 'core', dir: 'packages/core', floor: 95 }])?.workspaces).toEqual({
      core: { lines: 50, branches: 100, functions: 100, statements: 100 },
    });
  });
});
