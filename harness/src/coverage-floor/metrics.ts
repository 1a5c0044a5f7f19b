/**
 * Coverage arithmetic shared by the floor reporter (inside vitest) and the
 * test gate (reading coverage/coverage-summary.json afterwards), so both
 * agree to the hundredth of a percent with what vitest enforces.
 */

export const METRICS = ['lines', 'branches', 'functions', 'statements'] as const;
export type Metric = (typeof METRICS)[number];

export interface Counter {
  total: number;
  covered: number;
}

/** Covered/total counters of one file (or of a group of files). */
export type CoverageCounts = Record<Metric, Counter>;
export type CoveragePercents = Record<Metric, number>;

/**
 * Percentage the way istanbul computes it (floored to 2 decimals, 100 when
 * there is nothing to cover), so 94.999% never displays as a passing 95%.
 * @example
 * percent({ total: 3, covered: 2 }); // 66.66
 */
export function percent(counter: Counter): number {
  if (counter.total <= 0) return 100;
  return Math.floor((10_000 * counter.covered) / counter.total) / 100;
}

/**
 * Adds up the counters of several files.
 * @example
 * sumCounts([a, b]).lines; // { total: a.lines.total + b.lines.total, covered: ... }
 */
export function sumCounts(files: Iterable<CoverageCounts>): CoverageCounts {
  const sum = emptyCounts();
  for (const file of files) {
    for (const metric of METRICS) {
      sum[metric].total += file[metric].total;
      sum[metric].covered += file[metric].covered;
    }
  }
  return sum;
}

/** The four percentages of a set of counters. */
export function percents(counts: CoverageCounts): CoveragePercents {
  return {
    lines: percent(counts.lines),
    branches: percent(counts.branches),
    functions: percent(counts.functions),
    statements: percent(counts.statements),
  };
}

/** `lines 93.75%, branches 100%, functions 100%, statements 93.75%` */
export function formatPercents(pcts: CoveragePercents): string {
  return METRICS.map((metric) => `${metric} ${pcts[metric]}%`).join(', ');
}

function emptyCounts(): CoverageCounts {
  return {
    lines: { total: 0, covered: 0 },
    branches: { total: 0, covered: 0 },
    functions: { total: 0, covered: 0 },
    statements: { total: 0, covered: 0 },
  };
}
