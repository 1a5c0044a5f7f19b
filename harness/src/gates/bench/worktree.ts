/**
 * The base side of `--against <ref>`: the ref checked out in a temporary git
 * worktree, wired to the repository's installed dependencies, given the
 * candidate's suite files (same workload on both sides, only the code under
 * test differs) and built.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GateContext } from '../../gate.ts';
import { workspaces } from '../../workspaces.ts';

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
  // Read as everywhere else (a `packages/*` entry expanded, `./` dropped): raw entries would link nothing for a glob.
  // Each one holds a package.json: workspaces() refuses an entry that names no package.
  for (const { dir: ws } of workspaces(dir)) {
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
 * Each base worktree is locked with this reason, naming the process that owns
 * it: a run that is killed (Ctrl-C twice, SIGKILL, a CI timeout) never reaches
 * its dispose, and the next run removes what it left behind.
 */
const OWNER = /^rampart-harness bench pid (\d+) on (.+)$/;
const ownerReason = (): string => `rampart-harness bench pid ${String(process.pid)} on ${hostname()}`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Worktrees (path, lock reason) from `git worktree list --porcelain`. */
function lockedWorktrees(porcelain: string): { path: string; reason: string }[] {
  return porcelain.split(/\n\n+/).flatMap((block) => {
    const path = /^worktree (.+)$/m.exec(block)?.[1];
    const reason = /^locked (.+)$/m.exec(block)?.[1];
    return path === undefined || reason === undefined ? [] : [{ path, reason }];
  });
}

/** Removes base worktrees whose owning run, on this machine, is gone. */
async function removeAbandoned(context: GateContext): Promise<void> {
  const list = await context.exec('git', ['worktree', 'list', '--porcelain'], { cwd: context.root });
  for (const { path, reason } of list.code === 0 ? lockedWorktrees(list.stdout) : []) {
    const owner = OWNER.exec(reason);
    if (owner === null || owner[2] !== hostname() || alive(Number(owner[1]))) continue;
    await context.exec('git', ['worktree', 'remove', '--force', '--force', path], { cwd: context.root });
    rmSync(path, { recursive: true, force: true });
    context.log(`bench: removed ${path}, a base worktree left by an interrupted run (pid ${owner[1] as string})`);
  }
  // Drops the records of worktrees whose directory is already gone (a cleaned /tmp).
  await context.exec('git', ['worktree', 'prune'], { cwd: context.root });
}

/**
 * @example
 * await using base = await prepareBase(context, 'HEAD~1', ['vault']);
 * // base.dir/benchmarks/vault/*.bench.ts now measure the HEAD~1 build of @rampart/vault
 */
export async function prepareBase(context: GateContext, ref: string, packages: readonly string[]): Promise<BaseWorktree> {
  const commit = await git(context, ['rev-parse', '--verify', `${ref}^{commit}`]);
  await removeAbandoned(context);
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-base-'));
  const dispose = async (): Promise<void> => {
    // Twice --force: the worktree is locked (see OWNER).
    await context.exec('git', ['worktree', 'remove', '--force', '--force', dir], { cwd: context.root });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await git(context, ['worktree', 'add', '--detach', '--force', '--lock', '--reason', ownerReason(), dir, commit]);
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
