import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GateContext } from '../../gate.ts';
import { createExec } from '../../run/exec.ts';
import { describeOutcome, mutationGate, mutationOptions, mutationTargets, parseMutationArgs } from './index.ts';
import { planMutation, thresholdFor } from './plan.ts';
import { summarize } from './report.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const fixture = join(repoRoot, 'harness/test/__fixtures__/mutation-project');

describe('mutation plan and report', () => {
  it('takes a workspace floor, else the default, else 80', () => {
    expect(thresholdFor('vault', { default: 80, vault: 90 })).toBe(90);
    expect(thresholdFor('core', { default: 85, vault: 90 })).toBe(85);
    expect(thresholdFor('core', undefined)).toBe(80);
    expect(thresholdFor('constructor', { default: 85 })).toBe(85);
    expect(thresholdFor('toString', {})).toBe(80);
  });

  it('mutates only the workspace sources, runs only its tests, and keeps the incremental file committed', () => {
    const plan = planMutation({ name: 'vault', dir: 'packages/vault' }, { vault: 90 });
    expect(plan.threshold).toBe(90);
    expect(plan.configFile).toBe('reports/mutation/vault/stryker.config.json');
    expect(plan.options.mutate).toEqual([
      'packages/vault/src/**/*.ts',
      '!packages/vault/src/**/*.test.ts',
      '!packages/vault/src/**/__fixtures__/**',
      '!packages/vault/src/**/test-support/**',
      '!packages/vault/src/index.ts',
      '!packages/vault/src/**/*.d.ts',
    ]);
    expect(plan.options.vitest).toEqual({ configFile: 'vitest.config.ts', related: true });
    expect(plan.options.ignorePatterns).toEqual(['/reports', '/coverage']);
    expect(plan.options.dryRunTimeoutMinutes).toBe(30);
    expect(plan.options.disableTypeChecks).toBe(false);
    expect(plan.options.incrementalFile).toBe('.stryker/incremental/vault.json');
    expect(plan.options.thresholds).toEqual({ high: 100, low: 90, break: 90 });
    expect(plan.options.htmlReporter).toEqual({ fileName: 'reports/mutation/vault/index.html' });
    expect(plan.options).not.toHaveProperty('ignoreStatic');
  });

  it('asks Stryker to ignore static mutants only for a workspace that opts in, and says so in its figure', () => {
    const plan = planMutation({ name: 'harness', dir: 'harness' }, { default: 80 }, { ignoreStatic: true });
    expect(plan.options.ignoreStatic).toBe(true);
    expect(planMutation({ name: 'core', dir: 'packages/core' }, undefined, { ignoreStatic: false }).options).not.toHaveProperty('ignoreStatic');
    const summary = summarize({ files: { 'a.ts': { mutants: [{ mutatorName: 'Regex', status: 'Killed', location: { start: { line: 1 } } }] } } });
    expect(describeOutcome({ plan, summary }).figure).toBe('harness 100% (static mutants ignored)');
  });

  it('reads gateOptions.mutation, refusing lists that are not workspace names', () => {
    expect(mutationOptions(fixture, undefined)).toEqual({ exclude: [], ignoreStatic: [] });
    expect(mutationOptions(fixture, { exclude: ['calc'], ignoreStatic: ['calc'] })).toEqual({ exclude: ['calc'], ignoreStatic: ['calc'] });
    expect(mutationOptions(fixture, { exclude: 'calc', ignoreStatic: [1] })).toEqual({
      problems: ['gateOptions.mutation.exclude must be a list of workspace names', 'gateOptions.mutation.ignoreStatic must be a list of workspace names'],
    });
    expect(mutationOptions(fixture, { exclude: ['calk'], ignoreStatic: ['calc', 'toString'] })).toEqual({
      problems: [
        'gateOptions.mutation.exclude names "calk", which is not a workspace',
        'gateOptions.mutation.ignoreStatic names "toString", which is not a workspace',
      ],
    });
  });

  it('fails a misconfigured run before starting Stryker', async () => {
    const ctx = context(fixture);
    const result = await mutationGate.run({
      ...ctx,
      exec: () => Promise.reject(new Error('Stryker must not start')),
      config: { ...ctx.config, gateOptions: { mutation: { ignoreStatic: ['calk'] } } },
    });
    expect(result).toEqual({ status: 'failed', summary: 'misconfigured', details: ['gateOptions.mutation.ignoreStatic names "calk", which is not a workspace'] });
  });

  it('scores killed and timed-out mutants over all valid ones and lists survivors in file/line order', () => {
    const at = (line: number) => ({ start: { line } });
    const summary = summarize({
      files: {
        'b.ts': { mutants: [{ mutatorName: 'BooleanLiteral', status: 'Survived', replacement: 'true', location: at(9) }] },
        'a.ts': {
          mutants: [
            { mutatorName: 'EqualityOperator', status: 'Killed', location: at(1) },
            { mutatorName: 'BlockStatement', status: 'Timeout', location: at(2) },
            { mutatorName: 'StringLiteral', status: 'NoCoverage', location: at(3) },
            { mutatorName: 'ArithmeticOperator', status: 'CompileError', location: at(4) },
            { mutatorName: 'ArithmeticOperator', status: 'Ignored', location: at(5) },
          ],
        },
      },
    });
    expect(summary).toEqual({
      score: 50,
      killed: 1,
      timeout: 1,
      survived: 1,
      noCoverage: 1,
      invalid: 2,
      survivors: [
        { file: 'a.ts', line: 3, mutator: 'StringLiteral', status: 'NoCoverage' },
        { file: 'b.ts', line: 9, mutator: 'BooleanLiteral', status: 'Survived', replacement: 'true' },
      ],
    });
    expect(summarize({ files: {} }).score).toBe(0);
  });

  it('fails a workspace with no valid mutant and names uncovered survivors', () => {
    const plan = planMutation({ name: 'core', dir: 'packages/core' });
    const empty = summarize({ files: {} });
    expect(describeOutcome({ plan, summary: empty })).toEqual({
      ok: false,
      figure: 'core 0%',
      details: ['core: mutation score 0% below the floor of 80% (0 mutants; report core/index.html)'],
    });
    const uncovered = summarize({
      files: {
        'x.ts': {
          mutants: [
            { mutatorName: 'StringLiteral', status: 'NoCoverage', location: { start: { line: 4 } } },
            { mutatorName: 'BlockStatement', status: 'NoCoverage', location: { start: { line: 4 } } },
            { mutatorName: 'Regex', status: 'Killed', location: { start: { line: 1 } } },
            { mutatorName: 'Regex', status: 'Killed', location: { start: { line: 2 } } },
            { mutatorName: 'Regex', status: 'Killed', location: { start: { line: 3 } } },
            { mutatorName: 'Regex', status: 'Killed', location: { start: { line: 5 } } },
            { mutatorName: 'Regex', status: 'Killed', location: { start: { line: 6 } } },
            { mutatorName: 'Regex', status: 'Killed', location: { start: { line: 7 } } },
            { mutatorName: 'Regex', status: 'Killed', location: { start: { line: 8 } } },
            { mutatorName: 'Regex', status: 'Killed', location: { start: { line: 9 } } },
          ],
        },
      },
    });
    expect(describeOutcome({ plan, summary: uncovered })).toEqual({
      ok: true,
      figure: 'core 80%',
      details: ['  no coverage: x.ts:4 BlockStatement', '  no coverage: x.ts:4 StringLiteral'],
    });
  });

  it('parses --full and --package, and refuses anything else', () => {
    expect(parseMutationArgs([])).toEqual({ full: false, packages: [] });
    expect(parseMutationArgs(['--full', '--package', 'vault', '--package', 'core'])).toEqual({ full: true, packages: ['vault', 'core'] });
    expect(() => parseMutationArgs(['--fast'])).toThrow(expect.objectContaining({ code: 'HARNESS_ERR_USAGE' }));
    expect(() => parseMutationArgs(['--package'])).toThrow(expect.objectContaining({ code: 'HARNESS_ERR_USAGE' }));
  });

  it('targets every workspace but the examples, or the named ones', () => {
    expect(mutationTargets(fixture, [])).toEqual([{ name: 'calc', dir: 'packages/calc' }]);
    expect(mutationTargets(fixture, ['calc'])).toEqual([{ name: 'calc', dir: 'packages/calc' }]);
    expect(() => mutationTargets(fixture, ['nope'])).toThrow('mutation: no workspace named nope');
    expect(mutationTargets(fixture, [], ['calc'])).toEqual([]);
    expect(mutationTargets(fixture, ['calc'], ['calc'])).toEqual([{ name: 'calc', dir: 'packages/calc' }]);
  });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-mutation-'));
  cpSync(fixture, dir, { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

// Under an outer Stryker run (the harness mutating itself) this process carries
// STRYKER_MUTATOR_WORKER; Stryker spawns its workers with `{ STRYKER_MUTATOR_WORKER: id, ...process.env }`,
// so an inherited value would give both inner workers one setup file and garble their results.
const innerEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('STRYKER_')));

function context(root: string, argv: string[] = []): GateContext {
  return {
    root,
    ci: true,
    argv,
    config: { gates: ['mutation'], thresholds: { coverage: { floor: 95 }, mutation: { default: 80, calc: 90 } } },
    log: () => undefined,
    exec: createExec({ root: repoRoot, env: innerEnv, onLine: () => undefined }),
  };
}

describe('mutation gate on a real Stryker run', () => {
  it('passes a well-tested package, then fails it once an assertion is removed, naming the survivor', async () => {
    const root = scratch();
    const strong = await mutationGate.run(context(root));
    expect(strong.status).toBe('passed');
    expect(strong.summary).toBe('calc 100%');
    expect(existsSync(join(root, '.stryker/incremental/calc.json'))).toBe(true);
    expect(existsSync(join(root, 'reports/mutation/calc/index.html'))).toBe(true);

    const testFile = join(root, 'packages/calc/src/age.test.ts');
    const weakened = readFileSync(testFile, 'utf8').replace('  expect(isAdult(17)).toBe(false);\n', '');
    expect(weakened).not.toContain('isAdult(17)');
    writeFileSync(testFile, weakened);
    const weak = await mutationGate.run(context(root, ['--full']));
    expect(weak.status).toBe('failed');
    expect(weak.figures?.calc).toBeLessThan(90);
    expect(weak.details?.[0]).toMatch(/^calc: mutation score [\d.]+% below the floor of 90%/);
    expect(weak.details).toContain('  survived: packages/calc/src/age.ts:2 ConditionalExpression → true');
  }, 240_000);

  it('fails when every workspace is excluded: nothing mutated proves nothing', async () => {
    const ctx = context(fixture);
    const lines: string[] = [];
    const result = await mutationGate.run({ ...ctx, log: (line) => lines.push(line), config: { ...ctx.config, gateOptions: { mutation: { exclude: ['calc'] } } } });
    expect(result).toEqual({ status: 'failed', summary: 'calc excluded', figures: {}, details: [] });
    expect(lines).toEqual(['mutation/calc: excluded by harness.config.ts (gateOptions.mutation.exclude)']);
  });

  it('fails when Stryker cannot produce a report', async () => {
    const root = scratch();
    writeFileSync(join(root, 'vitest.config.ts'), 'throw new Error("broken config");\n');
    // Named with --package, an excluded workspace still runs, and is not reported as excluded.
    const ctx = context(root, ['--package', 'calc']);
    const lines: string[] = [];
    const result = await mutationGate.run({
      ...ctx,
      log: (line) => lines.push(line),
      config: { ...ctx.config, gateOptions: { mutation: { exclude: ['calc'], ignoreStatic: ['calc'] } } },
    });
    expect(lines.filter((line) => line.includes('excluded'))).toEqual([]);
    expect(lines).toContain('mutation/calc: static mutants ignored (gateOptions.mutation.ignoreStatic)');
    expect(JSON.parse(readFileSync(join(root, 'reports/mutation/calc/stryker.config.json'), 'utf8'))).toMatchObject({ ignoreStatic: true });
    expect(result.status).toBe('failed');
    expect(result.summary).toBe('calc error');
    expect(result.details?.[0]).toMatch(/^calc: stryker exited [1-9]\d* without a report: .*Error.* \(full log: reports\/mutation\/calc\/stryker\.log\)$/);
    expect(readFileSync(join(root, 'reports/mutation/calc/stryker.log'), 'utf8')).toContain('broken config');
  }, 120_000);
});
