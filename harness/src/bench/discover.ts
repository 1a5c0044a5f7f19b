/**
 * Finds suite files (`benchmarks/<package>/**\/*.bench.ts`) and applies the
 * `--package` / `--filter` selection.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, matchesGlob, relative, sep } from 'node:path';
import { byCodeUnit } from './format.ts';

export interface SuiteFile {
  /** Directory name under benchmarks/, which must equal the suite's `package`. */
  package: string;
  /** Absolute path. */
  path: string;
  /** Path relative to the benchmarks directory, e.g. `vault/encrypt.bench.ts`. */
  relative: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path);
    return entry.name.endsWith('.bench.ts') ? [path] : [];
  });
}

/**
 * @example
 * findSuites('/repo/benchmarks', ['vault']); // [{ package: 'vault', path: '/repo/benchmarks/vault/encrypt.bench.ts', ... }]
 */
export function findSuites(benchDir: string, packages: readonly string[] = []): SuiteFile[] {
  if (!existsSync(benchDir)) return [];
  return readdirSync(benchDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'baselines' && (packages.length === 0 || packages.includes(e.name)))
    .flatMap((e) => walk(join(benchDir, e.name)).map((path) => ({
      package: e.name,
      path,
      relative: relative(benchDir, path).split(sep).join('/'),
    })))
    .sort((a, b) => byCodeUnit(a.relative, b.relative));
}

/**
 * Task names selected by `--filter` globs (all when no glob is given).
 * @example
 * selectTasks(['vault/encrypt/1KiB', 'vault/decrypt/1KiB'], ['vault/encrypt/*']); // ['vault/encrypt/1KiB']
 */
export function selectTasks(names: readonly string[], globs: readonly string[]): string[] {
  if (globs.length === 0) return [...names];
  return names.filter((n) => globs.some((g) => matchesGlob(n, g)));
}
