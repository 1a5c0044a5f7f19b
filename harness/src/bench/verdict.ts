/**
 * Turns per-run samples of base and candidate into one verdict per task:
 * a ratio of medians with a bootstrap confidence interval, a rank test
 * corrected for the number of tasks (Holm), and a stability check that
 * refuses to judge a task whose own noise is wider than the threshold —
 * unless even the candidate's fastest run is over the limit, which no amount
 * of noise explains away.
 */
import { bootstrapRatio } from './bootstrap.ts';
import { formatMedian } from './format.ts';
import { holm, mannWhitneyU, median, relativeMad, wilcoxonSignedRank } from './stats.ts';
import { unitField, type BenchUnit } from './suite.ts';

export type Verdict = 'faster' | 'same' | 'slower' | 'regressed' | 'unstable';

export interface TaskSamples {
  task: string;
  /** Nanoseconds (or `unit`) per operation, one value per fresh-process run. */
  base: readonly number[];
  candidate: readonly number[];
  /** What the values count; absent = ns. Judged alike: higher is worse. */
  unit?: BenchUnit;
}

export interface JudgeOptions {
  /** Regression that fails, as a fraction (0.2 = 20% slower). */
  threshold: number;
  /** Family-wise significance level. */
  alpha?: number;
  /** Samples come from interleaved rounds: round i of base pairs with round i of candidate. */
  paired: boolean;
  /** Fewer runs than this on either side cannot be judged (default MIN_SAMPLES). */
  minSamples?: number;
}

/** Runs a side needs before judge() gives any verdict but `unstable`. */
export const MIN_SAMPLES = 5;

/**
 * The whole interval is over the limit, whatever the verdict: with too few runs for
 * the rank test after Holm, such a task says `same` or `unstable` though it is no
 * doubt slower. evaluate() measures it again; an update refuses it.
 */
export function overLimit(j: Pick<TaskJudgement, 'low'>, threshold: number): boolean {
  return j.low > 1 + threshold;
}

export interface TaskJudgement {
  task: string;
  verdict: Verdict;
  /** median(candidate) / median(base): 1.25 = 25% slower. */
  ratio: number;
  low: number;
  high: number;
  level: number;
  /** Raw and Holm-adjusted p-values of the rank test. */
  p: number;
  pAdjusted: number;
  baseMedian: number;
  candidateMedian: number;
  /** Relative MAD of each side (0.03 = ±3%). */
  baseSpread: number;
  candidateSpread: number;
  runs: { base: number; candidate: number };
  /** The samples' unit, when not ns: medians are bytes per operation. */
  unit?: BenchUnit;
  /** Which criterion judged a wide interval (unstable, or every run over the limit) with its numbers, or other notes (e.g. the re-run outcome). */
  note?: string;
}

/**
 * Drops rounds whose log ratio is far from the others (more than 5 scaled
 * MADs and more than half the threshold): a round where one side alone was
 * hit by a burst of load says nothing about the code, yet the signed-rank
 * test gives it the largest rank. Seen here: one 0.45× round among seven
 * 1.6× rounds turned p = 0.008 into p = 0.2. Symmetric, so it keeps the
 * test honest on unchanged code.
 */
export function trimOutlierRounds(logRatios: readonly number[], threshold: number): number[] {
  const center = median(logRatios);
  const spread = 1.4826 * median(logRatios.map((x) => Math.abs(x - center)));
  const limit = Math.max(5 * spread, Math.log1p(threshold / 2));
  return logRatios.filter((x) => Math.abs(x - center) <= limit);
}

function pValue(s: TaskSamples, options: JudgeOptions): number {
  if (!options.paired) return mannWhitneyU(s.base, s.candidate);
  // Log ratios: a 20% change weighs the same on a 50 ns task as on a 5 ms one.
  const logRatios = s.candidate.map((c, i) => Math.log(c / s.base[i]!));
  return wilcoxonSignedRank(trimOutlierRounds(logRatios, options.threshold));
}

