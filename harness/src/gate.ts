/**
 * The one interface every quality gate implements. A gate is a small module
 * with a name and a `run(context)` that returns data, never prints a verdict
 * of its own: the orchestrator owns ordering, timing, the summary and exit codes.
 */
import type { HarnessConfig } from './config.ts';

export type GateStatus = 'passed' | 'failed' | 'skipped';

export interface GateResult {
  status: GateStatus;
  /** One short key figure for the summary table, e.g. `412 passed, 0 failed` or `lines 97.1%`. */
  summary: string;
  /** Machine-readable figures written to reports/harness.json. */
  figures?: Record<string, number | string | boolean>;
  /** Lines that explain a failure (or notable facts) to a human. */
  details?: string[];
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Stream the child's output to the harness log while capturing it. */
  stream?: boolean;
}

export interface GateContext {
  /** Absolute path of the repository root (where harness.config.ts lives). */
  root: string;
  /** True under CI=true: gates are stricter (e.g. unlocked contract tests fail). */
  ci: boolean;
  config: HarnessConfig;
  /**
   * Extra CLI arguments passed after the gate name (`npm run bench -- --update`).
   * A gate that reads them throws `HarnessError('HARNESS_ERR_USAGE', …)` for
   * arguments it does not take: the orchestrator reports it and exits 2. A
   * gate that takes none refuses any it is given (the built-in ones and
   * `commandGate` gates do), so a run is never taken for one it was not.
   */
  argv: readonly string[];
  log(line: string): void;
  exec(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
}

export interface Gate {
  name: string;
  description: string;
  run(context: GateContext): Promise<GateResult>;
  /**
   * Extra subcommands the gate offers on the CLI, e.g. the contracts gate's
   * `contracts:lock`. Each returns a process exit code.
   */
  commands?: Record<string, (context: GateContext) => Promise<number>>;
}
