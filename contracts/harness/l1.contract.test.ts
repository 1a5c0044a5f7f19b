// L1 contract of @rampart/harness: the zero-configuration use a newcomer copies
// from the README. Locked: these tests are never modified, only added to.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineBenchSuite, defineConfig, hasDecorator, runGates, standardDecorators } from '@rampart/harness';
import type { Gate, GateContext, GateResult } from '@rampart/harness';

const DECORATED = [
  'const calls: string[] = [];',
  'function logged(value: () => string, context: ClassMethodDecoratorContext) {',
  '  calls.push(String(context.name));',
  '  return value;',
  '}',
  'class Greeter {',
  '  @logged',
  "  hello() { return 'hi'; }",
  '}',
  'const result = [new Greeter().hello(), calls];',
].join('\n');

function gate(name: string, result: GateResult): Gate {
  return { name, description: `${name} gate`, run: () => Promise.resolve(result) };
}

function quietSink(): { write(text: string): boolean; text: string } {
  const sink = { text: '', write: (chunk: string) => ((sink.text += chunk), true) };
  return sink;
}

describe('defineConfig', () => {
  it('returns the config it is given, unchanged', () => {
    const config = { gates: ['typecheck', 'test'], thresholds: { coverage: { floor: 95 } } };
    expect(defineConfig(config)).toBe(config);
    expect(config).toEqual({ gates: ['typecheck', 'test'], thresholds: { coverage: { floor: 95 } } });
  });
});

describe('defineBenchSuite', () => {
  it('returns the suite it is given, unchanged', () => {
    const fn = () => 1 + 1;
    const suite = { package: 'demo', tasks: [{ name: 'demo/add', fn }] };
    expect(defineBenchSuite(suite)).toBe(suite);
    expect(suite.tasks[0]?.fn()).toBe(2);
  });
});

describe('standardDecorators', () => {
  it('is a pre-transform plugin named rampart:standard-decorators', () => {
    const plugin = standardDecorators();
    expect(plugin.name).toBe('rampart:standard-decorators');
    expect(plugin.enforce).toBe('pre');
  });

  it('leaves a TypeScript file without decorators untouched', () => {
    expect(standardDecorators().transform('export const answer: number = 42;\n', '/app/src/answer.ts')).toBeNull();
  });

  it('lowers a standard method decorator into code that runs', () => {
    const out = standardDecorators().transform(DECORATED, '/app/src/greeter.ts');
    expect(out).not.toBeNull();
    expect(runInNewContext(`${out?.code ?? ''}\nJSON.stringify(result);`)).toBe('["hi",["hello"]]');
  });
});

describe('hasDecorator', () => {
  it('is true for a decorated class member', () => {
    expect(hasDecorator('class A {\n  @logged\n  m() {}\n}')).toBe(true);
  });

  it('is false for code without decorators', () => {
    expect(hasDecorator('const email = "a@b.c";\nclass A { m() {} }')).toBe(false);
  });
});

describe('runGates', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rampart-l1-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('runs the configured gates in order and exits 0 when all pass', async () => {
    const seen: string[] = [];
    const record = (name: string): Gate => ({
      name,
      description: name,
      run: (context: GateContext) => {
        seen.push(`${name}@${context.root}`);
        return Promise.resolve({ status: 'passed', summary: `${name} ok` });
      },
    });
    const config = defineConfig({ gates: [record('first'), record('second')], thresholds: { coverage: { floor: 95 } } });
    const outcome = await runGates({ root, config, stdout: quietSink() });
    expect(outcome.exitCode).toBe(0);
    expect(seen).toEqual([`first@${root}`, `second@${root}`]);
    expect(outcome.report.totals).toEqual({ passed: 2, failed: 0, skipped: 0 });
    expect(outcome.report.gates.map((report) => [report.name, report.status, report.summary])).toEqual([
      ['first', 'passed', 'first ok'],
      ['second', 'passed', 'second ok'],
    ]);
  });

  it('exits 1 when a gate fails, after running every gate', async () => {
    const config = defineConfig({
      gates: [gate('broken', { status: 'failed', summary: '1 failed', details: ['why'] }), gate('after', { status: 'passed', summary: 'ok' })],
      thresholds: { coverage: { floor: 95 } },
    });
    const stdout = quietSink();
    const outcome = await runGates({ root, config, stdout });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.report.totals).toEqual({ passed: 1, failed: 1, skipped: 0 });
    expect(outcome.report.gates[0]).toMatchObject({ name: 'broken', status: 'failed', summary: '1 failed', details: ['why'] });
    expect(stdout.text).toContain('gates: 1 passed, 1 failed');
  });
});
