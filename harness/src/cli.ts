/**
 * `rampart-harness`: the command line over runGates. Returns an exit code
 * instead of calling process.exit, so the bin sets it and tests call main().
 * Exit codes: 0 all gates passed, 1 a gate (or command) failed, 2 usage or
 * config error.
 */
import type { Gate } from './gate.ts';
import { HarnessError, isHarnessError, messageOf } from './errors.ts';
import { parseArgs, USAGE } from './cli-args.ts';
import { builtinGates } from './gates/registry.ts';
import { loadConfig } from './run/load-config.ts';
import { planOne } from './run/plan.ts';
import type { GateRegistry } from './run/plan.ts';
import { Progress } from './run/progress.ts';
import type { Sink } from './run/progress.ts';
import { contextFor, runGates } from './run/run-gates.ts';
import { checkWorkspaces } from './workspaces.ts';

export interface CliIO {
  stdout?: Sink;
  stderr?: Sink;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  registry?: GateRegistry;
  now?: () => number;
}

/**
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io: CliIO = {}): Promise<number> {
  const resolved = withDefaults(io);
  try {
    const command = parseArgs(argv);
    if (command.kind === 'help') {
      resolved.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (command.kind === 'ci') return (await runGates({ ...resolved, ...command })).exitCode;
    if (command.kind === 'gate') return (await runGates({ ...resolved, gate: command.name, argv: command.args })).exitCode;
    return await runCommand(command.name, command.args, resolved);
  } catch (error) {
    if (!isHarnessError(error)) throw error;
    resolved.stderr.write(`rampart-harness: ${error.code}: ${error.message}\n`);
    if (error.code === 'HARNESS_ERR_USAGE') resolved.stderr.write(`${USAGE}\n`);
    return 2;
  }
}

function withDefaults(io: CliIO): Required<CliIO> {
  return {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
    registry: io.registry ?? builtinGates,
    now: io.now ?? Date.now,
  };
}

async function runCommand(name: string, args: readonly string[], io: Required<CliIO>): Promise<number> {
  const { root, config } = await loadConfig(io.cwd);
  checkWorkspaces(root);
  const command = await findCommand(name, config.gates, io.registry);
  const progress = new Progress(io.stdout, { live: false, color: false, now: io.now });
  const ci = io.env.CI === 'true' || io.env.CI === '1';
  const context = contextFor({ root, config, ci, env: io.env, argv: args, progress });
  try {
    return await command(context);
  } catch (error) {
    // A command refusing its arguments is the caller's mistake: main() prints it with the usage, exit 2.
    if (isHarnessError(error) && error.code === 'HARNESS_ERR_USAGE') throw error;
    io.stderr.write(`rampart-harness: ${name} failed: ${messageOf(error)}\n`);
    return 1;
  }
}

type GateCommand = NonNullable<Gate['commands']>[string];

/** The gate named by the command's prefix (`contracts` for `contracts:lock`), else any configured gate offering it. */
async function findCommand(
  name: string,
  gates: ReadonlyArray<string | Gate>,
  registry: GateRegistry,
): Promise<GateCommand> {
  const prefix = name.slice(0, name.indexOf(':'));
  const candidates = [prefix, ...gates.map((g) => (typeof g === 'string' ? g : g.name)).filter((g) => g !== prefix)];
  const problems: string[] = [];
  for (const candidate of candidates) {
    let gate: Gate;
    try {
      gate = await planOne(gates, registry, candidate).load();
    } catch (error) {
      problems.push(`${candidate}: ${messageOf(error)}`);
      continue;
    }
    const command = gate.commands !== undefined && Object.hasOwn(gate.commands, name) ? gate.commands[name] : undefined;
    if (command !== undefined) return command;
  }
  const why = problems.length > 0 ? ` (could not load ${problems.join('; ')})` : '';
  throw new HarnessError('HARNESS_ERR_UNKNOWN_COMMAND', `"${name}"${why}`);
}
