/**
 * The base side of `--against <ref>`: the ref checked out in a temporary git
 * worktree, wired to the repository's installed dependencies, given the
 * candidate's suite files (same workload on both sides, only the code under
 * test differs) and built.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GateContext } from '../../gate.ts';

export interface BaseWorktree {
  dir: string;
  /** Resolved commit of the ref. */
  commit: string;
  notes: string[];
  [Symbol.asyncDispose](): Promise<void>;
}

async function git(context: GateContext, args: readonly string[], cwd = context.root): Promise<string> {
  const r = await context.exec('git', args, { cwd });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${(r.stderr + r.stdout).trim()}`);
  return r.stdout.trim();
}

function workspaceDirs(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: string[] };
  return pkg.workspaces ?? [];
}

/**
 * node_modules of the worktree: every installed package linked from the
 * repository, except `@rampart/*`, which must point at the worktree's own
 * workspaces (a plain symlink of node_modules would measure the candidate twice).
 */
export function linkDependencies(root: string, dir: string): void {
  const nm = join(dir, 'node_modules');
  mkdirSync(join(nm, '@rampart'), { recursive: true });
  const installed = existsSync(join(root, 'node_modules')) ? readdirSync(join(root, 'node_modules')) : [];
  for (const entry of installed) {
    if (entry !== '@rampart') symlinkSync(join(root, 'node_modules', entry), join(nm, entry));
  }
  for (const ws of workspaceDirs(dir)) {
    if (!existsSync(join(dir, ws, 'package.json'))) continue;
    const { name } = JSON.parse(readFileSync(join(dir, ws, 'package.json'), 'utf8')) as { name: string };
    symlinkSync(join(dir, ws), join(nm, name));
    const own = join(root, ws, 'node_modules');
    // A fresh checkout has no node_modules of its own (they are git-ignored).
    if (existsSync(own)) symlinkSync(own, join(dir, ws, 'node_modules'));
  }
}

/** Copies the candidate's suite directories (packages that have suites) over the worktree's. */
function copySuites(root: string, dir: string, packages: readonly string[]): void {
  for (const pkg of packages) {
    const from = join(root, 'benchmarks', pkg);
    rmSync(join(dir, 'benchmarks', pkg), { recursive: true, force: true });
    cpSync(from, join(dir, 'benchmarks', pkg), { recursive: true });
  }
}

async function buildBase(context: GateContext, dir: string, ref: string, commit: string): Promise<void> {
  // A repository without a build (plain JS suites) measures its sources as they are.
  if (!existsSync(join(dir, 'tsconfig.build.json'))) return;
  context.log(`bench: building ${ref} (${commit.slice(0, 10)}) in ${dir}`);
  const tsc = join(context.root, 'node_modules', 'typescript', 'bin', 'tsc');
  const built = await context.exec(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: dir });
  if (built.code !== 0) throw new Error(`build of ${ref} failed: ${(built.stdout + built.stderr).trim().split('\n').slice(0, 8).join(' | ')}`);
}

/**
 * @example
 * await using base = await prepareBase(context, 'HEAD~1', ['vault']);
 * // base.dir/benchmarks/vault/*.bench.ts now measure the HEAD~1 build of @rampart/vault
 */
export async function prepareBase(context: GateContext, ref: string, packages: readonly string[]): Promise<BaseWorktree> {
  const commit = await git(context, ['rev-parse', '--verify', `${ref}^{commit}`]);
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-base-'));
  const dispose = async (): Promise<void> => {
    await context.exec('git', ['worktree', 'remove', '--force', dir], { cwd: context.root });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await git(context, ['worktree', 'add', '--detach', '--force', dir, commit]);
    const notes: string[] = [];
    const lockDiff = await context.exec('git', ['diff', '--quiet', commit, '--', 'package-lock.json'], { cwd: context.root });
    if (lockDiff.code !== 0) notes.push(`package-lock.json differs from ${ref}: the base runs with the current dependencies`);
    for (const note of notes) context.log(`bench: note: ${note}`);
    linkDependencies(context.root, dir);
    copySuites(context.root, dir, packages);
    await buildBase(context, dir, ref, commit);
    return { dir, commit, notes, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
