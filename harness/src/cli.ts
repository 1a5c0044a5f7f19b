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
  const stderr = io.stderr ?? process.stderr;
  try {
    const command = parseArgs(argv);
    const common = { cwd: io.cwd, env: io.env, stdout: io.stdout, stderr: io.stderr, registry: io.registry, now: io.now };
    if (command.kind === 'help') {
      (io.stdout ?? process.stdout).write(`${USAGE}\n`);
      return 0;
    }
    if (command.kind === 'ci') return (await runGates({ ...common, ...command })).exitCode;
    if (command.kind === 'gate') return (await runGates({ ...common, gate: command.name, argv: command.args })).exitCode;
    return await runCommand(command.name, command.args, io);
  } catch (error) {
    if (!isHarnessError(error)) throw error;
    stderr.write(`rampart-harness: ${error.code}: ${error.message}\n`);
    if (error.code === 'HARNESS_ERR_USAGE') stderr.write(`${USAGE}\n`);
    return 2;
  }
}

async function runCommand(name: string, args: readonly string[], io: CliIO): Promise<number> {
  const env = io.env ?? process.env;
  const { root, config } = await loadConfig(io.cwd ?? process.cwd());
  const registry = io.registry ?? builtinGates;
  const gate = await findCommandGate(name, config.gates, registry);
  const out = io.stdout ?? process.stdout;
  const progress = new Progress(out, { live: false, color: false, now: io.now ?? Date.now });
  const ci = env.CI === 'true' || env.CI === '1';
  const context = contextFor({ root, config, ci, env, argv: args, progress });
  const command = gate.commands?.[name];
  /* v8 ignore next -- findCommandGate only returns a gate that has the command */
  if (command === undefined) throw new HarnessError('HARNESS_ERR_UNKNOWN_COMMAND', name);
  try {
    return await command(context);
  } catch (error) {
    (io.stderr ?? process.stderr).write(`rampart-harness: ${name} failed: ${messageOf(error)}\n`);
    return 1;
  }
}

/** The gate named by the command's prefix (`contracts` for `contracts:lock`), else any configured gate offering it. */
async function findCommandGate(name: string, gates: ReadonlyArray<string | Gate>, registry: GateRegistry): Promise<Gate> {
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
    if (gate.commands !== undefined && Object.hasOwn(gate.commands, name)) return gate;
  }
  const why = problems.length > 0 ? ` (could not load ${problems.join('; ')})` : '';
  throw new HarnessError('HARNESS_ERR_UNKNOWN_COMMAND', `"${name}"${why}`);
}
