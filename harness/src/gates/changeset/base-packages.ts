/**
 * The packages published at the base commit, read from git as workspaces.ts
 * reads them on disk: the root package.json's `workspaces`, `dir/*` entries
 * expanded to the directories holding a package.json, `private` ones left out.
 * API reports are named after the workspace directory, so a package's base
 * report is found through its package name, which a moved directory keeps; and
 * a package published at the base but not any more is a removal to account for.
 */
import type { GateContext } from '../../gate.ts';
import { shortName, workspaceEntry } from '../../workspaces.ts';
import { reportPath } from '../api/reports.ts';
import { gitPaths } from '../git-paths.ts';
import { showAtBase } from './base.ts';

export interface BasePackage {
  /** The package name, `@rampart/vault`. */
  name: string;
  /** Its workspace directory at the base, `packages/vault`. */
  dir: string;
  /** Its API report at the base, `contracts/api/vault.api.md`. */
  report: string;
}

interface Manifest {
  name?: unknown;
  private?: unknown;
  workspaces?: unknown;
}

async function manifestAt(context: GateContext, sha: string, path: string): Promise<Manifest | undefined> {
  const text = await showAtBase(context, sha, path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Manifest;
  } catch (error) {
    throw new Error(`${path} at the base (${sha.slice(0, 12)}) is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** The directories a workspaces entry names at the base: itself, or for `dir/*` each directory below it. */
async function expand(context: GateContext, sha: string, entry: string): Promise<string[]> {
  if (!entry.endsWith('/*')) return [entry];
  // A glob whose parent does not exist at the base matches nothing, as on disk.
  return gitPaths(context, ['ls-tree', '-z', '--name-only', sha, '--', `${entry.slice(0, -2)}/`]);
}

/**
 * @example
 * const before = await basePackages(context, base.sha);
 * before.find((p) => p.name === '@rampart/vault')?.report; // 'contracts/api/vault.api.md'
 */
export async function basePackages(context: GateContext, sha: string): Promise<BasePackage[]> {
  const declared = (await manifestAt(context, sha, 'package.json'))?.workspaces;
  const entries = Array.isArray(declared) ? declared.filter((entry): entry is string => typeof entry === 'string') : [];
  const dirs = (await Promise.all(entries.map((entry) => expand(context, sha, workspaceEntry(entry))))).flat();
  const manifests = await Promise.all(dirs.map((dir) => manifestAt(context, sha, `${dir}/package.json`)));
  return dirs.flatMap((dir, i) => {
    const manifest = manifests[i];
    if (manifest === undefined || manifest.private === true || typeof manifest.name !== 'string') return [];
    return [{ name: manifest.name, dir, report: reportPath({ name: shortName(dir), dir }) }];
  });
}
