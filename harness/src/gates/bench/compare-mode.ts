/**
 * `npm run bench` without --update: decide what to compare with (stored
 * baselines when the environment matches, otherwise the code of another
 * commit side by side), run the evaluation and turn it into a gate result.
 */
import { join } from 'node:path';
import type { GateContext, GateResult } from '../../gate.ts';
import type { BaselineFile, BaselineSet, TaskBaseline } from '../../bench/baseline.ts';
import { againstBaseline, sideBySide, type CodeVersion, type Comparator, type MeasureSettings } from '../../bench/compare.ts';
import { evaluate, type Evaluation } from '../../bench/evaluate.ts';
import { currentFingerprint, fingerprintDifferences } from '../../bench/fingerprint.ts';
import { touchedSince } from './changed.ts';
import type { Inventory } from './inventory.ts';
import type { BenchOptions } from './options.ts';
import { countVerdicts, evaluationLines } from './report.ts';
import { prepareBase, type BaseWorktree } from './worktree.ts';

export interface ComparePlan {
  context: GateContext;
  options: BenchOptions;
  inv: Inventory;
  baselines: BaselineSet;
  threshold: number;
  /** Problems found before measuring (drift, coverage): they fail the gate. */
  problems: string[];
}

interface LazyBase { compare: Comparator; dispose: () => Promise<void> }

/** A side-by-side comparator whose worktree is only built when first needed. */
function lazySideBySide(plan: ComparePlan, ref: string, packages: string[], settings: MeasureSettings): LazyBase {
  let base: Promise<BaseWorktree> | undefined;
  const candidate: CodeVersion = { id: 'candidate', benchDir: join(plan.context.root, 'benchmarks'), cwd: plan.context.root };
  return {
    compare: async (tasks, rounds) => {
      base ??= prepareBase(plan.context, ref, packages);
      const wt = await base;
      const version: CodeVersion = { id: 'base', benchDir: join(wt.dir, 'benchmarks'), cwd: wt.dir };
      return sideBySide(version, candidate, plan.inv.files, settings)(tasks, rounds);
    },
    dispose: async () => { if (base) await (await base)[Symbol.asyncDispose](); },
  };
}

