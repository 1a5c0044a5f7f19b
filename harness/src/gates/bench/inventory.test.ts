import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempRoot } from '../../test-support/sinks.ts';
import { findSuites } from '../../bench/discover.ts';
import { selectSuites, takeInventory } from './inventory.ts';

function suite(pkg: string, names: string[]): string {
  return `export default { package: '${pkg}', tasks: ${JSON.stringify(names.map((name) => ({ name })))} };`;
}

describe('takeInventory', () => {
  it('lists tasks per suite file and reports naming problems', async () => {
    using root = tempRoot();
    const put = (path: string, text: string): void => {
      mkdirSync(join(root.path, 'benchmarks', path, '..'), { recursive: true });
      writeFileSync(join(root.path, 'benchmarks', path), text);
    };
    put('vault/a.bench.ts', suite('vault', ['vault/encrypt/1KiB', 'vault/decrypt/1KiB']));
    put('vault/b.bench.ts', suite('vault', ['vault/encrypt/1KiB', 'Vault Encrypt']));
    put('core/c.bench.ts', suite('kore', ['core/resolve']));
    put('http/d.bench.ts', 'throw new Error("cannot load");');
    const inv = await takeInventory(root.path, findSuites(join(root.path, 'benchmarks')), ['vault/**']);
    expect(inv.tasks).toEqual(['vault/decrypt/1KiB', 'vault/encrypt/1KiB']);
    expect([...inv.all.keys()].sort()).toEqual(['Vault Encrypt', 'core/resolve', 'vault/decrypt/1KiB', 'vault/encrypt/1KiB']);
    expect(inv.files.get('vault/decrypt/1KiB')).toBe('vault/a.bench.ts');
    expect(inv.problems).toEqual([
      'core/c.bench.ts: suite says package "kore", its directory says "core"',
      `http/d.bench.ts: cannot be loaded: candidate: ${join(root.path, 'benchmarks/http/d.bench.ts')} exited with 1: Error: cannot load`,
      'vault/b.bench.ts: task "vault/encrypt/1KiB" is also defined in vault/a.bench.ts',
      'vault/b.bench.ts: task "Vault Encrypt" must be named vault/<operation>[/<size>]',
    ]);
  });
});

describe('selectSuites', () => {
  const suites = [
    { package: 'core', path: '/r/benchmarks/core/di.bench.ts', relative: 'core/di.bench.ts' },
    { package: 'vault', path: '/r/benchmarks/vault/aead.bench.ts', relative: 'vault/aead.bench.ts' },
    { package: 'vault', path: '/r/benchmarks/vault/kdf.bench.ts', relative: 'vault/kdf.bench.ts' },
  ];

  it('keeps every suite without --package, and only the named packages with it', () => {
    expect(selectSuites(suites, [])).toEqual(suites);
    expect(selectSuites(suites, ['vault']).map((s) => s.relative)).toEqual(['vault/aead.bench.ts', 'vault/kdf.bench.ts']);
    expect(selectSuites(suites, ['vault', 'core'])).toEqual(suites);
  });

  it('refuses a --package that has no suites, naming those that do', () => {
    expect(() => selectSuites(suites, ['vault', 'valt'])).toThrow(
      'Invalid command line: bench: --package valt: no benchmarks/<name>/*.bench.ts (packages with suites: core, vault)',
    );
    expect(() => selectSuites([], ['vault'])).toThrow('(packages with suites: none)');
  });
});
