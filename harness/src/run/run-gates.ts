/**
 * The orchestrator: runs the planned gates one after the other, turns every
 * outcome (pass, fail, throw, missing module) into a GateReport, then prints
 * the summary, writes the reports and ends with `gates: N passed, N failed`.
 * A gate that throws never stops the run: the summary must be complete.
 */
import { join, relative } from 'node:path';
import type { HarnessConfig } from '../config.ts';
import type { Gate, GateContext, GateResult } from '../gate.ts';
import { HarnessError, isHarnessError, messageOf } from '../errors.ts';
import { builtinGates } from '../gates/registry.ts';
import { checkWorkspaces } from '../workspaces.ts';
import { createExec } from './exec.ts';
import { loadConfig, validateConfig } from './load-config.ts';
import { planGates, planOne } from './plan.ts';
import type { GateRegistry, PlannedGate } from './plan.ts';
import { Progress } from './progress.ts';
import type { Sink } from './progress.ts';
import { buildReport, closingLine, summaryTable, writeReports } from './report.ts';
import type { GateReport, HarnessReport } from './report.ts';

export interface RunOptions {
  /** Where to look for harness.config.ts (nearest upward). Default: process.cwd(). */
  cwd?: string;
  /** A config given directly instead of loaded from disk; `root` is then required. */
  config?: HarnessConfig;
  root?: string;
  /** Run only these gates (declared order is kept). */
  only?: readonly string[];
  /** Show these gates as skipped instead of running them. */
  skip?: readonly string[];
  /** Run this one gate (from the config, or any registered gate) with `argv`. */
  gate?: string;
  argv?: readonly string[];
  /** Print the JSON report on stdout; progress and the closing line go to stderr. */
  json?: boolean;
  /**
   * Environment for gates and child processes (default `process.env`). CI mode
   * (`CI=true`/`1`) is read from it only when it is passed explicitly, as the
   * `rampart-harness` CLI does: a programmatic call is never switched into CI
   * mode by the surrounding process, so embedding runGates in a test or a tool
   * behaves the same on a laptop and on a CI runner. Use `ci` to force it.
   */
  env?: NodeJS.ProcessEnv;
  /** Force CI mode on or off (default: from `env` when given, else off). */
  ci?: boolean;
  stdout?: Sink;
  stderr?: Sink;
  registry?: GateRegistry;
  now?: () => number;
  /** Directory for harness.json / harness.md, relative to the root. Default: `reports`. */
  reportsDir?: string;
}

export interface RunOutcome {
  /** 0 when no gate failed, 2 when a gate refused its arguments (a usage error), else 1. */
  exitCode: number;
  report: HarnessReport;
  /** Absolute paths of the report files written. */
  files: string[];
}

/**
 * Runs the quality gates and reports; resolves (never rejects) once every gate
 * has had its turn, except for usage and config errors (HarnessError), a
 * workspaces declaration of the root package.json the gates cannot name or
 * read included (`HARNESS_ERR_WORKSPACE_*`, before any gate runs).
 * @example
 * const { exitCode, report } = await runGates({ skip: ['bench'] });
 * process.exitCode = exitCode;
 */
export async function runGates(options: RunOptions = {}): Promise<RunOutcome> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const { root, config } = await configOf(options);
  // A workspace declaration the gates cannot name or read stops the run before any gate works.
  checkWorkspaces(root);
  const registry = options.registry ?? builtinGates;
  const planned = options.gate === undefined ? planGates(config, registry, options) : [planOne(config.gates, registry, options.gate)];
  const ci = options.ci ?? (options.env !== undefined && (options.env.CI === 'true' || options.env.CI === '1'));
  const stdout = options.stdout ?? process.stdout;
  const log = options.json === true ? (options.stderr ?? process.stderr) : stdout;
  const live = log.isTTY === true && !ci;
  const progress = new Progress(log, { live, color: live && env.NO_COLOR === undefined, now });
  const context = contextFor({ root, config, ci, env, argv: options.argv ?? [], progress });

  const startedAt = new Date(now());
  progress.line(`rampart-harness: ${planned.length} gate${planned.length === 1 ? '' : 's'}: ${planned.map((gate) => gate.name).join(', ')}`);
  const gates: GateReport[] = [];
  let usageError = false;
  for (const gate of planned) {
    const { report, usage } = await runPlanned(gate, context, progress, now);
    gates.push(report);
    usageError ||= usage;
  }

  const report = buildReport(gates, { startedAt, durationMs: now() - startedAt.getTime(), ci });
  const files = writeReports(report, join(root, options.reportsDir ?? 'reports'), env.GITHUB_STEP_SUMMARY);
  if (options.json === true) stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else for (const line of ['', ...summaryTable(report, (s) => progress.status(s)), '']) progress.line(line);
  progress.line(`reports: ${files.map((file) => relative(root, file)).join(', ')}`);
  progress.line(closingLine(report));
  return { exitCode: usageError ? 2 : report.totals.failed > 0 ? 1 : 0, report, files };
}

