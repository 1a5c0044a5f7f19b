/**
 * The process-wide defaults of runGates() and main(): real stdout/stderr,
 * process.env, process.cwd(), the built-in registry, Date.now.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli.ts';
import { builtinGates } from '../gates/registry.ts';
import { tempRoot } from '../test-support/sinks.ts';
import { runGates } from './run-gates.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

function captureStd() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  return { out, err };
}

const gate = { name: 'solo', description: 'solo', run: () => Promise.resolve({ status: 'passed' as const, summary: 'fine' }) };

describe('defaults', () => {
  it('runGates loads the config from process.cwd() and writes to process.stdout', async () => {
    using root = tempRoot();
    writeFileSync(join(root.path, 'harness.config.mjs'), 'export default { gates: [], thresholds: { coverage: { floor: 95 } } };\n');
    vi.spyOn(process, 'cwd').mockReturnValue(root.path);
    const { out } = captureStd();
    const outcome = await runGates();
    expect(outcome.exitCode).toBe(0);
    expect(out[0]).toBe('rampart-harness: 0 gates: \n');
    expect(out.at(-1)).toBe('gates: 0 passed, 0 failed\n');
  });

  it('runGates --json writes the report to process.stdout and progress to process.stderr', async () => {
    using root = tempRoot();
    const { out, err } = captureStd();
    const outcome = await runGates({ root: root.path, config: { gates: [gate], thresholds: { coverage: { floor: 95 } } }, json: true });
    expect(JSON.parse(out.join(''))).toEqual(outcome.report);
    expect(err[0]).toBe('rampart-harness: 1 gate: solo\n');
    expect(err.at(-1)).toBe('gates: 1 passed, 0 failed\n');
  });

  it('main prints usage on process.stdout and usage errors on process.stderr', async () => {
    const { out, err } = captureStd();
    expect(await main(['--help'])).toBe(0);
    expect(out.join('')).toContain('rampart-harness ci [--only <gate>]');
    expect(await main(['ci', '--nope'])).toBe(2);
    expect(err[0]).toBe('rampart-harness: HARNESS_ERR_USAGE: Invalid command line: unknown option --nope for ci\n');
  });

  it('registers the typecheck, lint, build and test gates by name, lazily', async () => {
    const names = await Promise.all(['typecheck', 'lint', 'build', 'test'].map(async (name) => (await builtinGates[name]?.())?.name));
    expect(names).toEqual(['typecheck', 'lint', 'build', 'test']);
  });
});
