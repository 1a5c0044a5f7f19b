/**
 * Gate `mutation`: Stryker (vitest runner) per workspace, incremental by
 * default with the incremental files committed under `.stryker/incremental/`,
 * so a change re-tests only what it touched; `--full` re-runs every mutant.
 * Fails when a workspace scores below its floor from harness.config.ts, and
 * lists every surviving mutant (file:line mutator) so the missing test is clear.
 *
 *   npm run mutation [-- --full] [-- --package vault]
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Gate, GateContext, GateResult } from '../../gate.ts';
import { HarnessError } from '../../errors.ts';
import { workspaces } from '../../workspaces.ts';
import { planMutation, type MutationPlan, type MutationTarget } from './plan.ts';
import { summarize, type MutationReport, type MutationSummary } from './report.ts';

export interface MutationArgs {
  full: boolean;
  packages: string[];
}

export function parseMutationArgs(argv: readonly string[]): MutationArgs {
  const args: MutationArgs = { full: false, packages: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--full') args.full = true;
    else if (arg === '--package' && argv[i + 1] !== undefined) args.packages.push(argv[++i] as string);
    else throw new HarnessError('HARNESS_ERR_USAGE', `mutation: unknown argument ${String(arg)} (use --full, --package <name>)`);
  }
  return args;
}

/**
 * Workspaces that ship code: every workspace but the examples and those the
 * config excludes (`gateOptions.mutation.exclude`, each with its reason in
 * harness.config.ts). Naming an excluded workspace with --package runs it.
 */
export function mutationTargets(root: string, only: readonly string[], exclude: readonly string[] = []): MutationTarget[] {
  const all = workspaces(root).filter((ws) => !ws.dir.startsWith('examples/'));
  const unknown = only.filter((name) => !all.some((ws) => ws.name === name));
  if (unknown.length > 0) throw new HarnessError('HARNESS_ERR_USAGE', `mutation: no workspace named ${unknown.join(', ')}`);
  return only.length === 0 ? all.filter((ws) => !exclude.includes(ws.name)) : all.filter((ws) => only.includes(ws.name));
}

export interface MutationGateOptions {
  /** Workspaces a whole-repository run skips (each with its reason in harness.config.ts). */
  exclude: string[];
  /** Workspaces whose static mutants are ignored (Stryker's `ignoreStatic`). */
  ignoreStatic: string[];
}

/**
 * Reads `gateOptions.mutation`. Each list must name workspaces: a misspelt
 * name would otherwise silently keep a workspace in (or out of) the run.
 * Returns the problems instead of options when there are any.
 */
export function mutationOptions(root: string, raw: Record<string, unknown> | undefined): MutationGateOptions | { problems: string[] } {
  const names = new Set(workspaces(root).map((ws) => ws.name));
  const problems: string[] = [];
  const list = (key: 'exclude' | 'ignoreStatic'): string[] => {
    const value = raw?.[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      problems.push(`gateOptions.mutation.${key} must be a list of workspace names`);
      return [];
    }
    for (const name of value) if (!names.has(name)) problems.push(`gateOptions.mutation.${key} names ${JSON.stringify(name)}, which is not a workspace`);
    return value;
  };
  const options = { exclude: list('exclude'), ignoreStatic: list('ignoreStatic') };
  return problems.length > 0 ? { problems } : options;
}

export type Outcome = { plan: MutationPlan; summary: MutationSummary } | { plan: MutationPlan; error: string };

