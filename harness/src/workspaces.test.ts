import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from './errors.ts';
import { tempRoot } from './test-support/sinks.ts';
import { shortName, workspaces } from './workspaces.ts';

describe('workspaces', () => {
  it('reads the declared workspaces with their short names, expanding dir/* globs', () => {
    using root = tempRoot();
    for (const dir of ['packages/b', 'packages/a', 'packages/not-a-package', 'harness', 'examples/hello']) mkdirSync(join(root.path, dir), { recursive: true });
    for (const dir of ['packages/a', 'packages/b', 'harness', 'examples/hello']) writeFileSync(join(root.path, dir, 'package.json'), '{}');
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

describe('workspaces: declarations the harness cannot name or read', () => {
  function repo(entries: unknown[], packages: string[]) {
    const root = tempRoot();
    for (const dir of packages) {
      mkdirSync(join(root.path, dir), { recursive: true });
      writeFileSync(join(root.path, dir, 'package.json'), '{}');
    }
    writeFileSync(join(root.path, 'package.json'), JSON.stringify({ workspaces: entries }));
    return root;
  }

  function thrown(root: string): unknown {
    try {
      workspaces(root);
    } catch (error) {
      return error;
    }
    return undefined;
  }

  it('refuses two workspaces with the same short name, naming both directories and the fix', () => {
    using root = repo(['packages/*', 'tools/*'], ['packages/foo', 'tools/foo', 'tools/bar']);
    const error = thrown(root.path);
    expect(error).toBeInstanceOf(HarnessError);
    expect(error).toMatchObject({ code: 'HARNESS_ERR_WORKSPACE_NAME_CLASH', category: 'config' });
    expect((error as Error).message).toBe(
      'Two workspaces have the same name: "foo" is packages/foo and tools/foo; the name keys vitest projects, coverage floors, ' +
        'API reports (contracts/api/<name>.api.md), benchmarks and mutation reports, so rename one of the directories',
    );
  });

  it('refuses every clash at once, examples/<x> included (its name is example-<x>)', () => {
    using root = repo(
      ['packages/foo', 'libs/foo', 'examples/hello', 'packages/example-hello', 'tools/foo'],
      ['packages/foo', 'libs/foo', 'examples/hello', 'packages/example-hello', 'tools/foo'],
    );
    expect((thrown(root.path) as Error).message).toContain(
      '"foo" is packages/foo, libs/foo and tools/foo; "example-hello" is examples/hello and packages/example-hello;',
    );
  });

  it('lists a directory declared twice (packages/* and packages/a, or ./a and a) once, not as a clash', () => {
    using root = repo(['packages/*', 'packages/a', './packages/a/'], ['packages/a']);
    expect(workspaces(root.path)).toEqual([{ name: 'a', dir: 'packages/a' }]);
  });

  it.each([
    ['packages/**'],
    ['packages/a*'],
    ['packages/{a,b}'],
    ['packages/?'],
    ['packages/[ab]'],
    ['*'],
    ['packages/*/*'],
    ['*/core'],
    ['!packages/old'],
    ['packages/@(a|b)'],
    ['packages/+(a)'],
    ['./packages/a*/'],
  ])('refuses the glob %s, naming the entry and the supported forms', (entry) => {
    using root = repo([entry], ['packages/a', 'packages/b', 'packages/old']);
    const error = thrown(root.path);
    expect(error).toMatchObject({ code: 'HARNESS_ERR_WORKSPACE_GLOB', category: 'config' });
    expect((error as Error).message).toBe(
      `A workspaces entry uses a glob the harness does not read: ${JSON.stringify(entry)} in package.json; ` +
        'supported are a directory ("packages/core") and the directories directly below one ("packages/*"): list the workspaces in those forms',
    );
  });

  it('reads names that hold characters globs use only in other positions (@scope, a+b, a(1)) literally', () => {
    using root = repo(['packages/@scope/*', 'tools/a+b', 'tools/c(1)'], ['packages/@scope/x', 'tools/a+b', 'tools/c(1)']);
    expect(workspaces(root.path).map((ws) => ws.dir)).toEqual(['packages/@scope/x', 'tools/a+b', 'tools/c(1)']);
  });

  it('refuses an entry naming a directory without a package.json, or no directory at all', () => {
    using root = repo(['packages/core', 'packages/empty'], ['packages/core']);
    mkdirSync(join(root.path, 'packages/empty'));
    expect(thrown(root.path)).toMatchObject({
      code: 'HARNESS_ERR_WORKSPACE_MISSING',
      category: 'config',
      message: 'A workspaces entry names no package: "packages/empty" in package.json: packages/empty/package.json does not exist; add it or remove the entry',
    });
    writeFileSync(join(root.path, 'package.json'), JSON.stringify({ workspaces: ['./packages/gone/'] }));
    expect(thrown(root.path)).toMatchObject({
      code: 'HARNESS_ERR_WORKSPACE_MISSING',
      message: 'A workspaces entry names no package: "./packages/gone/" in package.json: packages/gone does not exist; add it or remove the entry',
    });
  });
});
