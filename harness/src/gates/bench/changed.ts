/**
 * Which benchmarked packages a change touches, so CI measures only those.
 * A README-only change measures nothing (and cannot raise a false alarm);
 * a change to shared build inputs measures everything.
 */
import { messageOf } from '../../errors.ts';
import type { GateContext } from '../../gate.ts';

/** Paths that change how every package is built or run. */
const EVERYTHING = [/^package-lock\.json$/, /^package\.json$/, /^tsconfig[^/]*\.json$/, /^harness\/src\/bench\//];

/**
 * Maps changed paths to packages that have suites.
 * @example
 * touchedPackages(['packages/vault/src/keyring.ts', 'README.md'], ['vault', 'throttler']); // ['vault']
 */
export function touchedPackages(paths: readonly string[], benchmarked: readonly string[]): string[] {
  if (paths.some((p) => EVERYTHING.some((re) => re.test(p)))) return [...benchmarked];
  const hit = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    if (parts.length < 2) continue;
    const [top, name] = [parts[0]!, parts[1]!];
    if ((top === 'packages' || top === 'benchmarks') && benchmarked.includes(name)) hit.add(name);
    if (benchmarked.includes(top) && path.includes('/src/')) hit.add(top);
  }
  return benchmarked.filter((p) => hit.has(p));
}

/**
 * Benchmarked packages touched since `ref`, with a line saying so. When git
 * cannot tell (a shallow clone has no HEAD~1), every package is measured:
 * slower, but never blind.
 * @example
 * const { touched, note } = await touchedSince(context, 'HEAD~1', ['vault', 'throttler']);
 */
export async function touchedSince(context: GateContext, ref: string, benchmarked: readonly string[]): Promise<{ touched: string[]; note: string }> {
  try {
    const touched = touchedPackages(await changedPaths(context, ref), benchmarked);
    return { touched, note: `CI: packages touched since ${ref}: ${touched.join(', ') || 'none'}` };
  } catch (error) {
    return { touched: [...benchmarked], note: `CI: cannot tell what changed (${messageOf(error).split('\n')[0]!}): measuring every package` };
  }
}

/**
 * Paths changed between `ref` and the working tree (committed and not).
 * @example
 * await changedPaths(context, 'HEAD~1'); // ['packages/vault/src/keyring.ts']
 */
export async function changedPaths(context: GateContext, ref: string): Promise<string[]> {
  const r = await context.exec('git', ['diff', '--name-only', ref], { cwd: context.root });
  if (r.code !== 0) throw new Error(`git diff --name-only ${ref} failed: ${r.stderr.trim()}`);
  const untracked = await context.exec('git', ['ls-files', '--others', '--exclude-standard'], { cwd: context.root });
  return [...r.stdout.split('\n'), ...untracked.stdout.split('\n')].map((l) => l.trim()).filter((l) => l !== '');
}
