// L2 contract of @rampart/harness: the documented options. New options may be
// added; none of these may be removed or change meaning. Locked: add, never edit.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { defineBenchSuite, defineConfig, hasDecorator, runGates, standardDecorators } from '@rampart/harness';
import type { BenchSuite, Gate, GateContext, GateResult, HarnessConfig } from '@rampart/harness';

function sink(): { write(text: string): boolean; text: string } {
  const out = { text: '', write: (chunk: string) => ((out.text += chunk), true) };
  return out;
}

function passing(name: string, seen: string[] = []): Gate {
  return {
    name,
    description: `${name} gate`,
    run: (context: GateContext) => {
      seen.push(`${name} ci=${String(context.ci)} argv=${context.argv.join(' ')}`);
      return Promise.resolve({ status: 'passed', summary: `${name} ok`, figures: { count: 1 } });
    },
  };
}

describe('defineConfig options', () => {
  it('keeps every documented threshold and gate option as given', () => {
    const config: HarnessConfig = {
      gates: ['typecheck', 'lint', 'build', 'test', passing('custom')],
      thresholds: {
        coverage: { floor: 95, workspaces: { vault: 100 } },
        mutation: { default: 80, vault: 90 },
        benchRegression: 0.2,
      },
      gateOptions: { security: { audit: 'high' } },
    };
    expect(defineConfig(config)).toBe(config);
    expect(config.thresholds).toEqual({ coverage: { floor: 95, workspaces: { vault: 100 } }, mutation: { default: 80, vault: 90 }, benchRegression: 0.2 });
    expect(config.gateOptions).toEqual({ security: { audit: 'high' } });
  });
});

describe('defineBenchSuite options', () => {
  it('keeps peers, sample, and suite and task setup/teardown as given', async () => {
    const events: string[] = [];
    const suite: BenchSuite = defineBenchSuite({
      package: 'demo',
      setup: () => events.push('suite setup'),
      teardown: () => events.push('suite teardown'),
      tasks: [
        { name: 'demo/op', fn: () => 'ours', peers: { 'node:raw': () => 'theirs' }, setup: () => events.push('task setup'), teardown: () => events.push('task teardown') },
        { name: 'demo/http', sample: () => Promise.resolve(1250) },
      ],
    });
    suite.setup?.();
    suite.tasks[0]?.setup?.();
    suite.tasks[0]?.teardown?.();
    suite.teardown?.();
    expect(events).toEqual(['suite setup', 'task setup', 'task teardown', 'suite teardown']);
    expect(suite.tasks[0]?.fn?.()).toBe('ours');
    expect(suite.tasks[0]?.peers?.['node:raw']?.()).toBe('theirs');
    expect(await suite.tasks[1]?.sample?.()).toBe(1250);
  });
});

describe('standardDecorators transform', () => {
  const decorated = 'class A {\n  @tag\n  m() {}\n}\nfunction tag(v: unknown) { return v; }\n';

  it('skips files under node_modules and files that are not TypeScript', () => {
    const plugin = standardDecorators();
    expect(plugin.transform(decorated, '/app/node_modules/lib/index.ts')).toBeNull();
    expect(plugin.transform(decorated, '/app/src/a.js')).toBeNull();
    expect(plugin.transform(decorated, '/app/src/a.css')).toBeNull();
  });

  it('transforms .ts, .mts, .cts and .tsx ids, ignoring a query suffix', () => {
    const plugin = standardDecorators();
    for (const id of ['/app/src/a.ts', '/app/src/a.mts', '/app/src/a.cts', '/app/src/a.tsx', '/app/src/a.ts?v=123']) {
      const out = plugin.transform(decorated, id);
      expect(out?.code).toContain('__esDecorate');
      expect(out?.code).not.toContain('@tag');
    }
  });

  it('returns a source map and no inline sourceMappingURL comment', () => {
    const out = standardDecorators().transform(decorated, '/app/src/a.ts');
    expect(typeof out?.map).toBe('string');
    expect(JSON.parse(out?.map ?? '{}')).toMatchObject({ version: 3 });
    expect(out?.code).not.toContain('sourceMappingURL');
  });
});

