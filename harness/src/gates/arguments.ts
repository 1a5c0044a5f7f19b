/**
 * For the gates and gate commands that take no arguments (every built-in gate
 * but `bench` and `mutation`, and `contracts:lock`, `api:update`): anything
 * passed to them is refused with a usage error, never ignored, so
 * `rampart-harness typecheck --package core` cannot pass for a run it was not.
 */
import { HarnessError } from '../errors.ts';

/**
 * Throws `HARNESS_ERR_USAGE` naming `name` and the arguments when there are any.
 * @example
 * refuseArguments('typecheck', context.argv); // typecheck accepts no arguments, got: --package core
 */
export function refuseArguments(name: string, argv: readonly string[]): void {
  if (argv.length === 0) return;
  throw new HarnessError('HARNESS_ERR_USAGE', `${name} accepts no arguments, got: ${argv.map(shown).join(' ')}`);
}

/** An argument as a shell would read it back: quoted when empty or holding anything but plain characters. */
function shown(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg);
}
