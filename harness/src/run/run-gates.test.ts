import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HarnessConfig } from '../config.ts';
import type { Gate } from '../gate.ts';
import { HarnessError } from '../errors.ts';
import { fakeGate, recordingSink, tempRoot } from '../test-support/sinks.ts';
import { runGates } from './run-gates.ts';
import type { GateRegistry } from './plan.ts';

const thresholds = { coverage: { floor: 95 } };
const config = (gates: HarnessConfig['gates']): HarnessConfig => ({ gates, thresholds });

/** Time stands still except while a gate runs: each gate takes exactly 100 ms. */
const time = { now: 1_700_000_000_000 };
const clock = () => () => time.now;

function timed(gate: Gate): Gate {
  return {
    ...gate,
    run: (context) => {
      time.now += 100;
      return gate.run(context);
    },
  };
}

function registryOf(calls: string[]): GateRegistry {
  return {
    alpha: () => Promise.resolve(timed(fakeGate('alpha', { status: 'passed', summary: 'a ok' }, calls))),
    beta: () => Promise.resolve(timed(fakeGate('beta', { status: 'passed', summary: 'b ok' }, calls))),
    gamma: () => Promise.resolve(timed(fakeGate('gamma', { status: 'failed', summary: '2 broken', details: ['x.ts: broken'] }, calls))),
  };
}

