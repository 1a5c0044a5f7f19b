/**
 * `npm run bench -- --update`: measure the current code, rewrite the
 * baselines of the measured packages, regenerate PERFORMANCE.md and the chart.
 * It refuses to bake a regression into the baselines unless told so with
 * --accept-regression: an update records performance, it does not excuse it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GateContext, GateResult } from '../../gate.ts';
import { readBaselines, taskBaseline, writeBaseline, type BaselineFile } from '../../bench/baseline.ts';
import { currentFingerprint, fingerprintDifferences } from '../../bench/fingerprint.ts';
import { measure, type Measurement } from '../../bench/measure.ts';
import { unitField } from '../../bench/suite.ts';
import { judge, overLimit } from '../../bench/verdict.ts';
import { BASELINE_DIR, writeGenerated } from './generated.ts';
import type { Inventory } from './inventory.ts';
import type { BenchOptions } from './options.ts';
import { formatJudgement } from './report.ts';

async function commitOf(context: GateContext, paths: readonly string[]): Promise<string> {
  const head = await context.exec('git', ['rev-parse', 'HEAD'], { cwd: context.root });
  const status = await context.exec('git', ['status', '--porcelain', '--', ...paths], { cwd: context.root });
  const sha = head.code === 0 ? head.stdout.trim() : 'unknown';
  return status.stdout.trim() === '' ? sha : `${sha}+dirty`;
}

function packageFile(pkg: string, tasks: readonly string[], m: Measurement, commit: string, options: BenchOptions, rounds: number): BaselineFile {
  // Only called once every task has all its runs (runUpdate checks), and record() gives every task a peers entry.
  const entries = tasks.map((t) => [t, taskBaseline(m.samples.candidate![t]!, m.peers.candidate![t], m.units.candidate?.[t])] as const);
  return {
    package: pkg, commit, fingerprint: currentFingerprint(),
    settings: { rounds, time: options.time, warmupTime: options.warmupTime },
    tasks: Object.fromEntries(entries),
  };
}

/** Regressions of the new numbers against an old baseline from the same environment. */
export function regressions(old: BaselineFile | undefined, next: BaselineFile, threshold: number): string[] {
  if (old === undefined || fingerprintDifferences(old.fingerprint, next.fingerprint).length > 0) return [];
  const pairs = Object.entries(next.tasks).flatMap(([task, t]) => {
    const before = old.tasks[task];
    return before ? [{ task, base: before.runs, candidate: t.runs, ...unitField(t.unit) }] : [];
  });
  // Not only `regressed`: with too few runs the verdict is `unstable` (or
  // `same` after Holm) even when the whole interval is over the limit, and an
  // update must not bake in what it cannot rule out.
  return judge(pairs, { threshold, paired: false }).filter((j) => j.verdict === 'regressed' || overLimit(j, threshold)).map((j) => formatJudgement(j));
}

/**
 * @example
 * await runUpdate(context, options, inventory, 0.2);
 */
export async function runUpdate(context: GateContext, options: BenchOptions, inv: Inventory, threshold: number): Promise<GateResult> {
  if (options.filters.length > 0) return { status: 'failed', summary: 'use --package with --update, not --filter', details: ['a baseline file holds one package measured in one environment; update whole packages'] };
  if (inv.problems.length > 0) return { status: 'failed', summary: 'suites have problems; baselines not written', details: inv.problems };
  if (inv.tasks.length === 0) return { status: 'failed', summary: 'nothing to measure: no benchmarks/<package>/*.bench.ts', details: [] };
  const { rounds } = { rounds: 20, ...options };
  const root = context.root;
  const m = await measure([{ id: 'candidate', cwd: root, files: inv.suites.map((s) => s.path) }], {
    rounds, time: options.time, warmupTime: options.warmupTime, log: (l) => context.log(l),
  });
  const missing = inv.tasks.filter((t) => (m.samples.candidate?.[t] ?? []).filter(Number.isFinite).length < rounds);
  if (m.errors.length > 0 || missing.length > 0) {
    return { status: 'failed', summary: 'measurement failed; baselines not written', details: [...new Set(m.errors), ...missing.map((t) => `${t}: missing runs`)] };
  }
  const dir = join(root, BASELINE_DIR);
  const old = new Map(readBaselines(dir).files.map((f) => [f.package, f]));
  const packages = [...new Set(inv.suites.map((s) => s.package))];
  const files: BaselineFile[] = [];
  for (const pkg of packages) {
    const tasks = inv.tasks.filter((t) => inv.all.get(t) === pkg);
    files.push(packageFile(pkg, tasks, m, await commitOf(context, ['packages', 'benchmarks', 'harness/src', 'package-lock.json']), options, rounds));
  }
  const regressed = files.flatMap((f) => regressions(old.get(f.package), f, threshold));
  if (regressed.length > 0 && !options.acceptRegression) {
    return { status: 'failed', summary: `${regressed.length} task(s) regressed against the current baselines; nothing written`, details: [...regressed, 'fix the regression, or rerun with --accept-regression and say why in the commit message'] };
  }
  const written = files.map((f) => writeBaseline(dir, f));
  if (options.packages.length === 0) {
    for (const stale of [...old.keys()].filter((p) => !packages.includes(p))) rmSync(join(dir, `${stale}.json`));
  }
  const generated = writeGenerated(root, readBaselines(dir).files);
  return {
    status: 'passed',
    summary: `baselines updated: ${files.map((f) => f.package).join(', ')} (${inv.tasks.length} tasks × ${rounds} runs)`,
    figures: { tasks: inv.tasks.length, rounds, wallSeconds: Math.round(m.wallMs / 1000), acceptedRegressions: regressed.length },
    details: [...written, ...generated, ...regressed.map((r) => `ACCEPTED REGRESSION ${r}`)],
  };
}
