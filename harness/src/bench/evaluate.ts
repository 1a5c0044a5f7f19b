/**
 * The gate's decision procedure, independent of where samples come from:
 * 1. screen every task (Holm-corrected across all of them);
 * 2. re-measure tasks too noisy to judge, or with a median over the limit
 *    but not enough runs to be significant, and pool the runs (a task whose
 *    every run is over the limit is not too noisy: it is a suspect);
 * 3. confirm each suspected regression with an independent re-run (twice
 *    the rounds); only a regression seen twice fails. A single unlucky run never fails the gate.
 */
import type { Comparator, Comparison } from './compare.ts';
import { judge, overLimit, type TaskJudgement } from './verdict.ts';

export interface EvaluateOptions {
  threshold: number;
  rounds: number;
  alpha?: number;
  log?: (line: string) => void;
}

export interface Evaluation {
  judgements: TaskJudgement[];
  /** Candidate tasks without a result: the gate fails. */
  missing: string[];
  /** Tasks without a base to compare with (new). */
  unmatched: string[];
  errors: string[];
  wallMs: number;
  /** Tasks that were re-measured: suspected regressions and noisy tasks. */
  confirmed: string[];
  extended: string[];
}

function pool(a: Comparison, b: Comparison): Comparison {
  const byTask = new Map(b.samples.map((s) => [s.task, s]));
  return {
    ...a,
    samples: a.samples.map((s) => {
      const more = byTask.get(s.task);
      // Stored baseline runs are the same in both passes: pool only what was measured.
      const base = a.paired ? [...s.base, ...(more?.base ?? [])] : s.base;
      return more ? { ...s, base, candidate: [...s.candidate, ...more.candidate] } : s;
    }),
    errors: [...a.errors, ...b.errors],
    wallMs: a.wallMs + b.wallMs,
  };
}

function replace(all: TaskJudgement[], updated: readonly TaskJudgement[]): TaskJudgement[] {
  const byTask = new Map(updated.map((j) => [j.task, j]));
  return all.map((j) => byTask.get(j.task) ?? j);
}

function confirmNote(first: TaskJudgement, second: TaskJudgement): TaskJudgement {
  const seen = `first run ${first.ratio.toFixed(2)}×`;
  // The re-run's own note says which criterion it applied (e.g. every run over the limit), with its numbers.
  const why = second.note === undefined ? '' : `; ${second.note}`;
  if (second.verdict === 'regressed') return { ...second, note: `confirmed by re-run (${seen})${why}` };
  return { ...second, note: `suspected regression not confirmed by re-run (${seen})${why}` };
}

/**
 * @example
 * const result = await evaluate(['vault/encrypt/1KiB'], sideBySide(base, cand, files, settings), sideBySide(base, cand, files, settings), { threshold: 0.2, rounds: 12 });
 */
export async function evaluate(
  tasks: readonly string[], screen: Comparator, confirm: Comparator, options: EvaluateOptions,
): Promise<Evaluation> {
  const judgeOpts = (c: Comparison) => ({ threshold: options.threshold, paired: c.paired, ...(options.alpha ? { alpha: options.alpha } : {}) });
  let first = await screen(tasks, options.rounds);
  let judgements = judge(first.samples, judgeOpts(first));
  const noisy = judgements.filter((j) => j.verdict === 'unstable').map((j) => j.task);
  // `same` with the median (or the whole interval) over the limit means too few
  // runs for the rank test after Holm (8 paired rounds cannot go below
  // p = 2/256, which Holm over 7 tasks already lifts above 0.05), not no
  // change: such a task is measured again like a noisy one, or it would pass.
  const underpowered = judgements.filter((j) => j.verdict === 'same' && (j.ratio > 1 + options.threshold || overLimit(j, options.threshold))).map((j) => j.task);
  if (noisy.length > 0) options.log?.(`  ${noisy.length} task(s) too noisy to judge, measuring them again: ${noisy.join(', ')}`);
  if (underpowered.length > 0) options.log?.(`  ${underpowered.length} task(s) over the limit without significance, measuring them again: ${underpowered.join(', ')}`);
  const remeasure = [...noisy, ...underpowered];
  if (remeasure.length > 0) {
    first = pool(first, await screen(remeasure, options.rounds));
    const pooled = first.samples.filter((s) => remeasure.includes(s.task));
    judgements = replace(judgements, judge(pooled, judgeOpts(first)));
  }
  const errors = [...first.errors];
  let wallMs = first.wallMs;
  const suspects = judgements.filter((j) => j.verdict === 'regressed');
  if (suspects.length > 0) {
    options.log?.(`  ${suspects.length} suspected regression(s), confirming with an independent re-run`);
    // Twice the rounds: a real regression survives a stricter look, and one
    // unlucky stretch of load inside the re-run cannot hide it.
    const second = await confirm(suspects.map((j) => j.task), options.rounds * 2);
    errors.push(...second.errors);
    wallMs += second.wallMs;
    const again = new Map(judge(second.samples, judgeOpts(second)).map((j) => [j.task, j]));
    judgements = judgements.map((j) => {
      const re = again.get(j.task);
      if (j.verdict !== 'regressed') return j;
      return re ? confirmNote(j, re) : { ...j, note: 'no result in the confirmation re-run' };
    });
  }
  return {
    judgements, missing: first.missing, unmatched: first.unmatched, errors: [...new Set(errors)], wallMs,
    confirmed: suspects.map((j) => j.task), extended: remeasure,
  };
}
