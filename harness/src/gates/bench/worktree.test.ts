import { mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempRoot } from '../../test-support/sinks.ts';
import { linkDependencies } from './worktree.ts';

describe('linkDependencies', () => {
  it('links installed packages from the repository but @rampart/* to the worktree itself', () => {
    using repo = tempRoot();
    using wt = tempRoot();
    for (const dir of ['node_modules/tinybench', 'node_modules/@types/node', 'node_modules/@rampart/vault', 'packages/vault/node_modules/x']) {
      mkdirSync(join(repo.path, dir), { recursive: true });
    }
    mkdirSync(join(wt.path, 'packages/vault'), { recursive: true });
    writeFileSync(join(wt.path, 'package.json'), JSON.stringify({ workspaces: ['packages/vault'] }));
    writeFileSync(join(wt.path, 'packages/vault/package.json'), JSON.stringify({ name: '@rampart/vault' }));
    linkDependencies(repo.path, wt.path);
    expect(readlinkSync(join(wt.path, 'node_modules/tinybench'))).toBe(join(repo.path, 'node_modules/tinybench'));
    expect(readlinkSync(join(wt.path, 'node_modules/@types'))).toBe(join(repo.path, 'node_modules/@types'));
    expect(readlinkSync(join(wt.path, 'node_modules/@rampart/vault'))).toBe(join(wt.path, 'packages/vault'));
    expect(readlinkSync(join(wt.path, 'packages/vault/node_modules'))).toBe(join(repo.path, 'packages/vault/node_modules'));
  });

  // The usual npm layout: without expanding `packages/*`, no @rampart/* package is linked and every base run fails to import.
  it('links the workspaces a dir/* or ./dir entry declares', () => {
    using repo = tempRoot();
    using wt = tempRoot();
    mkdirSync(join(repo.path, 'node_modules/tinybench'), { recursive: true });
    for (const dir of ['packages/vault', 'packages/core', 'tools/cli']) mkdirSync(join(wt.path, dir), { recursive: true });
    writeFileSync(join(wt.path, 'package.json'), JSON.stringify({ workspaces: ['packages/*', './tools/cli'] }));
    writeFileSync(join(wt.path, 'packages/vault/package.json'), JSON.stringify({ name: '@rampart/vault' }));
    writeFileSync(join(wt.path, 'packages/core/package.json'), JSON.stringify({ name: '@rampart/core' }));
    writeFileSync(join(wt.path, 'tools/cli/package.json'), JSON.stringify({ name: '@rampart/cli' }));
    linkDependencies(repo.path, wt.path);
    expect(readlinkSync(join(wt.path, 'node_modules/@rampart/core'))).toBe(join(wt.path, 'packages/core'));
    expect(readlinkSync(join(wt.path, 'node_modules/@rampart/vault'))).toBe(join(wt.path, 'packages/vault'));
    expect(readlinkSync(join(wt.path, 'node_modules/@rampart/cli'))).toBe(join(wt.path, 'tools/cli'));
  });
});
