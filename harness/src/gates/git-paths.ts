/**
 * Paths listed by git, NUL-separated (`-z`): without it git quotes a path with
 * a non-ASCII or special character (`"src/gr\303\266\303\237e.ts"`), which then
 * matches no file or workspace, so that file would be silently left out.
 */
import type { GateContext } from '../gate.ts';

/**
 * Runs `git <args>` (which must include `-z`) in the root and splits its output.
 * A failed git is an error, never "no paths".
 * @example
 * await gitPaths(context, ['ls-files', '-z', '--others', '--exclude-standard']);
 */
export async function gitPaths(context: GateContext, args: readonly string[]): Promise<string[]> {
  const result = await context.exec('git', args, { cwd: context.root });
  if (result.code !== 0) throw new Error(`git ${args[0] ?? ''} failed (exit ${result.code}): ${result.stderr.trim()}`);
  return result.stdout.split('\0').filter((path) => path !== '');
}