async function fallbackRef(context: GateContext): Promise<string> {
  const status = await context.exec('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: context.root });
  return !context.ci && status.stdout.trim() !== '' ? 'HEAD' : 'HEAD~1';
}

function stored(files: readonly BaselineFile[]): Map<string, TaskBaseline> {
  return new Map(files.flatMap((f) => Object.entries(f.tasks)));
}

interface Scope { tasks: string[]; packages: string[]; note?: string }

async function scope(plan: ComparePlan): Promise<Scope> {
  const { inv, context, options } = plan;
  // Every selected task comes from inv.all, so its package is known.
  const packages = [...new Set(inv.tasks.map((t) => inv.all.get(t)!))].sort();
  if (!context.ci || options.against !== undefined || options.packages.length > 0) return { tasks: inv.tasks, packages };
  const { touched, note } = await touchedSince(context, 'HEAD~1', packages);
  return { tasks: inv.tasks.filter((t) => touched.includes(inv.all.get(t)!)), packages: touched, note };
}

interface Mode { label: string; screen: Comparator; confirm: Comparator; notes: string[]; dispose: () => Promise<void> }

async function chooseMode(plan: ComparePlan, s: Scope, settings: MeasureSettings): Promise<Mode> {
  const { options, context, baselines } = plan;
  if (options.against !== undefined) {
    const lazy = lazySideBySide(plan, options.against, s.packages, settings);
    return { label: `side by side with ${options.against}`, screen: lazy.compare, confirm: lazy.compare, notes: [], dispose: lazy.dispose };
  }
  const fp = currentFingerprint();
  const relevant = baselines.files.filter((f) => s.packages.includes(f.package));
  const differences = relevant.flatMap((f) => fingerprintDifferences(f.fingerprint, fp).map((d) => `${f.package}: ${d}`));
  if (relevant.length === s.packages.length && differences.length === 0) {
    const candidate: CodeVersion = { id: 'candidate', benchDir: join(context.root, 'benchmarks'), cwd: context.root };
    const screen = againstBaseline(candidate, stored(relevant), plan.inv.files, settings);
    const commits = [...new Set(relevant.map((f) => f.commit))];
    const clean = commits.length === 1 && /^[0-9a-f]{40}$/.test(commits[0] ?? '') ? commits[0] : undefined;
    // Confirm against the baseline's own commit, side by side: load on a shared
    // machine changes between the day baselines were taken and now.
    const lazy = clean === undefined ? undefined : lazySideBySide(plan, clean, s.packages, settings);
    return {
      label: 'stored baselines', screen, confirm: lazy?.compare ?? screen,
      notes: [lazy ? `suspected regressions are confirmed side by side with ${clean?.slice(0, 10) ?? ''}` : 'suspected regressions are confirmed by re-measuring against the baselines'],
      dispose: async () => { await lazy?.dispose(); },
    };
  }
  const ref = await fallbackRef(context);
  const why = differences.length > 0 ? `environment differs from the baselines (${differences.join('; ')})` : 'no stored baseline for some package';
  const lazy = lazySideBySide(plan, ref, s.packages, settings);
  return { label: `side by side with ${ref}`, screen: lazy.compare, confirm: lazy.compare, notes: [`${why}: comparing side by side with ${ref} instead`], dispose: lazy.dispose };
}

function toResult(plan: ComparePlan, mode: Mode, e: Evaluation, notes: string[]): GateResult {
  const counts = countVerdicts(e.judgements);
  // Rounded: 0.07 * 100 is 7.000000000000001 in floating point.
  const limit = `${Number((plan.threshold * 100).toFixed(2))}%`;
  const measured = e.judgements.length + e.unmatched.length;
  const failures = [
    ...plan.problems,
    ...(measured === 0 ? ['nothing was measured'] : []),
    ...e.missing.map((t) => `${t}: no result`),
    // evaluate() notes every regression with its confirmation outcome.
    ...e.judgements.filter((j) => j.verdict === 'regressed').map((j) => `${j.task}: ${((j.ratio - 1) * 100).toFixed(0)}% ${j.unit === 'bytes' ? 'bigger' : 'slower'} (> ${limit}), ${String(j.note)}`),
    ...(e.errors.length > 0 ? [`${e.errors.length} benchmark error(s)`] : []),
  ];
  const summary = `${measured} tasks vs ${mode.label}: ${counts.regressed} regressed, ${counts.slower} slower, ${counts.same} same, ${counts.faster} faster, ${counts.unstable} unstable`;
  return {
    status: failures.length > 0 ? 'failed' : 'passed',
    summary,
    figures: { ...counts, tasks: measured, missing: e.missing.length, errors: e.errors.length, wallSeconds: Math.round(e.wallMs / 1000), mode: mode.label },
    details: [...failures.map((f) => `FAIL ${f}`), ...notes, ...mode.notes, ...evaluationLines(e, mode.label)],
  };
}

/**
 * @example
 * const result = await runComparison({ context, options, inv, baselines, threshold: 0.2, problems: [] });
 */
export async function runComparison(plan: ComparePlan): Promise<GateResult> {
  const s = await scope(plan);
  const notes = s.note ? [s.note] : [];
  if (plan.context.ci && s.tasks.length === 0 && plan.inv.tasks.length > 0) {
    const status = plan.problems.length > 0 ? 'failed' : 'passed';
    return { status, summary: 'no benchmarked package touched; baselines and PERFORMANCE.md checked', figures: { tasks: 0 }, details: [...plan.problems.map((p) => `FAIL ${p}`), ...notes] };
  }
  const budget = plan.options.budget ?? (plan.context.ci ? 240 : undefined);
  const settings: MeasureSettings = {
    time: plan.options.time, warmupTime: plan.options.warmupTime, log: (l) => plan.context.log(l),
    // Half the budget for screening, the rest for re-runs of noisy or suspect tasks.
    ...(budget !== undefined ? { budgetMs: (budget * 1000) / 2 } : {}),
  };
  const mode = await chooseMode(plan, s, settings);
  try {
    plan.context.log(`bench: ${s.tasks.length} task(s) vs ${mode.label}`);
    const { rounds } = { rounds: 12, ...plan.options };
    const e = await evaluate(s.tasks, mode.screen, mode.confirm, { threshold: plan.threshold, rounds, log: (l) => plan.context.log(l) });
    return toResult(plan, mode, e, notes);
  } finally {
    await mode.dispose();
  }
}
