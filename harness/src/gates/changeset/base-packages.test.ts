import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateContext } from '../../../test/contracts/gate-context.ts';
import { basePackages } from './base-packages.ts';

/** A temp git repository holding `files`, committed; returns its root and the commit. */
function committed(files: Record<string, string>): { root: string; sha: string; [Symbol.dispose](): void } {
  const root = mkdtempSync(join(tmpdir(), 'rampart-base-packages-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'base');
  return { root, sha: git('rev-parse', 'HEAD'), [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }) };
}

const manifest = (fields: Record<string, unknown>) => JSON.stringify(fields);

describe('basePackages', () => {
  it('reads the published workspaces of a commit, not the working tree, with the report each had', async () => {
    using repo = committed({
      'package.json': manifest({ name: 'root', private: true, workspaces: ['packages/*', 'tools/cli/', 'examples/*', 'absent/*', 'gone', 42] }),
      'packages/vault/package.json': manifest({ name: '@rampart/vault', version: '1.0.0' }),
      'packages/secret/package.json': manifest({ name: '@rampart/secret', private: true }),
      'packages/unnamed/package.json': manifest({ version: '1.0.0' }),
      'packages/no-manifest/src/index.ts': 'export {};\n',
      'packages/README.md': 'not a workspace\n',
      'tools/cli/package.json': manifest({ name: '@rampart/cli', version: '1.0.0' }),
      'examples/hello/package.json': manifest({ name: '@rampart/example-hello', version: '1.0.0' }),
    });
    // Changes after the commit are not the base.
    writeFileSync(join(repo.root, 'packages/vault/package.json'), manifest({ name: '@rampart/renamed' }));
    expect(await basePackages(gateContext(repo.root), repo.sha)).toEqual([
      { name: '@rampart/vault', dir: 'packages/vault', report: 'contracts/api/vault.api.md' },
      { name: '@rampart/cli', dir: 'tools/cli', report: 'contracts/api/cli.api.md' },
      { name: '@rampart/example-hello', dir: 'examples/hello', report: 'contracts/api/example-hello.api.md' },
    ]);
  });

  it('finds nothing without a root package.json or workspaces at the base', async () => {
    using bare = committed({ 'README.md': 'x\n' });
    expect(await basePackages(gateContext(bare.root), bare.sha)).toEqual([]);
    using flat = committed({ 'package.json': manifest({ name: 'single', version: '1.0.0' }) });
    expect(await basePackages(gateContext(flat.root), flat.sha)).toEqual([]);
  });

  it('fails naming the file when a package.json at the base is not JSON, instead of treating the package as gone', async () => {
    using repo = committed({
      'package.json': manifest({ workspaces: ['packages/*'] }),
      'packages/vault/package.json': '{ "name": "@rampart/vault", }',
    });
    await expect(basePackages(gateContext(repo.root), repo.sha)).rejects.toThrow(
      new RegExp(`^packages/vault/package\\.json at the base \\(${repo.sha.slice(0, 12)}\\) is not valid JSON: `),
    );
  });
});
