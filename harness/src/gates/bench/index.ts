/**
 * Gate `bench`: fails when a task is more than 20% slower and the difference
 * is significant and confirmed by a re-run, when results are missing, when a
 * baselined task disappeared, when nothing was measured, or when
 * PERFORMANCE.md drifts from the baselines. `--update` rewrites baselines.
 * See benchmarks/README.md.
 */
import { join } from 'node:path';
import { HarnessError, messageOf } from '../../errors.ts';
import type { Gate, GateContext, GateResult } from '../../gate.ts';
import { readBaselines, type BaselineSet } from '../../bench/baseline.ts';
import { runComparison } from './compare-mode.ts';
import { findSuites, type SuiteFile } from '../../bench/discover.ts';
import { BASELINE_DIR, generatedDrift } from './generated.ts';
import { selectSuites, takeInventory, type Inventory } from './inventory.ts';
import { parseBenchOptions, USAGE, type BenchOptions } from './options.ts';
import { runUpdate } from './update.ts';

/** Baselined tasks that no longer exist, and tasks that have no baseline. */
export function coverageProblems(inv: Inventory, baselines: BaselineSet, packages: readonly string[]): string[] {
  const inScope = (pkg: string): boolean => packages.length === 0 || packages.includes(pkg);
  const gone = baselines.files.filter((f) => inScope(f.package)).flatMap((f) =>
    Object.keys(f.tasks).filter((t) => !inv.all.has(t)).map((t) => `baselined task ${t} disappeared (removed or renamed? run npm run bench -- --update if on purpose)`));
  const unbaselined = [...inv.all].filter(([t, pkg]) => inScope(pkg) && !baselines.files.some((f) => f.tasks[t] !== undefined))
    .map(([t]) => `task ${t} has no baseline: run npm run bench -- --update`);
  return [...baselines.problems, ...gone, ...unbaselined];
}

async function build(context: GateContext): Promise<string | undefined> {
  const tsc = join(context.root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = await context.exec(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: context.root });
  return r.code === 0 ? undefined : (r.stdout + r.stderr).trim().split('\n').slice(0, 10).join('\n');
}

async function check(context: GateContext, options: BenchOptions, suites: readonly SuiteFile[], threshold: number): Promise<GateResult> {
  if (options.build) {
    const failure = await build(context);
    if (failure !== undefined) return { status: 'failed', summary: 'build failed; benchmarks run against dist/', details: [failure] };
  }
  const inv = await takeInventory(context.root, suites, options.filters);
  if (options.update) return runUpdate(context, options, inv, threshold);
  if (inv.all.size === 0) return { status: 'failed', summary: 'nothing to measure: no benchmarks/<package>/*.bench.ts', details: [] };
  if (inv.tasks.length === 0) return { status: 'failed', summary: `no task matches ${options.filters.join(', ')}`, details: [...inv.all.keys()] };
  const baselines = readBaselines(join(context.root, BASELINE_DIR));
  const bookkeeping = options.against === undefined
    ? [...coverageProblems(inv, baselines, options.packages), ...generatedDrift(context.root, baselines.files)]
    : [];
  return runComparison({ context, options, inv, baselines, threshold, problems: [...inv.problems, ...bookkeeping] });
}

async function run(context: GateContext): Promise<GateResult> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(context.argv);
  } catch (error) {
    // parseArgs and parseBenchOptions throw Error instances; the orchestrator turns this into exit 2.
    throw new HarnessError('HARNESS_ERR_USAGE', `bench: ${(error as Error).message}\n${USAGE}`, { cause: error });
  }
  // A usage error is thrown before the try below: it is the caller's mistake, not a broken gate.
  // The suites are found once: the --package check and the inventory share them.
  const suites = selectSuites(findSuites(join(context.root, 'benchmarks')), options.packages);
  try {
    // `??`, not a spread over defaults: an explicit `benchRegression: undefined` means the default too.
    return await check(context, options, suites, context.config.thresholds.benchRegression ?? 0.2);
  } catch (error) {
    // A broken worktree, git or filesystem failure is a failed gate with its reason, never a pass.
    return { status: 'failed', summary: 'bench gate could not run', details: [messageOf(error)] };
  }
}

/**
 * The benchmark gate, registered as `bench` in harness.config.ts.
 * @example
 * const result = await benchGate.run({ ...context, argv: ['--against', 'HEAD~1'] });
 */
export const benchGate: Gate = {
  name: 'bench',
  description: 'Benchmarks vs baselines or another commit: fails on a confirmed, significant regression above the threshold',
  run,
};
