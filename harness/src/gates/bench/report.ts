/**
 * Human lines for a bench evaluation: one row per task with the verdict,
 * the ratio and its confidence interval, both medians, their spread and the
 * corrected p-value, then the reasons behind any failure.
 */
import type { Evaluation } from '../../bench/evaluate.ts';
import { formatMedian, formatPct } from '../../bench/format.ts';
import type { TaskJudgement, Verdict } from '../../bench/verdict.ts';

const MARK: Record<Verdict, string> = { faster: '+', same: '=', slower: '-', regressed: '✗', unstable: '?' };

/**
 * @example
 * formatJudgement(j); // '✗ regressed  vault/encrypt/1KiB  1.31× [1.26–1.37]  10.2 µs → 13.4 µs  ±1.1%/±0.9%  p=0.0020  confirmed by re-run (first run 1.30×)'
 */
export function formatJudgement(j: TaskJudgement, width = 0): string {
  const ci = `${j.ratio.toFixed(2)}× [${j.low.toFixed(2)}–${j.high.toFixed(2)}]`;
  const times = `${formatMedian(j.baseMedian, j.unit)} → ${formatMedian(j.candidateMedian, j.unit)}`;
  const spread = `${formatPct(j.baseSpread)}/${formatPct(j.candidateSpread)}`;
  const parts = [`${MARK[j.verdict]} ${j.verdict.padEnd(9)}`, j.task.padEnd(width), ci, times, spread, `p=${j.pAdjusted.toFixed(4)}`];
  return [...parts, ...(j.note ? [j.note] : [])].join('  ');
}

export function countVerdicts(judgements: readonly TaskJudgement[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { faster: 0, same: 0, slower: 0, regressed: 0, unstable: 0 };
  for (const j of judgements) counts[j.verdict]++;
  return counts;
}

/** Lines explaining the evaluation: a legend, one row per task, then failures. */
export function evaluationLines(e: Evaluation, against: string): string[] {
  const width = Math.max(0, ...e.judgements.map((j) => j.task.length));
  const what = e.judgements.some((j) => j.unit === 'bytes') ? 'median ns/op, or bytes/op where shown in B; > 1 is slower or bigger' : 'median ns/op; > 1 is slower';
  return [
    `ratio = candidate / ${against} (${what}), [95% bootstrap CI], medians, run-to-run spread, Holm-corrected p`,
    ...e.judgements.map((j) => formatJudgement(j, width)),
    ...e.unmatched.map((t) => `· new        ${t}: nothing to compare with in ${against}`),
    ...e.missing.map((t) => `✗ missing    ${t}: no result (see errors)`),
    ...e.errors.map((m) => `✗ error      ${m}`),
  ];
}