async function run(gates: HarnessConfig['gates'], extra: Parameters<typeof runGates>[0] = {}) {
  using root = tempRoot();
  const calls: string[] = [];
  const stdout = recordingSink();
  const stderr = recordingSink();
  const outcome = await runGates({
    root: root.path,
    config: config(gates),
    registry: registryOf(calls),
    stdout,
    stderr,
    env: { CI: 'true' },
    now: clock(),
    ...extra,
  });
  const reportJson = JSON.parse(readFileSync(join(root.path, 'reports/harness.json'), 'utf8'));
  const reportMd = readFileSync(join(root.path, 'reports/harness.md'), 'utf8');
  return { outcome, calls, stdout, stderr, reportJson, reportMd };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('runGates', () => {
  it('runs the gates in the declared order and passes when all pass', async () => {
    const { outcome, calls, stdout } = await run(['beta', 'alpha']);
    expect(calls).toEqual(['beta()', 'alpha()']);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.report.gates.map((g) => [g.name, g.status, g.summary, g.durationMs])).toEqual([
      ['beta', 'passed', 'b ok', 100],
      ['alpha', 'passed', 'a ok', 100],
    ]);
    expect(stdout.lines().at(-1)).toBe('gates: 2 passed, 0 failed');
  });

  it('prints plain progress lines, the summary table and the closing line when not a terminal', async () => {
    const { stdout } = await run(['alpha', 'gamma']);
    expect(stdout.lines()).toEqual([
      'rampart-harness: 2 gates: alpha, gamma',
      '▶ alpha',
      '✔ alpha: passed in 100ms (a ok)',
      '▶ gamma',
      '✖ gamma: failed in 100ms (2 broken)',
      '  x.ts: broken',
      'Gate   Status  Key figure  Duration',
      'alpha  passed  a ok        100ms',
      'gamma  failed  2 broken    100ms',
      'reports: reports/harness.json, reports/harness.md',
      'gates: 1 passed, 1 failed',
    ]);
    expect(stdout.text).not.toContain('\u001b');
  });

  it('keeps running after a failing gate and exits 1', async () => {
    const { outcome, calls } = await run(['gamma', 'alpha']);
    expect(calls).toEqual(['gamma()', 'alpha()']);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.report.totals).toEqual({ passed: 1, failed: 1, skipped: 0 });
  });

  it('turns a gate that throws into a failed gate with the error message and runs the next one', async () => {
    const thrower: Gate = { name: 'boom', description: 'throws', run: () => Promise.reject(new Error('disk on fire')) };
    const { outcome, calls, stdout } = await run([thrower, 'alpha']);
    const boom = outcome.report.gates[0];
    expect(boom?.status).toBe('failed');
    expect(boom?.summary).toBe('threw: disk on fire');
    expect(boom?.details?.[0]).toBe('Error: disk on fire');
    expect(calls).toEqual(['alpha()']);
    expect(outcome.exitCode).toBe(1);
    expect(stdout.lines().at(-1)).toBe('gates: 1 passed, 1 failed');
  });

  it('exits 2 when a gate refuses its arguments, showing the message without a stack trace', async () => {
    const picky: Gate = { name: 'picky', description: 'parses argv', run: () => Promise.reject(new HarnessError('HARNESS_ERR_USAGE', 'picky: unknown argument --x\nusage: picky [--y]')) };
    const { outcome, calls, stdout } = await run([picky, 'gamma']);
    expect(outcome.report.gates[0]).toMatchObject({ status: 'failed', summary: 'invalid arguments', details: ['Invalid command line: picky: unknown argument --x', 'usage: picky [--y]'] });
    expect(stdout.text).not.toContain('    at ');
    expect(calls).toEqual(['gamma()']);
    // A usage error outranks an ordinary gate failure: the command line is what needs fixing.
    expect(outcome.exitCode).toBe(2);
  });

  it('checks a config passed in code like a config file', async () => {
    using root = tempRoot();
    const outcome = runGates({ root: root.path, config: { gates: ['alpha'], thresholds: { ...thresholds, benchRegression: 20 } }, registry: registryOf([]), stdout: recordingSink() });
    await expect(outcome).rejects.toMatchObject({ code: 'HARNESS_ERR_CONFIG_INVALID', message: expect.stringContaining('`config` option: `thresholds.benchRegression` must be a fraction') });
  });

  it('exits 1, not 2, for any other harness error a gate throws', async () => {
    const broken: Gate = { name: 'broken', description: 'throws', run: () => Promise.reject(new HarnessError('HARNESS_ERR_GATE_INVALID', 'x')) };
    const { outcome } = await run([broken]);
    expect(outcome.report.gates[0]?.summary).toBe('threw: A gate returned an invalid result: x');
    expect(outcome.exitCode).toBe(1);
  });

  it('fails a configured gate that no module registers, loudly, without skipping it', async () => {
    const { outcome, stdout } = await run(['alpha', 'mutation']);
    expect(outcome.report.gates[1]).toEqual({
      name: 'mutation',
      status: 'failed',
      summary: 'missing: no gate module registers this name',
      details: ['HARNESS_ERR_GATE_MISSING: A configured gate is not registered: "mutation" is in harness.config.ts but no gate module registers it'],
      durationMs: 0,
    });
    expect(stdout.text).toContain('✖ mutation: failed');
    expect(outcome.exitCode).toBe(1);
  });

  it('fails a gate whose module cannot load, naming the load error', async () => {
    const registry: GateRegistry = { broken: () => Promise.reject(new Error("Cannot find module './nope.ts'")) };
    const { outcome } = await run(['broken'], { registry });
    expect(outcome.report.gates[0]?.summary).toBe("failed to load: Cannot find module './nope.ts'");
    expect(outcome.report.gates[0]?.details).toEqual([
      `HARNESS_ERR_GATE_LOAD: A gate module failed to load: gate "broken": Cannot find module './nope.ts'`,
    ]);
  });

  it('fails a gate that returns something other than a result', async () => {
    const bad = { name: 'bad', description: 'bad', run: () => Promise.resolve({ status: 'ok' }) } as unknown as Gate;
    const { outcome } = await run([bad]);
    expect(outcome.report.gates[0]?.status).toBe('failed');
    expect(outcome.report.gates[0]?.summary).toBe('threw: A gate returned an invalid result: gate "bad" must return { status, summary }');
  });

  it('reports a non-Error throw by its string form', async () => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a non-Error throw is the case under test
    const odd: Gate = { name: 'odd', description: 'odd', run: () => Promise.reject('plain string') };
    const { outcome } = await run([odd]);
    expect(outcome.report.gates[0]?.summary).toBe('threw: plain string');
    expect(outcome.report.gates[0]?.details).toEqual(['plain string']);
  });

  it('runs only the --only gates, in declared order', async () => {
    const { outcome, calls } = await run(['alpha', 'beta', 'gamma'], { only: ['gamma', 'alpha'] });
    expect(calls).toEqual(['alpha()', 'gamma()']);
    expect(outcome.report.gates.map((g) => g.name)).toEqual(['alpha', 'gamma']);
  });

  it('shows --skip gates as skipped in the summary without running them', async () => {
    const { outcome, calls, stdout, reportMd } = await run(['alpha', 'gamma'], { skip: ['gamma'] });
    expect(calls).toEqual(['alpha()']);
    expect(outcome.report.gates[1]).toEqual({ name: 'gamma', status: 'skipped', summary: 'skipped (--skip)', durationMs: 0 });
    expect(stdout.lines()).toContain('gamma  skipped  skipped (--skip)  -');
    expect(stdout.lines()).toContain('○ gamma: skipped (skipped (--skip))');
    expect(reportMd).toContain('| gamma | ⏭️ skipped | skipped (--skip) | - |');
    expect(outcome.exitCode).toBe(0);
    expect(stdout.lines().at(-1)).toBe('gates: 1 passed, 0 failed');
  });

  it('rejects --only and --skip names that are not configured', async () => {
    await expect(run(['alpha'], { only: ['nope'] })).rejects.toMatchObject({ code: 'HARNESS_ERR_USAGE' });
    await expect(run(['alpha'], { skip: ['nope'] })).rejects.toThrow('unknown gate "nope"; configured gates: alpha');
  });

  it('prints the JSON report on stdout with --json and keeps progress and the closing line on stderr', async () => {
    const { outcome, stdout, stderr } = await run(['alpha', 'gamma'], { json: true });
    expect(JSON.parse(stdout.text)).toEqual(outcome.report);
    expect(stderr.lines().at(-1)).toBe('gates: 1 passed, 1 failed');
    expect(stderr.text).not.toContain('Key figure');
  });

  it('writes reports/harness.json and reports/harness.md', async () => {
    const { outcome, reportJson, reportMd } = await run(['alpha', 'gamma']);
    expect(reportJson).toEqual(outcome.report);
    expect(reportJson).toMatchObject({
      durationMs: 200,
      ci: true,
      node: process.version,
      totals: { passed: 1, failed: 1, skipped: 0 },
    });
    expect(reportMd).toBe(
      [
        '## Rampart quality gates',
        '',
        '| Gate | Status | Key figure | Duration |',
        '| --- | --- | --- | --- |',
        '| alpha | ✅ passed | a ok | 100ms |',
        '| gamma | ❌ failed | 2 broken | 100ms |',
        '',
        '### gamma',
        '',
        '```text',
        'x.ts: broken',
        '```',
        '',
        `gates: 1 passed, 1 failed (200ms, Node ${process.version})`,
        '',
      ].join('\n'),
    );
    expect(outcome.files.map((f) => f.split('/').slice(-2).join('/'))).toEqual(['reports/harness.json', 'reports/harness.md']);
  });

  it('appends the Markdown report to $GITHUB_STEP_SUMMARY', async () => {
    using dir = tempRoot();
    const summary = join(dir.path, 'step-summary.md');
    writeFileSync(summary, 'earlier step\n');
    const { reportMd } = await run(['alpha'], { env: { CI: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(readFileSync(summary, 'utf8')).toBe(`earlier step\n${reportMd}\n`);
  });

  it('runs one gate with its argv, even one only the registry knows', async () => {
    const { outcome, calls } = await run(['alpha'], { gate: 'beta', argv: ['--update', 'x'] });
    expect(calls).toEqual(['beta(--update x)']);
    expect(outcome.report.gates.map((g) => g.name)).toEqual(['beta']);
  });

  it('rejects one-gate runs of an unknown gate', async () => {
    await expect(run(['alpha'], { gate: 'nope' })).rejects.toThrow('unknown gate or command "nope"');
  });

  it('lets gates log lines and exec commands with streamed output', async () => {
    const chatty: Gate = {
      name: 'chatty',
      description: 'logs',
      run: async (context) => {
        context.log('tests: 3 passed, 0 failed');
        const result = await context.exec(process.execPath, ['-e', 'console.log("from child")'], { stream: true });
        return { status: 'passed', summary: `child exited ${result.code}` };
      },
    };
    const { stdout, outcome } = await run([chatty]);
    expect(stdout.lines().slice(1, 5)).toEqual(['▶ chatty', 'tests: 3 passed, 0 failed', 'from child', '✔ chatty: passed in 0ms (child exited 0)']);
    expect(outcome.report.gates[0]?.summary).toBe('child exited 0');
  });

  it('truncates long details in the log but keeps them all in the report', async () => {
    const details = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const noisy: Gate = { name: 'noisy', description: 'noisy', run: () => Promise.resolve({ status: 'failed', summary: 'many', details }) };
    const { stdout, reportJson } = await run([noisy]);
    expect(stdout.lines()).toContain('  line 14');
    expect(stdout.lines()).not.toContain('  line 15');
    expect(stdout.lines()).toContain('  … 5 more in reports/harness.md');
    expect(reportJson.gates[0].details).toHaveLength(20);
  });

  it.each([
    ['HARNESS_ERR_WORKSPACE_NAME_CLASH', ['packages/*', 'tools/*']],
    ['HARNESS_ERR_WORKSPACE_GLOB', ['packages/f*']],
    ['HARNESS_ERR_WORKSPACE_MISSING', ['packages/foo', 'packages/bar']],
  ])('rejects with %s before any gate runs or a report is written', async (code, entries) => {
    using root = tempRoot();
    for (const dir of ['packages/foo', 'tools/foo']) {
      mkdirSync(join(root.path, dir), { recursive: true });
      writeFileSync(join(root.path, dir, 'package.json'), '{}');
    }
    writeFileSync(join(root.path, 'package.json'), JSON.stringify({ workspaces: entries }));
    const calls: string[] = [];
    const options = { root: root.path, config: config(['alpha']), registry: registryOf(calls), stdout: recordingSink() };
    await expect(runGates(options)).rejects.toMatchObject({ code });
    await expect(runGates({ ...options, gate: 'alpha' })).rejects.toMatchObject({ code });
    expect(calls).toEqual([]);
    expect(existsSync(join(root.path, 'reports'))).toBe(false);
  });

  it('leaves a root package.json it cannot read to the gates that need it', async () => {
    using root = tempRoot();
    writeFileSync(join(root.path, 'package.json'), '{ not json');
    const calls: string[] = [];
    const outcome = await runGates({ root: root.path, config: config(['alpha']), registry: registryOf(calls), stdout: recordingSink() });
    expect(outcome.exitCode).toBe(0);
    expect(calls).toEqual(['alpha()']);
  });

  it('requires a root when a config is given directly', async () => {
    await expect(runGates({ config: config(['alpha']), stdout: recordingSink() })).rejects.toMatchObject({
      code: 'HARNESS_ERR_USAGE',
      message: 'Invalid command line: `root` is required with `config`',
    });
  });

  it('loads harness.config.ts from the nearest directory upward when no config is given', async () => {
    using root = tempRoot();
    writeFileSync(join(root.path, 'harness.config.mjs'), "export default { gates: ['alpha'], thresholds: { coverage: { floor: 95 } } };\n");
    const stdout = recordingSink();
    const calls: string[] = [];
    const outcome = await runGates({ cwd: root.path, registry: registryOf(calls), stdout, env: {}, now: clock() });
    expect(calls).toEqual(['alpha()']);
    expect(existsSync(join(root.path, 'reports/harness.json'))).toBe(true);
    expect(outcome.exitCode).toBe(0);
  });

  it('draws a live status line with the gate and elapsed time on a terminal outside CI', async () => {
    vi.useFakeTimers();
    using root = tempRoot();
    const stdout = recordingSink(true);
    let release = () => {};
    const slow: Gate = { name: 'slow', description: 'slow', run: () => new Promise((r) => (release = () => r({ status: 'passed', summary: 'done' }))) };
    let t = 0;
    const done = runGates({ root: root.path, config: config([slow]), stdout, env: { NO_COLOR: '1' }, now: () => t });
    await vi.advanceTimersByTimeAsync(0);
    t = 1500;
    await vi.advanceTimersByTimeAsync(250);
    expect(stdout.text).toContain('\r\u001b[2K⠙ slow 1.5s');
    release();
    const outcome = await done;
    expect(outcome.exitCode).toBe(0);
    expect(stdout.text).toContain('\r\u001b[2K✔ slow: passed in 1.5s (done)\n');
    expect(stdout.text.endsWith('gates: 1 passed, 0 failed\n')).toBe(true);
  });
});
