/**
 * Command-line options of the bench gate (`npm run bench -- <options>`).
 */
import { parseArgs } from 'node:util';
import { MIN_SAMPLES } from '../../bench/verdict.ts';

export interface BenchOptions {
  /** Rewrite baselines, PERFORMANCE.md and the chart. */
  update: boolean;
  /** Let --update overwrite a baseline the new numbers show as regressed. */
  acceptRegression: boolean;
  /** Compare side by side with this git ref (built in a temporary worktree). */
  against?: string;
  packages: string[];
  filters: string[];
  /** Fresh-process runs per side; undefined = mode default. */
  rounds?: number;
  time: number;
  warmupTime: number;
  /** Measurement budget in seconds (CI): rounds shrink to fit, never below 8. */
  budget?: number;
  build: boolean;
}

export const USAGE = 'npm run bench -- [--update [--accept-regression]] [--against <ref>] [--package <name>]... [--filter <glob>]... [--rounds n] [--time ms] [--warmup ms] [--budget s] [--no-build]';

function positive(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`--${name} must be a positive number, got "${raw}"`);
  return value;
}

/**
 * @example
 * parseBenchOptions(['--against', 'HEAD~1', '--package', 'vault']);
 */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      update: { type: 'boolean', default: false },
      'accept-regression': { type: 'boolean', default: false },
      against: { type: 'string' },
      package: { type: 'string', multiple: true, default: [] },
      filter: { type: 'string', multiple: true, default: [] },
      rounds: { type: 'string' },
      time: { type: 'string' },
      warmup: { type: 'string' },
      budget: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
    },
  });
  const options: BenchOptions = {
    update: values.update,
    acceptRegression: values['accept-regression'],
    packages: values.package,
    filters: values.filter,
    time: positive('time', values.time) ?? 100,
    warmupTime: positive('warmup', values.warmup) ?? 30,
    build: !values['no-build'],
  };
  const rounds = positive('rounds', values.rounds);
  if (rounds !== undefined) {
    // Checked after rounding (0.4 is positive but would measure 0 rounds). Fewer runs than judge() needs
    // make every task `unstable`, which passes: such a gate could never fail.
    if (Math.round(rounds) < MIN_SAMPLES) throw new RangeError(`--rounds must be at least ${MIN_SAMPLES} (fewer runs can never be judged), got "${String(values.rounds)}"`);
    options.rounds = Math.round(rounds);
  }
  const budget = positive('budget', values.budget);
  if (budget !== undefined) options.budget = budget;
  if (values.against !== undefined) options.against = values.against;
  if (options.update && options.against !== undefined) throw new RangeError('--update and --against cannot be combined');
  return options;
}
