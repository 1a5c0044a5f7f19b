import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GateContext } from '../../gate.ts';
import { createExec } from '../../run/exec.ts';
import { tempRoot } from '../../test-support/sinks.ts';
import { changedPaths, touchedSince } from './changed.ts';

describe('bench: what a change touches, read from a real git repository', () => {
  // git quotes a non-ASCII path ("packages/vault/src/gr\303\266\303\237e.ts") unless asked for -z:
  // such a change would map to no package, and CI would not measure the package it slowed down.
  it('sees changed and untracked files whose names git would quote', async () => {
    using root = tempRoot('rampart-bench-changed-');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: root.path, encoding: 'utf8' });
    const write = (path: string, text: string) => {
      mkdirSync(join(root.path, path, '..'), { recursive: true });
      writeFileSync(join(root.path, path), text);
    };
    write('package.json', JSON.stringify({ name: 'scratch', private: true, workspaces: ['packages/vault', 'packages/core'] }));
    write('packages/vault/package.json', JSON.stringify({ name: '@rampart/vault' }));
    write('packages/core/package.json', JSON.stringify({ name: '@rampart/core' }));
    write('packages/vault/src/größe.ts', 'export const a = 1;\n');
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    write('packages/vault/src/größe.ts', 'export const a = 2;\n');
    git('commit', '-q', '-am', 'slower');
    write('packages/core/src/naïve file.ts', 'export const b = 1;\n');
    const context: GateContext = {
      root: root.path, ci: true, argv: [], log: () => undefined,
      config: { gates: [], thresholds: { coverage: { floor: 95 } } },
      exec: createExec({ root: root.path, env: process.env, onLine: () => undefined }),
    };
    expect(await changedPaths(context, 'HEAD~1')).toEqual(['packages/vault/src/größe.ts', 'packages/core/src/naïve file.ts']);
    expect(await touchedSince(context, 'HEAD~1', ['core', 'vault'])).toEqual({ touched: ['core', 'vault'], note: 'CI: packages touched since HEAD~1: core, vault' });
  });
});
