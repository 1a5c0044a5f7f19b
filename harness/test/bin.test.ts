/**
 * The `rampart-harness` bin as a user runs it: a real process, a real
 * harness.config in a fresh directory, real exit codes and closing line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../bin/rampart-harness.js');

const CONFIG = `
const pass = { name: 'pass', description: 'passes', run: async (ctx) => { ctx.log('tests: 2 passed, 0 failed'); return { status: 'passed', summary: '2 passed' }; } };
const boom = { name: 'boom', description: 'throws', run: async () => { throw new Error('kaput'); } };
export default { gates: [pass, boom, 'not-registered'], thresholds: { coverage: { floor: 95 } } };
`;

function harness(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bin-'));
  writeFileSync(join(dir, 'harness.config.mjs'), CONFIG);
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  const child = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env: { ...env, CI: 'true' }, encoding: 'utf8' });
  return { dir, code: child.status, stdout: child.stdout, stderr: child.stderr, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('rampart-harness bin', () => {
  it('runs every gate, fails loudly on the throwing and the missing one, and ends with the closing line', () => {
    using run = harness(['ci']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toContain('tests: 2 passed, 0 failed');
    expect(lines.some((line) => /^boom +failed +threw: kaput +\d+ms$/.test(line))).toBe(true);
    expect(run.stdout).toContain('✖ not-registered: failed');
    expect(lines.at(-1)).toBe('gates: 1 passed, 2 failed');
    expect(JSON.parse(readFileSync(join(run.dir, 'reports/harness.json'), 'utf8')).totals).toEqual({ passed: 1, failed: 2, skipped: 0 });
  });

  it('exits 0 when the failing gates are skipped', () => {
    using run = harness(['ci', '--skip', 'boom', '--skip', 'not-registered']);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('gates: 1 passed, 0 failed');
  });

  it('exits 2 on a usage error', () => {
    using run = harness(['ci', '--bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('rampart-harness: HARNESS_ERR_USAGE: Invalid command line: unknown option --bogus for ci');
  });
});
