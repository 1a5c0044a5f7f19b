import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempRoot } from '../test-support/sinks.ts';
import { findSuites, selectTasks } from './discover.ts';

describe('findSuites', () => {
  it('finds *.bench.ts under package directories, skipping baselines and node_modules', () => {
    using root = tempRoot();
    for (const path of ['vault/encrypt.bench.ts', 'vault/deep/kdf.bench.ts', 'vault/helper.ts', 'core/di.bench.ts', 'baselines/x.bench.ts', 'core/node_modules/y.bench.ts']) {
      mkdirSync(join(root.path, path, '..'), { recursive: true });
      writeFileSync(join(root.path, path), '');
    }
    writeFileSync(join(root.path, 'README.md'), '');
    expect(findSuites(root.path).map((s) => [s.package, s.relative])).toEqual([
      ['core', 'core/di.bench.ts'], ['vault', 'vault/deep/kdf.bench.ts'], ['vault', 'vault/encrypt.bench.ts'],
    ]);
    expect(findSuites(root.path, ['vault']).map((s) => s.relative)).toEqual(['vault/deep/kdf.bench.ts', 'vault/encrypt.bench.ts']);
    expect(findSuites(root.path)[0]?.path).toBe(join(root.path, 'core/di.bench.ts'));
  });

  it('finds nothing without a benchmarks directory', () => {
    expect(findSuites('/nonexistent/benchmarks')).toEqual([]);
  });
});

describe('selectTasks', () => {
  it('keeps every task without globs and matches globs otherwise', () => {
    const names = ['vault/encrypt/1KiB', 'vault/decrypt/1KiB', 'core/resolve'];
    expect(selectTasks(names, [])).toEqual(names);
    expect(selectTasks(names, ['vault/encrypt/*'])).toEqual(['vault/encrypt/1KiB']);
    expect(selectTasks(names, ['core/*', '*/decrypt/*'])).toEqual(['vault/decrypt/1KiB', 'core/resolve']);
  });
});
