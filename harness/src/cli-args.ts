/**
 * Command-line parsing for `rampart-harness`. Kept apart from the actions so
 * every accepted and rejected form is unit-tested without running a gate.
 */
import { HarnessError } from './errors.ts';

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'ci'; only: string[]; skip: string[]; json: boolean }
  /** `rampart-harness bench --update`: one gate, the rest are its argv. */
  | { kind: 'gate'; name: string; args: string[] }
  /** `rampart-harness contracts:lock`: an extra command a gate declares. */
  | { kind: 'command'; name: string; args: string[] };

export const USAGE = `Usage:
  rampart-harness ci [--only <gate>]... [--skip <gate>]... [--json]
      Run the gates of harness.config.ts in their declared order.
  rampart-harness <gate> [args...]
      Run one gate; the arguments go to the gate (npm run bench -- --update).
      Only bench and mutation take arguments among the built-in gates.
  rampart-harness <gate>:<command> [args...]
      Run an extra command a gate offers (contracts:lock, api:update).
  rampart-harness --help`;

/**
 * @example
 * parseArgs(['ci', '--skip', 'bench']); // { kind: 'ci', only: [], skip: ['bench'], json: false }
 */
export function parseArgs(argv: readonly string[]): CliCommand {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { kind: 'help' };
  if (first.startsWith('-')) throw new HarnessError('HARNESS_ERR_USAGE', `expected a command before ${first}`);
  if (first === 'ci') return parseCi(rest);
  return { kind: first.includes(':') ? 'command' : 'gate', name: first, args: rest };
}

function parseCi(args: readonly string[]): CliCommand {
  const only: string[] = [];
  const skip: string[] = [];
  let json = false;
  const queue = [...args];
  for (let arg = queue.shift(); arg !== undefined; arg = queue.shift()) {
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    if (flag === '--json' && inline === undefined) {
      json = true;
      continue;
    }
    if (flag !== '--only' && flag !== '--skip') throw new HarnessError('HARNESS_ERR_USAGE', `unknown option ${arg} for ci`);
    const value = inline ?? queue.shift();
    if (value === undefined || value === '' || value.startsWith('-')) {
      throw new HarnessError('HARNESS_ERR_USAGE', `${flag} needs a gate name`);
    }
    (flag === '--only' ? only : skip).push(value);
  }
  return { kind: 'ci', only, skip, json };
}