/** The candidate's fastest run over the base median: the favourable end of its spread. */
function fastestRatio(s: TaskSamples): number {
  return Math.min(...s.candidate) / median(s.base);
}

type Classified = Pick<TaskJudgement, 'verdict' | 'note'>;

/**
 * The interval straddles the limit and is wider than the limit itself: the
 * task's own run-to-run noise could hide or fake a 20% change. It cannot hide
 * one that every candidate run shows: a base with a slow tail (a loaded day in
 * the stored runs) stretches the interval below the limit while the candidate
 * sits steadily above it, and re-measuring never pools stored runs away. Such
 * a task is a suspect, and evaluate() confirms it by a re-run like any other.
 */
function judgeWide(j: Omit<TaskJudgement, 'verdict'>, fastest: number, threshold: number): Classified {
  const limit = (1 + threshold).toFixed(2);
  const interval = `interval ${j.low.toFixed(2)}–${j.high.toFixed(2)}`;
  const vsBase = `${fastest.toFixed(2)}× the base median ${formatMedian(j.baseMedian, j.unit)}`;
  if (fastest > 1 + threshold) {
    return { verdict: 'regressed', note: `every run over the limit: the fastest is ${vsBase} (> ${limit}×), though the ${interval} is too wide to judge the median` };
  }
  return { verdict: 'unstable', note: `noise too high to judge ${Math.round(threshold * 100)}%: ${interval} straddles ${limit}× and the fastest run is ${vsBase}` };
}

function classify(j: Omit<TaskJudgement, 'verdict'>, fastest: number, threshold: number, alpha: number): Classified {
  const limit = 1 + threshold;
  if (j.low < limit && j.high > limit && j.high / j.low > limit) return judgeWide(j, fastest, threshold);
  if (j.pAdjusted >= alpha) return { verdict: 'same' };
  if (j.ratio > limit) return { verdict: 'regressed' };
  return { verdict: j.ratio > 1 ? 'slower' : 'faster' };
}

function measure(s: TaskSamples, options: JudgeOptions, seed: number): Omit<TaskJudgement, 'verdict' | 'pAdjusted'> {
  const ci = bootstrapRatio(s.base, s.candidate, { paired: options.paired, seed });
  return {
    task: s.task,
    ratio: ci.ratio,
    low: ci.low,
    high: ci.high,
    level: ci.level,
    p: pValue(s, options),
    baseMedian: median(s.base),
    candidateMedian: median(s.candidate),
    baseSpread: relativeMad(s.base),
    candidateSpread: relativeMad(s.candidate),
    runs: { base: s.base.length, candidate: s.candidate.length },
    ...unitField(s.unit),
  };
}

/** A stable seed per task name, so one task's interval does not depend on its neighbours. */
function seedOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Judges every task; the Holm correction spans all tasks given in one call.
 * @example
 * const [j] = judge([{ task: 'vault/encrypt/1KiB', base, candidate }], { threshold: 0.2, paired: true });
 * if (j?.verdict === 'regressed') console.log(`${j.task} ${j.ratio.toFixed(2)}×`);
 */
export function judge(samples: readonly TaskSamples[], options: JudgeOptions): TaskJudgement[] {
  const alpha = options.alpha ?? 0.05;
  const minSamples = options.minSamples ?? MIN_SAMPLES;
  const measured = samples.map((s) => measure(s, options, seedOf(s.task)));
  const adjusted = holm(measured.map((m) => m.p));
  return measured.map((m, i) => {
    const full = { ...m, pAdjusted: adjusted[i]! };
    if (m.runs.base < minSamples || m.runs.candidate < minSamples) {
      return { ...full, verdict: 'unstable', note: `only ${Math.min(m.runs.base, m.runs.candidate)} runs (need ${minSamples})` };
    }
    return { ...full, ...classify(full, fastestRatio(samples[i]!), options.threshold, alpha) };
  });
}
