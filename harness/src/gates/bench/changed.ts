/**
 * Which benchmarked packages a change touches, so CI measures only those.
 * A package is touched by its own files, by its suite or stored baseline, and
 * by any workspace it depends on (transitively): a change in config can slow
 * core and http down. A README-only change measures nothing (and cannot raise
 * a false alarm); a change to shared build inputs measures everything.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { messageOf } from '../../errors.ts';
import type { GateContext } from '../../gate.ts';
import { workspaces } from '../../workspaces.ts';
import { gitPaths } from '../git-paths.ts';

/** Paths that change how every package is built or run. */
const EVERYTHING = [/^package-lock\.json$/, /^package\.json$/, /^tsconfig[^/]*\.json$/, /^harness\/src\/bench\//];

/** A workspace (by short name) and the workspaces it depends on. */
export interface WorkspaceNode {
  name: string;
  /** Directory relative to the repository root, e.g. `packages/core`. */
  dir: string;
  /** Short names of the workspaces named in its dependencies, peerDependencies or devDependencies. */
  dependsOn: string[];
}

interface Manifest {
  name?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * The workspaces of `root` and their dependencies on each other, read from
 * each package.json (`@rampart/*` names that are workspaces of this repo).
 * @example
 * workspaceGraph('/repo'); // [{ name: 'core', dir: 'packages/core', dependsOn: ['config'] }, ...]
 */
export function workspaceGraph(root: string): WorkspaceNode[] {
  const manifests = workspaces(root).map((ws) => ({ ws, pkg: JSON.parse(readFileSync(join(root, ws.dir, 'package.json'), 'utf8')) as Manifest }));
  const byPackage = new Map(manifests.map(({ ws, pkg }) => [pkg.name ?? '', ws.name]));
  return manifests.map(({ ws, pkg }) => {
    const named = [pkg.dependencies, pkg.peerDependencies, pkg.devDependencies].flatMap((deps) => Object.keys(deps ?? {}));
    const dependsOn = named.filter((dep) => dep.startsWith('@rampart/')).flatMap((dep) => byPackage.get(dep) ?? []);
    return { name: ws.name, dir: ws.dir, dependsOn: [...new Set(dependsOn)].sort() };
  });
}

/** The package a path belongs to directly: its workspace, its suite, its stored baseline. */
function ownersOf(path: string, graph: readonly WorkspaceNode[]): string[] {
  const parts = path.split('/');
  if (parts[0] === 'benchmarks' && parts.length >= 3) {
    // benchmarks/baselines/<pkg>.json holds <pkg>'s stored results: a change there is checked by measuring <pkg>.
    if (parts[1] === 'baselines') return parts.length === 3 && parts[2]!.endsWith('.json') ? [parts[2]!.slice(0, -'.json'.length)] : [];
    return [parts[1]!];
  }
  // Under packages/ every file counts (package.json, build config); elsewhere (harness, mocks) only src/.
  const owns = (ws: WorkspaceNode): boolean => path.startsWith(`${ws.dir}/`) && (ws.dir.startsWith('packages/') || path.startsWith(`${ws.dir}/src/`));
  const owners = graph.filter(owns).map((ws) => ws.name);
  // A package directory not (yet) declared as a workspace still maps to its name.
  if (owners.length === 0 && parts[0] === 'packages' && parts.length >= 3) return [parts[1]!];
  return owners;
}

/** `touched` plus every workspace that depends on one of them, transitively. */
function withDependents(touched: ReadonlySet<string>, graph: readonly WorkspaceNode[]): Set<string> {
  const all = new Set(touched);
  for (let grew = true; grew; ) {
    grew = false;
    for (const ws of graph) {
      if (!all.has(ws.name) && ws.dependsOn.some((dep) => all.has(dep))) {
        all.add(ws.name);
        grew = true;
      }
    }
  }
  return all;
}

/**
 * Maps changed paths to packages that have suites, with their dependents.
 * @example
 * const graph = [{ name: 'config', dir: 'packages/config', dependsOn: [] }, { name: 'core', dir: 'packages/core', dependsOn: ['config'] }];
 * touchedPackages(['packages/config/src/load.ts', 'README.md'], ['config', 'core', 'vault'], graph); // ['config', 'core']
 */
export function touchedPackages(paths: readonly string[], benchmarked: readonly string[], graph: readonly WorkspaceNode[]): string[] {
  if (paths.some((p) => EVERYTHING.some((re) => re.test(p)))) return [...benchmarked];
  const hit = withDependents(new Set(paths.flatMap((path) => ownersOf(path, graph))), graph);
  return benchmarked.filter((p) => hit.has(p));
}

/**
 * Benchmarked packages touched since `ref`, with a line saying so. When git
 * cannot tell (a shallow clone has no HEAD~1), or the workspaces' package.json
 * files cannot be read, every package is measured: slower, but never blind.
 * @example
 * const { touched, note } = await touchedSince(context, 'HEAD~1', ['vault', 'throttler']);
 */
export async function touchedSince(
  context: GateContext,
  ref: string,
  benchmarked: readonly string[],
  graph?: readonly WorkspaceNode[],
): Promise<{ touched: string[]; note: string }> {
  try {
    const touched = touchedPackages(await changedPaths(context, ref), benchmarked, graph ?? workspaceGraph(context.root));
    return { touched, note: `CI: packages touched since ${ref}: ${touched.join(', ') || 'none'}` };
  } catch (error) {
    return { touched: [...benchmarked], note: `CI: cannot tell what changed (${messageOf(error).split('\n')[0]!}): measuring every package` };
  }
}

/**
 * Paths changed between `ref` and the working tree (committed and not),
 * NUL-separated (`-z`): git otherwise quotes a non-ASCII path
 * (`"packages/vault/src/gr\303\266\303\237e.ts"`), which then belongs to
 * no package, so the package it slowed down would not be measured.
 * @example
 * await changedPaths(context, 'HEAD~1'); // ['packages/vault/src/keyring.ts']
 */
export async function changedPaths(context: GateContext, ref: string): Promise<string[]> {
  const r = await context.exec('git', ['diff', '--name-only', '-z', ref], { cwd: context.root });
  if (r.code !== 0) throw new Error(`git diff --name-only ${ref} failed: ${r.stderr.trim()}`);
  const untracked = await gitPaths(context, ['ls-files', '-z', '--others', '--exclude-standard']);
  return [...r.stdout.split('\0').filter((path) => path !== ''), ...untracked];
}
