/**
 * The commit a change is compared with: `RAMPART_BASE_REF` if set, else
 * `origin/main` when it exists and differs from HEAD, else local `main`; the
 * base is the merge-base of that ref and HEAD. When HEAD is the base (CI on
 * main) there is nothing committed to compare. Used by the changeset and
 * contracts gates.
 */
import type { GateContext } from '../../gate.ts';
import { gitPaths } from '../git-paths.ts';

export type BaseResolution =
  | { kind: 'base'; ref: string; sha: string }
  /** HEAD is the base (CI on main): no commits to compare, though the working tree can still be compared with HEAD. */
  | { kind: 'head'; ref: string; sha: string; note: string }
  /** No base at all: a shallow clone, no base branch, no git. */
  | { kind: 'missing'; note: string };

async function git(context: GateContext, args: string[]): Promise<string | undefined> {
  const result = await context.exec('git', args, { cwd: context.root });
  return result.code === 0 ? result.stdout.trim() : undefined;
}

export async function revParse(context: GateContext, ref: string): Promise<string | undefined> {
  return git(context, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
}

async function pickRef(context: GateContext, head: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const explicit = env.RAMPART_BASE_REF?.trim();
  if (explicit) return explicit;
  const origin = await revParse(context, 'origin/main');
  if (origin !== undefined && origin !== head) return 'origin/main';
  return (await revParse(context, 'main')) === undefined ? undefined : 'main';
}

/**
 * @example
 * const base = await resolveBase(context, process.env);
 * if (base.kind !== 'base') return { status: 'passed', summary: base.note };
 */
export async function resolveBase(context: GateContext, env: NodeJS.ProcessEnv): Promise<BaseResolution> {
  const head = await revParse(context, 'HEAD');
  if (head === undefined) return { kind: 'missing', note: 'not a git checkout with commits: nothing to compare' };
  const ref = await pickRef(context, head, env);
  if (ref === undefined) return { kind: 'missing', note: 'no base branch (set RAMPART_BASE_REF): nothing to compare' };
  const sha = await git(context, ['merge-base', ref, 'HEAD']);
  if (sha === undefined) throw new Error(`base ref "${ref}" has no merge-base with HEAD (is it fetched? set RAMPART_BASE_REF)`);
  if (sha === head) return { kind: 'head', ref, sha, note: `HEAD is the base (${ref}): nothing to compare` };
  return { kind: 'base', ref, sha };
}

/**
 * Why a gate fails in CI without a base. A gate that compares with the base
 * and finds none would otherwise pass every pull request unseen (a one-commit
 * checkout has neither `main` nor `origin/main`).
 * @example
 * if (base.kind === 'missing' && context.ci) return { status: 'failed', summary: 'no base to compare with', details: missingBaseDetails(base.note) };
 */
export function missingBaseDetails(note: string): string[] {
  return [
    `CI=true but there is no base commit: ${note}`,
    'fetch the history (actions/checkout with fetch-depth: 0) and set RAMPART_BASE_REF to the target branch, e.g. origin/main',
  ];
}

/**
 * Files changed since the base: committed, staged, unstaged and untracked.
 * `-z` because git otherwise quotes a path with a non-ASCII or special
 * character (`"packages/x/src/gr\303\266\303\237e.ts"`), which then matches no
 * workspace and lets a change pass without a changeset.
 */
export async function changedFiles(context: GateContext, sha: string): Promise<string[]> {
  const tracked = await gitPaths(context, ['diff', '--name-only', '-z', '--no-renames', sha]);
  const untracked = await gitPaths(context, ['ls-files', '-z', '--others', '--exclude-standard']);
  return [...new Set([...tracked, ...untracked])].sort();
}

/** A file's text at the base commit, or undefined when it did not exist there. */
export function showAtBase(context: GateContext, sha: string, path: string): Promise<string | undefined> {
  return context.exec('git', ['show', `${sha}:${path}`], { cwd: context.root }).then((result) => (result.code === 0 ? result.stdout : undefined));
}
