/**
 * Proves the coverage gate end to end: vitest runs (as a child process, the
 * way `npm test -- --coverage` does) on a two-package fixture project wired
 * with the harness thresholds and floor reporter. One package at ~94% must
 * fail the run and be named with its file; at 100% the run passes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const project = join(import.meta.dirname, '__fixtures__/coverage-floor/project');
const vitestCli = join(repo, 'node_modules/vitest/vitest.mjs');

function runFixture(mode: 'partial' | 'full') {
  const reports = mkdtempSync(join(tmpdir(), 'rampart-floor-'));
  // The child is a fresh vitest: none of this worker's VITEST_* state may leak into it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  try {
    const child = spawnSync(
      process.execPath,
      [vitestCli, 'run', '--coverage', '--root', project, '--config', join(project, 'vitest.config.ts'), `--coverage.reportsDirectory=${reports}`],
      { cwd: project, env: { ...env, FLOOR_FIXTURE: mode, NO_COLOR: '1', CI: 'true' }, encoding: 'utf8', timeout: 120_000 },
    );
    return { code: child.status, output: `${child.stdout}${child.stderr}` };
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}

describe('coverage floor (fixture project)', () => {
  it('fails when one package falls to ~94%, naming the package and its file under the floor', () => {
    const { code, output } = runFixture('partial');
    expect(code).toBe(1);
    expect(output).toContain(
      'Coverage floor missed by workspace "bad" (pkgs/bad/src, floor 95%): lines 93.75%, branches 75%, functions 100%, statements 93.75%',
    );
    expect(output).toContain('  pkgs/bad/src/describe.ts: lines 93.75%, branches 75%, functions 100%, statements 93.75%');
    expect(output).toContain('ERROR: Coverage for lines (93.75%) does not meet "pkgs/bad/src/**" threshold (95%)');
    // The fully tested package is never blamed.
    expect(output).not.toContain('workspace "good"');
    expect(output).not.toContain('pkgs/good/src/greet.ts:');
  });

  it('passes when every package is at 100%', () => {
    const { code, output } = runFixture('full');
    expect(output).not.toContain('Coverage floor missed');
    expect(output).not.toContain('ERROR: Coverage');
    expect(code).toBe(0);
  });
});
