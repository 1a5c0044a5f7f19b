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
    writeFileSync(join(wt.path, 'package.json'), JSON.stringify({ workspaces: ['packages/vault', 'packages/gone'] }));
    writeFileSync(join(wt.path, 'packages/vault/package.json'), JSON.stringify({ name: '@rampart/vault' }));
    linkDependencies(repo.path, wt.path);
    expect(readlinkSync(join(wt.path, 'node_modules/tinybench'))).toBe(join(repo.path, 'node_modules/tinybench'));
    expect(readlinkSync(join(wt.path, 'node_modules/@types'))).toBe(join(repo.path, 'node_modules/@types'));
    expect(readlinkSync(join(wt.path, 'node_modules/@rampart/vault'))).toBe(join(wt.path, 'packages/vault'));
    expect(readlinkSync(join(wt.path, 'packages/vault/node_modules'))).toBe(join(repo.path, 'packages/vault/node_modules'));
  });
});
