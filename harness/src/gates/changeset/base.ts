/**
 * The commit a change is compared with: `RAMPART_BASE_REF` if set, else
 * `origin/main` when it exists and differs from HEAD, else local `main`; the
 * base is the merge-base of that ref and HEAD. When HEAD is the base (CI on
 * main) there is nothing to compare.
 */
import type { GateContext } from '../../gate.ts';

export type BaseResolution = { kind: 'base'; ref: string; sha: string } | { kind: 'none'; note: string };

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
 * if (base.kind === 'none') return { status: 'passed', summary: base.note };
 */
export async function resolveBase(context: GateContext, env: NodeJS.ProcessEnv): Promise<BaseResolution> {
  const head = await revParse(context, 'HEAD');
  if (head === undefined) return { kind: 'none', note: 'not a git checkout with commits: nothing to compare' };
  const ref = await pickRef(context, head, env);
  if (ref === undefined) return { kind: 'none', note: 'no base branch (set RAMPART_BASE_REF): nothing to compare' };
  const sha = await git(context, ['merge-base', ref, 'HEAD']);
  if (sha === undefined) throw new Error(`base ref "${ref}" has no merge-base with HEAD (is it fetched? set RAMPART_BASE_REF)`);
  if (sha === head) return { kind: 'none', note: `HEAD is the base (${ref}): nothing to compare` };
  return { kind: 'base', ref, sha };
}

/** Files changed since the base: committed, staged, unstaged and untracked. */
export async function changedFiles(context: GateContext, sha: string): Promise<string[]> {
  const tracked = (await git(context, ['diff', '--name-only', '--no-renames', sha])) ?? '';
  const untracked = (await git(context, ['ls-files', '--others', '--exclude-standard'])) ?? '';
  return [...new Set([...tracked.split('\n'), ...untracked.split('\n')].filter((line) => line !== ''))].sort();
}

/** A file's text at the base commit, or undefined when it did not exist there. */
export function showAtBase(context: GateContext, sha: string, path: string): Promise<string | undefined> {
  return context.exec('git', ['show', `${sha}:${path}`], { cwd: context.root }).then((result) => (result.code === 0 ? result.stdout : undefined));
}