describe('hasDecorator details', () => {
  it('ignores JSDoc tags, comments and e-mail addresses', () => {
    expect(hasDecorator('/**\n * @example\n * @deprecated\n */\nconst a = 1;')).toBe(false);
    expect(hasDecorator('// @logged\nconst a = 1;')).toBe(false);
    expect(hasDecorator("const to = 'team@example.com';")).toBe(false);
  });

  it('recognises decorator factories and dotted decorator names', () => {
    expect(hasDecorator('class A {\n  @Route("/x") handler() {}\n}')).toBe(true);
    expect(hasDecorator('@Http.controller("/users")\nclass Users {}')).toBe(true);
  });
});

describe('Gate types', () => {
  it('types a gate with extra CLI commands and a result with figures and details', async () => {
    const result: GateResult = { status: 'skipped', summary: 'nothing to do', figures: { files: 0, strict: true, mode: 'fast' }, details: ['no files'] };
    const gate: Gate = { name: 'demo', description: 'demo gate', run: () => Promise.resolve(result), commands: { 'demo:update': () => Promise.resolve(0) } };
    expectTypeOf(gate.run).returns.resolves.toEqualTypeOf<GateResult>();
    expectTypeOf<GateContext['exec']>().returns.resolves.toEqualTypeOf<{ code: number; stdout: string; stderr: string }>();
    expect(await gate.commands?.['demo:update']?.({} as GateContext)).toBe(0);
    expect(await gate.run({} as GateContext)).toBe(result);
  });
});

describe('runGates options', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rampart-l2-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('runs only the gates named in `only`, and shows the `skip` ones as skipped', async () => {
    const seen: string[] = [];
    const config = defineConfig({ gates: [passing('a', seen), passing('b', seen), passing('c', seen)], thresholds: { coverage: { floor: 95 } } });
    const outcome = await runGates({ root, config, only: ['a', 'b'], skip: ['b'], stdout: sink() });
    expect(seen).toEqual(['a ci=false argv=']);
    expect(outcome.report.gates.map((gate) => [gate.name, gate.status])).toEqual([['a', 'passed'], ['b', 'skipped']]);
    expect(outcome.report.totals).toEqual({ passed: 1, failed: 0, skipped: 1 });
  });

  it('passes CI=true from `env` and `argv` to the gate named in `gate`', async () => {
    const seen: string[] = [];
    const config = defineConfig({ gates: [passing('a', seen), passing('b', seen)], thresholds: { coverage: { floor: 95 } } });
    const outcome = await runGates({ root, config, gate: 'b', argv: ['--update'], env: { CI: 'true' }, stdout: sink() });
    expect(seen).toEqual(['b ci=true argv=--update']);
    expect(outcome.report.ci).toBe(true);
  });

  it('prints the JSON report on stdout with `json` and writes harness.json and harness.md under `reportsDir`', async () => {
    const config = defineConfig({ gates: [passing('a')], thresholds: { coverage: { floor: 95 } } });
    const stdout = sink();
    const outcome = await runGates({ root, config, json: true, stdout, stderr: sink(), reportsDir: 'out/reports' });
    const printed = JSON.parse(stdout.text) as { totals: unknown; gates: Array<{ name: string; figures: unknown }> };
    expect(printed.totals).toEqual({ passed: 1, failed: 0, skipped: 0 });
    expect(printed.gates[0]).toMatchObject({ name: 'a', figures: { count: 1 } });
    expect(outcome.files.map((file) => file.slice(root.length))).toEqual(expect.arrayContaining(['/out/reports/harness.json', '/out/reports/harness.md']));
    expect(existsSync(join(root, 'out/reports/harness.md'))).toBe(true);
    expect(JSON.parse(readFileSync(join(root, 'out/reports/harness.json'), 'utf8'))).toMatchObject({ totals: { passed: 1, failed: 0, skipped: 0 } });
  });

  it('turns a gate that throws into a failed gate and still runs the next one', async () => {
    const thrower: Gate = { name: 'thrower', description: 'throws', run: () => Promise.reject(new Error('boom')) };
    const config = defineConfig({ gates: [thrower, passing('after')], thresholds: { coverage: { floor: 95 } } });
    const outcome = await runGates({ root, config, stdout: sink() });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.report.gates.map((gate) => [gate.name, gate.status, gate.summary])).toEqual([
      ['thrower', 'failed', 'threw: boom'],
      ['after', 'passed', 'after ok'],
    ]);
  });
});
