import { describe, expect, it } from 'vitest';
import type { GateContext } from '../../gate.ts';
import { changedPaths, touchedPackages, touchedSince } from './changed.ts';

const benchmarked = ['harness', 'throttler', 'vault'];

describe('touchedPackages', () => {
  it('maps package sources and suites to their package', () => {
    expect(touchedPackages(['packages/vault/src/keyring.ts', 'benchmarks/throttler/limit.bench.ts'], benchmarked)).toEqual(['throttler', 'vault']);
    expect(touchedPackages(['harness/src/gates/lint.ts'], benchmarked)).toEqual(['harness']);
  });

  it('measures nothing for docs, baselines, tests of other areas or unbenchmarked packages', () => {
    expect(touchedPackages(['README.md', 'PERFORMANCE.md', 'benchmarks/baselines/vault.json', 'packages/core/src/x.ts', 'docs/a.md', 'harness/README.md'], benchmarked)).toEqual([]);
  });

  it('measures everything when shared build inputs or the bench engine change', () => {
    for (const path of ['package-lock.json', 'package.json', 'tsconfig.base.json', 'harness/src/bench/measure.ts']) {
      expect(touchedPackages([path], benchmarked)).toEqual(benchmarked);
    }
  });
});

describe('changedPaths', () => {
  const context = (diff: { code: number; stdout: string; stderr: string }): GateContext => ({
    root: '/repo', ci: true, argv: [], log: () => undefined,
    config: { gates: [], thresholds: { coverage: { floor: 95 } } },
    exec: (_command, args) => Promise.resolve(args[0] === 'diff' ? diff : { code: 0, stdout: 'new/file.ts\n', stderr: '' }),
  });

  it('lists committed, uncommitted and untracked changes', async () => {
    expect(await changedPaths(context({ code: 0, stdout: 'a.ts\n\nb.ts\n', stderr: '' }), 'HEAD~1')).toEqual(['a.ts', 'b.ts', 'new/file.ts']);
  });

  it('fails loudly when git cannot diff', async () => {
    await expect(changedPaths(context({ code: 128, stdout: '', stderr: "fatal: bad revision 'HEAD~1'\n" }), 'HEAD~1'))
      .rejects.toThrow("git diff --name-only HEAD~1 failed: fatal: bad revision 'HEAD~1'");
  });
});

describe('touchedSince', () => {
  const context = (code: number): GateContext => ({
    root: '/repo', ci: true, argv: [], log: () => undefined,
    config: { gates: [], thresholds: { coverage: { floor: 95 } } },
    exec: () => Promise.resolve(code === 0 ? { code, stdout: 'packages/vault/src/a.ts\n', stderr: '' } : { code, stdout: '', stderr: "fatal: ambiguous argument 'HEAD~1'\nmore" }),
  });

  it('names the touched packages', async () => {
    expect(await touchedSince(context(0), 'HEAD~1', benchmarked)).toEqual({ touched: ['vault'], note: 'CI: packages touched since HEAD~1: vault' });
  });

  it('measures every package when git cannot tell (shallow clone)', async () => {
    expect(await touchedSince(context(128), 'HEAD~1', benchmarked)).toEqual({
      touched: benchmarked,
      note: "CI: cannot tell what changed (git diff --name-only HEAD~1 failed: fatal: ambiguous argument 'HEAD~1'): measuring every package",
    });
  });
});
