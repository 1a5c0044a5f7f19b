/**
 * The workspaces of a monorepo, read from its root package.json, with the
 * short names used for vitest projects, coverage floors and gate reports.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface Workspace {
  /** Short name: `core` for packages/core, `example-hello` for examples/hello. */
  name: string;
  /** Directory relative to the repository root, `/`-separated. */
  dir: string;
}

/**
 * Lists the workspaces declared in `<root>/package.json`. Entries ending in
 * `/*` expand to the directories below them that hold a package.json.
 * @example
 * workspaces('/repo'); // [{ name: 'core', dir: 'packages/core' }, ...]
 */
export function workspaces(root: string): Workspace[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: unknown };
  const declared = Array.isArray(pkg.workspaces) ? (pkg.workspaces as unknown[]) : [];
  return declared
    .filter((entry): entry is string => typeof entry === 'string')
    .flatMap((entry) => expand(root, workspaceEntry(entry)))
    .map((dir) => ({ dir, name: shortName(dir) }));
}

/**
 * A `workspaces` entry as a root-relative path the way git and coverage name
 * files: `./packages/*` (npm's own examples write it so) is `packages/*`, and
 * a trailing `/` is dropped. Kept as written, `./packages/core` would match no
 * `packages/core/src/…` path: no changeset, coverage floor or bench ownership.
 * @example
 * workspaceEntry('./packages/core/'); // 'packages/core'
 */
export function workspaceEntry(entry: string): string {
  // join() normalizes the path (`./`, `//`), and joining `.` drops a trailing `/`.
  return posix.join(entry, '.');
}

/** `examples/hello` → `example-hello`; any other `a/b` → `b`. */
export function shortName(dir: string): string {
  const last = dir.slice(dir.lastIndexOf('/') + 1);
  return dir.startsWith('examples/') ? `example-${last}` : last;
}

function expand(root: string, entry: string): string[] {
  if (!entry.endsWith('/*')) return [entry];
  const parent = entry.slice(0, -2);
  let names: string[];
  try {
    names = readdirSync(join(root, parent)).sort();
  } catch {
    // A glob whose parent does not exist yet matches nothing, as npm treats it.
    return [];
  }
  return names
    .filter((name) => isFile(join(root, parent, name, 'package.json')))
    .map((name) => `${parent}/${name}`);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    // Missing entry: not a workspace.
    return false;
  }
}