async function configOf(options: RunOptions): Promise<{ root: string; config: HarnessConfig }> {
  if (options.config === undefined) return loadConfig(options.cwd ?? process.cwd());
  if (options.root === undefined) throw new HarnessError('HARNESS_ERR_USAGE', '`root` is required with `config`');
  // A config passed in code gets the checks a config file gets: a limit that can never be exceeded passes everything.
  return { root: options.root, config: validateConfig(options.config, '`config` option') };
}

interface ContextSetup {
  root: string;
  config: HarnessConfig;
  ci: boolean;
  env: NodeJS.ProcessEnv;
  argv: readonly string[];
  progress: Progress;
}

/**
 * The GateContext the orchestrator hands to every gate (also used for gate commands).
 * @example
 * const context = contextFor({ root, config, ci: false, env: process.env, argv: [], progress });
 */
export function contextFor(setup: ContextSetup): GateContext {
  const log = (line: string) => setup.progress.line(line);
  return {
    root: setup.root,
    ci: setup.ci,
    config: setup.config,
    argv: setup.argv,
    log,
    exec: createExec({ root: setup.root, env: setup.env, onLine: log }),
  };
}

async function runPlanned(gate: PlannedGate, context: GateContext, progress: Progress, now: () => number): Promise<{ report: GateReport; usage: boolean }> {
  if (gate.skipped) {
    progress.end(gate.name, 'skipped', 'skipped (--skip)', 0);
    return { report: { name: gate.name, status: 'skipped', summary: 'skipped (--skip)', durationMs: 0 }, usage: false };
  }
  const started = now();
  progress.begin(gate.name);
  const { result, usage } = await settle(gate, context);
  const durationMs = now() - started;
  progress.end(gate.name, result.status, result.summary, durationMs);
  if (result.status === 'failed') for (const line of logDetails(result.details ?? [])) progress.line(`  ${line}`);
  return { report: { name: gate.name, ...result, durationMs }, usage };
}

async function settle(gate: PlannedGate, context: GateContext): Promise<{ result: GateResult; usage: boolean }> {
  let loaded: Gate;
  try {
    loaded = await gate.load();
  } catch (error) {
    return { result: loadFailure(gate.name, error), usage: false };
  }
  try {
    return { result: checkResult(gate.name, await loaded.run(context)), usage: false };
  } catch (error) {
    // A gate refusing its arguments is the caller's mistake, not the gate's: exit 2, no stack trace.
    if (isHarnessError(error) && error.code === 'HARNESS_ERR_USAGE') {
      return { result: { status: 'failed', summary: 'invalid arguments', details: error.message.split('\n') }, usage: true };
    }
    return { result: { status: 'failed', summary: `threw: ${messageOf(error)}`, details: stackOf(error) }, usage: false };
  }
}

/** The log shows the head of the details; the reports keep all of them. */
const LOG_DETAILS = 15;

function logDetails(details: readonly string[]): string[] {
  if (details.length <= LOG_DETAILS) return [...details];
  return [...details.slice(0, LOG_DETAILS), `… ${details.length - LOG_DETAILS} more in reports/harness.md`];
}

function loadFailure(name: string, error: unknown): GateResult {
  if (isHarnessError(error) && error.code === 'HARNESS_ERR_GATE_MISSING') {
    return { status: 'failed', summary: 'missing: no gate module registers this name', details: [`${error.code}: ${error.message}`] };
  }
  const wrapped = new HarnessError('HARNESS_ERR_GATE_LOAD', `gate "${name}": ${messageOf(error)}`, { cause: error });
  return { status: 'failed', summary: `failed to load: ${messageOf(error)}`, details: [`${wrapped.code}: ${wrapped.message}`] };
}

function checkResult(name: string, result: unknown): GateResult {
  const candidate = result as Partial<GateResult> | null | undefined;
  const statusOk = candidate?.status === 'passed' || candidate?.status === 'failed' || candidate?.status === 'skipped';
  if (!statusOk || typeof candidate.summary !== 'string') {
    throw new HarnessError('HARNESS_ERR_GATE_INVALID', `gate "${name}" must return { status, summary }`);
  }
  return candidate as GateResult;
}

function stackOf(error: unknown): string[] {
  const lines = error instanceof Error && error.stack !== undefined ? error.stack.split('\n') : [messageOf(error)];
  // The top frames locate the throw; the rest is orchestrator plumbing.
  return lines.slice(0, 6).map((line) => line.trim());
}
