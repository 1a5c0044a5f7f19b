import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GateContext } from '../../gate.ts';
import { tempRoot } from '../../test-support/sinks.ts';
import { changedPaths, touchedPackages, touchedSince, workspaceGraph, type WorkspaceNode } from './changed.ts';

const benchmarked = ['harness', 'throttler', 'vault'];
// This repository's shape: core depends on config, http on core, the example on everything.
const graph: WorkspaceNode[] = [
  { name: 'harness', dir: 'harness', dependsOn: [] },
  { name: 'mocks', dir: 'mocks', dependsOn: [] },
  { name: 'core', dir: 'packages/core', dependsOn: ['config'] },
  { name: 'config', dir: 'packages/config', dependsOn: [] },
  { name: 'vault', dir: 'packages/vault', dependsOn: [] },
  { name: 'throttler', dir: 'packages/throttler', dependsOn: [] },
  { name: 'http', dir: 'packages/http', dependsOn: ['core'] },
  { name: 'example-hello', dir: 'examples/hello', dependsOn: ['config', 'core', 'http', 'throttler', 'vault'] },
];
const all = ['config', 'core', 'harness', 'http', 'throttler', 'vault'];

describe('touchedPackages', () => {
  it('maps package sources and suites to their package', () => {
    expect(touchedPackages(['packages/vault/src/keyring.ts', 'benchmarks/throttler/limit.bench.ts'], benchmarked, graph)).toEqual(['throttler', 'vault']);
    expect(touchedPackages(['harness/src/gates/lint.ts'], benchmarked, graph)).toEqual(['harness']);
  });

  it('measures nothing for docs, tests of other areas or unbenchmarked packages', () => {
    expect(touchedPackages(['README.md', 'PERFORMANCE.md', 'benchmarks/README.md', 'packages/core/src/x.ts', 'docs/a.md', 'harness/README.md', 'mocks/README.md'], benchmarked, graph)).toEqual([]);
  });

  it('measures every package that depends on a changed one, transitively', () => {
    expect(touchedPackages(['packages/config/src/load.ts'], all, graph)).toEqual(['config', 'core', 'http']);
    expect(touchedPackages(['packages/core/src/container.ts'], all, graph)).toEqual(['core', 'http']);
    expect(touchedPackages(['packages/http/src/server.ts'], all, graph)).toEqual(['http']);
    expect(touchedPackages(['examples/hello/src/main.ts'], all, graph)).toEqual([]);
  });

  it('measures the package whose stored baseline or suite changed, and its dependents', () => {
    expect(touchedPackages(['benchmarks/baselines/vault.json'], all, graph)).toEqual(['vault']);
    expect(touchedPackages(['benchmarks/baselines/config.json'], all, graph)).toEqual(['config', 'core', 'http']);
    expect(touchedPackages(['benchmarks/core/container.bench.ts'], all, graph)).toEqual(['core', 'http']);
    expect(touchedPackages(['benchmarks/baselines/README.md'], all, graph)).toEqual([]);
  });

  it('measures everything when shared build inputs or the bench engine change', () => {
    for (const path of ['package-lock.json', 'package.json', 'tsconfig.base.json', 'harness/src/bench/measure.ts']) {
      expect(touchedPackages([path], benchmarked, graph)).toEqual(benchmarked);
    }
  });
});

describe('workspaceGraph', () => {
  it('reads @rampart/* dependencies, peer and dev dependencies between workspaces, ignoring the rest', () => {
    using root = tempRoot();
    const write = (dir: string, pkg: object) => {
      mkdirSync(join(root.path, dir), { recursive: true });
      writeFileSync(join(root.path, dir, 'package.json'), JSON.stringify(pkg));
    };
    write('.', { name: 'scratch', private: true, workspaces: ['packages/*', 'harness'] });
    write('packages/config', { name: '@rampart/config', dependencies: { yaml: '^2.0.0' } });
    write('packages/core', { name: '@rampart/core', dependencies: { '@rampart/config': '0.1.0' }, devDependencies: { '@rampart/mocks': '0.1.0' } });
    write('packages/http', { name: '@rampart/http', peerDependencies: { '@rampart/core': '0.1.0' }, devDependencies: { '@rampart/harness': '0.1.0' } });
    write('harness', { name: '@rampart/harness' });
    expect(workspaceGraph(root.path)).toEqual([
      { name: 'config', dir: 'packages/config', dependsOn: [] },
      { name: 'core', dir: 'packages/core', dependsOn: ['config'] },
      { name: 'http', dir: 'packages/http', dependsOn: ['core', 'harness'] },
      { name: 'harness', dir: 'harness', dependsOn: [] },
    ]);
  });

  it('gives core and http as dependents of config in this repository', () => {
    const repo = join(import.meta.dirname, '../../../..');
    expect(touchedPackages(['packages/config/src/index.ts'], all, workspaceGraph(repo))).toEqual(['config', 'core', 'http']);
  });
});

describe('changedPaths', () => {
  const context = (diff: { code: number; stdout: string; stderr: string }): GateContext => ({
    root: '/repo', ci: true, argv: [], log: () => undefined,
    config: { gates: [], thresholds: { coverage: { floor: 95 } } },
    exec: (_command, args) => Promise.resolve(args[0] === 'diff' ? diff : { code: 0, stdout: 'new/file.ts\0', stderr: '' }),
  });

  it('lists committed, uncommitted and untracked changes', async () => {
    expect(await changedPaths(context({ code: 0, stdout: 'a.ts\0b.ts\0', stderr: '' }), 'HEAD~1')).toEqual(['a.ts', 'b.ts', 'new/file.ts']);
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
    exec: () => Promise.resolve(code === 0 ? { code, stdout: 'packages/vault/src/a.ts\0', stderr: '' } : { code, stdout: '', stderr: "fatal: ambiguous argument 'HEAD~1'\nmore" }),
  });

  it('names the touched packages', async () => {
    expect(await touchedSince(context(0), 'HEAD~1', benchmarked, graph)).toEqual({ touched: ['vault'], note: 'CI: packages touched since HEAD~1: vault' });
  });

  it('measures every package when git cannot tell (shallow clone)', async () => {
    expect(await touchedSince(context(128), 'HEAD~1', benchmarked, graph)).toEqual({
      touched: benchmarked,
      note: "CI: cannot tell what changed (git diff --name-only HEAD~1 failed: fatal: ambiguous argument 'HEAD~1'): measuring every package",
    });
  });

  it('measures every package when the workspace graph cannot be read', async () => {
    using root = tempRoot();
    const ctx = { ...context(0), root: root.path };
    const result = await touchedSince(ctx, 'HEAD~1', benchmarked);
    expect(result.touched).toEqual(benchmarked);
    expect(result.note).toMatch(/^CI: cannot tell what changed \(ENOENT: no such file or directory, open '.*package\.json'\): measuring every package$/);
  });
});
