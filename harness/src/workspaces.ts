/**
 * The workspaces of a monorepo, read from its root package.json, with the
 * short names used for vitest projects, coverage floors and gate reports.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { HarnessError, isHarnessError } from './errors.ts';

export interface Workspace {
  /** Short name: `core` for packages/core, `example-hello` for examples/hello. */
  name: string;
  /** Directory relative to the repository root, `/`-separated. */
  dir: string;
}

/**
 * Lists the workspaces declared in `<root>/package.json`. Entries ending in
 * `/*` expand to the directories below them that hold a package.json; a
 * directory listed twice is one workspace. Throws a HarnessError for what the
 * harness cannot read or name: an entry with another glob
 * (`HARNESS_ERR_WORKSPACE_GLOB`), an entry naming no package
 * (`HARNESS_ERR_WORKSPACE_MISSING`), two workspaces with the same short name
 * (`HARNESS_ERR_WORKSPACE_NAME_CLASH`).
 * @example
 * workspaces('/repo'); // [{ name: 'core', dir: 'packages/core' }, ...]
 */
export function workspaces(root: string): Workspace[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: unknown };
  const declared = Array.isArray(pkg.workspaces) ? (pkg.workspaces as unknown[]) : [];
  const dirs = declared
    .filter((entry): entry is string => typeof entry === 'string')
    .flatMap((entry) => expand(root, entry));
  const found = [...new Set(dirs)].map((dir) => ({ dir, name: shortName(dir) }));
  refuseClashes(found);
  return found;
}

/**
 * Checks the workspaces declaration of `<root>/package.json` before any gate
 * runs, so a clash or an unreadable entry stops the run with its code instead
 * of surfacing inside one gate. A root without a readable package.json is left
 * to the gates that need one (many repositories and tests have none).
 * @example
 * checkWorkspaces(root); // throws HARNESS_ERR_WORKSPACE_NAME_CLASH, …
 */
export function checkWorkspaces(root: string): void {
  try {
    workspaces(root);
  } catch (error) {
    if (isHarnessError(error)) throw error;
  }
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

/**
 * Glob syntax npm reads in a `workspaces` entry (`*`, `?`, `[…]`, `{a,b}`, a
 * leading `!`, extglobs `@(…)`, `+(…)`, `!(…)`) other than one trailing `/*`.
 * `@scope`, `a+b` or `a(1)` alone are plain names.
 */
const GLOB = /[*?[\]{}]|^!|[@+!]\(/;

function expand(root: string, raw: string): string[] {
  const entry = workspaceEntry(raw);
  const star = entry.endsWith('/*');
  const dir = star ? entry.slice(0, -2) : entry;
  if (GLOB.test(dir)) {
    throw new HarnessError(
      'HARNESS_ERR_WORKSPACE_GLOB',
      `${JSON.stringify(raw)} in package.json; supported are a directory ("packages/core") and the directories directly below one ("packages/*"): list the workspaces in those forms`,
    );
  }
  return star ? children(root, dir) : [literal(root, raw, dir)];
}

function children(root: string, parent: string): string[] {
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

/** A plain entry must name a package: every gate that reads its package.json would fail on ENOENT. */
function literal(root: string, raw: string, dir: string): string {
  if (isFile(join(root, dir, 'package.json'))) return dir;
  const missing = existsSync(join(root, dir)) ? `${dir}/package.json` : dir;
  throw new HarnessError('HARNESS_ERR_WORKSPACE_MISSING', `${JSON.stringify(raw)} in package.json: ${missing} does not exist; add it or remove the entry`);
}

function refuseClashes(found: readonly Workspace[]): void {
  const byName = new Map<string, string[]>();
  for (const { name, dir } of found) byName.set(name, [...(byName.get(name) ?? []), dir]);
  const clashes = [...byName].filter(([, dirs]) => dirs.length > 1);
  if (clashes.length === 0) return;
  const listed = clashes.map(([name, dirs]) => `${JSON.stringify(name)} is ${dirs.slice(0, -1).join(', ')} and ${dirs.at(-1)}`).join('; ');
  throw new HarnessError(
    'HARNESS_ERR_WORKSPACE_NAME_CLASH',
    `${listed}; the name keys vitest projects, coverage floors, API reports (contracts/api/<name>.api.md), benchmarks and mutation reports, so rename one of the directories`,
  );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    // Missing entry: not a workspace.
    return false;
  }
}
