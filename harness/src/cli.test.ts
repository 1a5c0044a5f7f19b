import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Gate } from './gate.ts';
import { main } from './cli.ts';
import { builtinGates } from './gates/registry.ts';
import { fakeGate, recordingSink, tempRoot } from './test-support/sinks.ts';
import type { GateRegistry } from './run/plan.ts';

const CONFIG = "export default { gates: ['alpha', 'contracts'], thresholds: { coverage: { floor: 95 } } };\n";

function setup(registry: GateRegistry, config = CONFIG) {
  const root = tempRoot();
  writeFileSync(join(root.path, 'harness.config.mjs'), config);
  const stdout = recordingSink();
  const stderr = recordingSink();
  const io = { cwd: root.path, stdout, stderr, registry, env: { CI: 'true' }, now: () => 0 };
  return { root, stdout, stderr, io, [Symbol.dispose]: () => root[Symbol.dispose]() };
}

const commandCalls: string[] = [];
const contracts: Gate = {
  ...fakeGate('contracts', { status: 'passed', summary: 'ok' }),
  commands: {
    'contracts:lock': (context) => {
      commandCalls.push(`lock(${context.argv.join(' ')}) at ${context.root}`);
      context.log('locked 3 suites');
      return Promise.resolve(0);
    },
    'contracts:explode': () => Promise.reject(new Error('lock file is read-only')),
  },
};
const registry: GateRegistry = {
  alpha: () => Promise.resolve(fakeGate('alpha', { status: 'passed', summary: 'a ok' })),
  contracts: () => Promise.resolve(contracts),
  failing: () => Promise.resolve(fakeGate('failing', { status: 'failed', summary: 'bad' })),
};

