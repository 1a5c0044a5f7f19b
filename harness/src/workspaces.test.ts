import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempRoot } from './test-support/sinks.ts';
import { shortName, workspaces } from './workspaces.ts';

describe('workspaces', () => {
  it('reads the declared workspaces with their short names, expanding dir/* globs', () => {
    using root = tempRoot();
    for (const dir of ['packages/b', 'packages/a', 'packages/not-a-package']) mkdirSync(join(root.path, dir), { recursive: true });
    writeFileSync(join(root.path, 'packages/a/package.json'), '{}');
    writeFileSync(join(root.path, 'packages/b/package.json'), '{}');
    writeFileSync(
      join(root.path, 'package.json'),
      JSON.stringify({ workspaces: ['harness', 'examples/hello/', 'packages/*', 'missing/*', 42] }),
    );
    expect(workspaces(root.path)).toEqual([
      { name: 'harness', dir: 'harness' },
      { name: 'example-hello', dir: 'examples/hello' },
      { name: 'a', dir: 'packages/a' },
      { name: 'b', dir: 'packages/b' },
    ]);
  });

  it('reads entries written with a leading ./ (as in npm\'s own examples) as the same directories', () => {
    using root = tempRoot();
    for (const dir of ['packages/a', 'examples/hello']) {
      mkdirSync(join(root.path, dir), { recursive: true });
      writeFileSync(join(root.path, dir, 'package.json'), '{}');
    }
    writeFileSync(join(root.path, 'package.json'), JSON.stringify({ workspaces: ['././packages/*', './/examples/hello//'] }));
    // git, coverage and the changeset gate name files `packages/a/src/…`: a `./` dir would match none of them.
    expect(workspaces(root.path)).toEqual([
      { name: 'a', dir: 'packages/a' },
      { name: 'example-hello', dir: 'examples/hello' },
    ]);
  });

  it('returns no workspaces for a package.json without them', () => {
    using root = tempRoot();
    writeFileSync(join(root.path, 'package.json'), '{}');
    expect(workspaces(root.path)).toEqual([]);
  });

  it('names this repository’s workspaces as the vitest projects do', () => {
    expect(workspaces(join(import.meta.dirname, '../..')).map((ws) => ws.name)).toContain('example-hello');
    expect(shortName('packages/vault')).toBe('vault');
    expect(shortName('examples')).toBe('examples');
  });
});