async function runOne(ctx: GateContext, plan: MutationPlan, full: boolean): Promise<Outcome> {
  const configPath = join(ctx.root, plan.configFile);
  const reportPath = join(ctx.root, plan.jsonReport);
  mkdirSync(dirname(configPath), { recursive: true });
  mkdirSync(join(ctx.root, dirname(String(plan.options.incrementalFile))), { recursive: true });
  writeFileSync(configPath, `${JSON.stringify(plan.options, null, 2)}\n`);
  // a report from an earlier run must never stand in for this one
  rmSync(reportPath, { force: true });
  const started = Date.now();
  const run = await ctx.exec('stryker', ['run', plan.configFile, ...(full ? ['--force'] : [])], { cwd: ctx.root });
  const logFile = join(dirname(plan.jsonReport), 'stryker.log');
  writeFileSync(join(ctx.root, logFile), `${run.stdout}\n${run.stderr}`);
  if (!existsSync(reportPath)) {
    // the first error line names the cause (a failing test, a config error); the tail is a stack
    const lines = `${run.stdout}\n${run.stderr}`.trim().split('\n');
    const cause = lines.find((line) => /ERROR|Error:/.test(line)) ?? lines.at(-1) ?? '';
    return { plan, error: `stryker exited ${run.code} without a report: ${cause.trim()} (full log: ${logFile})` };
  }
  const summary = summarize(JSON.parse(readFileSync(reportPath, 'utf8')) as MutationReport);
  ctx.log(`mutation/${plan.target.name}: ${summary.score}% (floor ${plan.threshold}%) in ${Math.round((Date.now() - started) / 1000)} s`);
  return { plan, summary };
}

/** Verdict, summary figure and report lines (every survivor) for one workspace. */
export function describeOutcome(outcome: Outcome): { ok: boolean; figure: string; details: string[] } {
  const { plan } = outcome;
  const name = plan.target.name;
  if ('error' in outcome) return { ok: false, figure: `${name} error`, details: [`${name}: ${outcome.error}`] };
  const { summary } = outcome;
  const valid = summary.killed + summary.timeout + summary.survived + summary.noCoverage;
  const ok = valid > 0 && summary.score >= plan.threshold;
  const details = ok
    ? []
    : [`${name}: mutation score ${summary.score}% below the floor of ${plan.threshold}% (${valid} mutants; report ${plan.target.name}/index.html)`];
  for (const s of summary.survivors) {
    details.push(`  ${s.status === 'NoCoverage' ? 'no coverage' : 'survived'}: ${s.file}:${s.line} ${s.mutator}${s.replacement ? ` → ${s.replacement.split('\n')[0]}` : ''}`);
  }
  return { ok, figure: `${name} ${summary.score}%${plan.options.ignoreStatic === true ? ' (static mutants ignored)' : ''}`, details };
}

export const mutationGate: Gate = {
  name: 'mutation',
  description: 'Stryker mutation score per workspace against its floor (incremental; --full for all mutants)',
  async run(ctx): Promise<GateResult> {
    const args = parseMutationArgs(ctx.argv);
    const options = mutationOptions(ctx.root, ctx.config.gateOptions?.mutation);
    if ('problems' in options) return { status: 'failed', summary: 'misconfigured', details: options.problems };
    const { exclude, ignoreStatic } = options;
    // --package runs what it names, excluded or not: the list only thins a whole-repository run.
    const skipped = args.packages.length === 0 ? exclude : [];
    for (const name of skipped) ctx.log(`mutation/${name}: excluded by harness.config.ts (gateOptions.mutation.exclude)`);
    const targets = mutationTargets(ctx.root, args.packages, exclude);
    const outcomes: Outcome[] = [];
    for (const target of targets) {
      const plan = planMutation(target, ctx.config.thresholds.mutation, { ignoreStatic: ignoreStatic.includes(target.name) });
      if (plan.options.ignoreStatic === true) ctx.log(`mutation/${target.name}: static mutants ignored (gateOptions.mutation.ignoreStatic)`);
      outcomes.push(await runOne(ctx, plan, args.full));
    }
    const described = outcomes.map(describeOutcome);
    const figures: Record<string, number | string> = {};
    for (const o of outcomes) figures[o.plan.target.name] = 'error' in o ? 'error' : o.summary.score;
    return {
      // nothing mutated proves nothing: an empty run fails
      status: described.length > 0 && described.every((d) => d.ok) ? 'passed' : 'failed',
      summary: [...described.map((d) => d.figure), ...skipped.map((name) => `${name} excluded`)].join(', ') || 'no workspace to mutate',
      figures,
      details: described.flatMap((d) => d.details),
    };
  },
};