describe('rampart-harness main()', () => {
  it('prints usage for --help and exits 0', async () => {
    using env = setup(registry);
    expect(await main(['--help'], env.io)).toBe(0);
    expect(env.stdout.lines()[0]).toBe('Usage:');
  });

  it('runs ci and exits 0 when every gate passes, ending with the closing line', async () => {
    using env = setup(registry);
    expect(await main(['ci'], env.io)).toBe(0);
    expect(env.stdout.lines().at(-1)).toBe('gates: 2 passed, 0 failed');
  });

  it('exits 1 when a gate fails', async () => {
    using env = setup(registry, "export default { gates: ['alpha', 'failing'], thresholds: { coverage: { floor: 95 } } };\n");
    expect(await main(['ci'], env.io)).toBe(1);
    expect(env.stdout.lines().at(-1)).toBe('gates: 1 passed, 1 failed');
  });

  it('passes --only, --skip and --json through to the run', async () => {
    using env = setup(registry);
    expect(await main(['ci', '--skip', 'contracts', '--json'], env.io)).toBe(0);
    const report = JSON.parse(env.stdout.text);
    expect(report.gates.map((g: { name: string; status: string }) => [g.name, g.status])).toEqual([
      ['alpha', 'passed'],
      ['contracts', 'skipped'],
    ]);
    expect(env.stderr.lines().at(-1)).toBe('gates: 1 passed, 0 failed');
    expect(JSON.parse(readFileSync(join(env.root.path, 'reports/harness.json'), 'utf8'))).toEqual(report);
  });

  it('runs one gate by name', async () => {
    using env = setup(registry);
    expect(await main(['failing', '--x'], env.io)).toBe(1);
    expect(env.stdout.text).toContain('✖ failing: failed');
  });

  it('exits 2 when the one gate it runs refuses its arguments (bench)', async () => {
    using env = setup({ bench: () => import('./gates/bench/index.ts').then((m) => m.benchGate) }, "export default { gates: ['bench'], thresholds: { coverage: { floor: 95 } } };\n");
    expect(await main(['bench', '--frobnicate'], env.io)).toBe(2);
    expect(env.stdout.text).toContain('✖ bench: failed in 0ms (invalid arguments)');
    expect(env.stdout.text).toContain("Invalid command line: bench: Unknown option '--frobnicate'");
    expect(env.stdout.text).toContain('npm run bench -- [--update');
  });

  it('exits 2 when the one gate it runs refuses its arguments (mutation)', async () => {
    using env = setup({ mutation: () => import('./gates/mutation/index.ts').then((m) => m.mutationGate) }, "export default { gates: ['mutation'], thresholds: { coverage: { floor: 95 } } };\n");
    expect(await main(['mutation', '--package'], env.io)).toBe(2);
    expect(env.stdout.text).toContain('mutation: unknown argument --package (use --full, --package <name>)');
  });

  it('exits 2 when a gate that takes no arguments is given some (typecheck --package core), running nothing', async () => {
    using env = setup(builtinGates, "export default { gates: ['typecheck', 'lint'], thresholds: { coverage: { floor: 95 } } };\n");
    expect(await main(['typecheck', '--package', 'core'], env.io)).toBe(2);
    expect(env.stdout.text).toContain('✖ typecheck: failed in 0ms (invalid arguments)');
    expect(env.stdout.text).toContain('Invalid command line: typecheck accepts no arguments, got: --package core');
    expect(env.stdout.text).not.toContain('npm run typecheck');
    expect(await main(['lint', 'foo'], env.io)).toBe(2);
    expect(env.stdout.text).toContain('Invalid command line: lint accepts no arguments, got: foo');
  });

  it('exits 2 with the usage when a command that takes no arguments is given some (contracts:lock --force)', async () => {
    using env = setup(builtinGates, "export default { gates: ['contracts', 'api'], thresholds: { coverage: { floor: 95 } } };\n");
    expect(await main(['contracts:lock', '--force'], env.io)).toBe(2);
    expect(env.stderr.lines()[0]).toBe('rampart-harness: HARNESS_ERR_USAGE: Invalid command line: contracts:lock accepts no arguments, got: --force');
    expect(env.stderr.lines()[1]).toBe('Usage:');
    expect(existsSync(join(env.root.path, 'contracts/contracts.lock.json'))).toBe(false);
    expect(await main(['api:update', 'core'], env.io)).toBe(2);
    expect(env.stderr.text).toContain('rampart-harness: HARNESS_ERR_USAGE: Invalid command line: api:update accepts no arguments, got: core');
  });

  it('exits 2 before any gate or command runs when two workspaces share a name', async () => {
    using env = setup(registry);
    for (const dir of ['packages/foo', 'tools/foo']) {
      mkdirSync(join(env.root.path, dir), { recursive: true });
      writeFileSync(join(env.root.path, dir, 'package.json'), '{}');
    }
    writeFileSync(join(env.root.path, 'package.json'), JSON.stringify({ workspaces: ['packages/*', 'tools/*'] }));
    const calls = commandCalls.length;
    for (const argv of [['ci'], ['alpha'], ['contracts:lock']]) {
      expect(await main(argv, { ...env.io, stdout: recordingSink() })).toBe(2);
    }
    expect(env.stderr.lines()[0]).toBe(
      'rampart-harness: HARNESS_ERR_WORKSPACE_NAME_CLASH: Two workspaces have the same name: "foo" is packages/foo and tools/foo; ' +
        'the name keys vitest projects, coverage floors, API reports (contracts/api/<name>.api.md), benchmarks and mutation reports, so rename one of the directories',
    );
    expect(env.stderr.lines()).toHaveLength(3);
    expect(commandCalls).toHaveLength(calls);
    expect(existsSync(join(env.root.path, 'reports'))).toBe(false);
  });

  it('runs a command a gate declares, with its argv, and returns its exit code', async () => {
    using env = setup(registry);
    expect(await main(['contracts:lock', '--force'], env.io)).toBe(0);
    expect(commandCalls.at(-1)).toBe(`lock(--force) at ${env.root.path}`);
    expect(env.stdout.lines()).toEqual(['locked 3 suites']);
  });

  it('tells a command whether it runs in CI (CI=true or CI=1)', async () => {
    const seen: boolean[] = [];
    const probe: Gate = { ...fakeGate('probe', { status: 'passed', summary: '' }), commands: { 'probe:ci': (c) => Promise.resolve(seen.push(c.ci) - seen.length) } };
    using env = setup({ probe: () => Promise.resolve(probe) }, "export default { gates: ['probe'], thresholds: { coverage: { floor: 95 } } };\n");
    for (const CI of ['true', '1', undefined]) expect(await main(['probe:ci'], { ...env.io, env: { CI } })).toBe(0);
    expect(seen).toEqual([true, true, false]);
  });

  it('finds a command on a configured gate whose name is not the prefix', async () => {
    const aliased: Gate = { ...fakeGate('alpha', { status: 'passed', summary: '' }), commands: { 'api:update': () => Promise.resolve(3) } };
    using env = setup({ ...registry, alpha: () => Promise.resolve(aliased) });
    expect(await main(['api:update'], env.io)).toBe(3);
  });

  it('exits 1 with the message when a command throws', async () => {
    using env = setup(registry);
    expect(await main(['contracts:explode'], env.io)).toBe(1);
    expect(env.stderr.text).toBe('rampart-harness: contracts:explode failed: lock file is read-only\n');
  });

  it('exits 2 for a command no gate offers, naming gates that could not load', async () => {
    using env = setup({ ...registry, alpha: () => Promise.reject(new Error('syntax error')) });
    expect(await main(['nope:thing'], env.io)).toBe(2);
    expect(env.stderr.lines()[0]).toBe(
      'rampart-harness: HARNESS_ERR_UNKNOWN_COMMAND: No gate offers this command: "nope:thing" (could not load nope: Invalid command line: unknown gate or command "nope"; alpha: syntax error)',
    );
  });

  it('exits 2 for a command when every gate loads but none offers it', async () => {
    using env = setup(registry);
    expect(await main(['contracts:nothing'], env.io)).toBe(2);
    expect(env.stderr.text).toBe('rampart-harness: HARNESS_ERR_UNKNOWN_COMMAND: No gate offers this command: "contracts:nothing"\n');
  });

  it('exits 2 with usage on a bad command line', async () => {
    using env = setup(registry);
    expect(await main(['ci', '--only', 'ghost'], env.io)).toBe(2);
    expect(env.stderr.lines()[0]).toBe('rampart-harness: HARNESS_ERR_USAGE: Invalid command line: unknown gate "ghost"; configured gates: alpha, contracts');
    expect(env.stderr.lines()[1]).toBe('Usage:');
  });

  it('exits 2 when no harness.config is found', async () => {
    using root = tempRoot();
    const stderr = recordingSink();
    expect(await main(['ci'], { cwd: root.path, stderr, stdout: recordingSink() })).toBe(2);
    expect(stderr.text).toMatch(/^rampart-harness: HARNESS_ERR_CONFIG_NOT_FOUND: No harness.config.ts found: looked for harness.config.ts, /);
  });

  it('rethrows errors that are not harness errors', async () => {
    using env = setup({ alpha: () => Promise.resolve(fakeGate('alpha', { status: 'passed', summary: '' })) });
    const stdout = { write: () => { throw new Error('EPIPE'); } };
    await expect(main(['ci'], { ...env.io, stdout })).rejects.toThrow('EPIPE');
  });
});
