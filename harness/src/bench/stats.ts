/**
 * Robust statistics for benchmark samples. Benchmarks on a shared machine have
 * heavy right tails (a neighbour's build, a GC pause), so everything here is
 * rank- or median-based: one slow run moves a mean, it barely moves a median.
 */

/**
 * The q-quantile (0..1) with linear interpolation between order statistics.
 * @example
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  // Indices are in range by construction (0 ≤ lo ≤ hi < length).
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

/**
 * The median (NaN for no values).
 * @example
 * median([3, 1, 2]); // 2
 */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * Relative dispersion: median absolute deviation scaled to a normal standard
 * deviation (×1.4826), divided by the median. 0.05 reads "±5%".
 * @example
 * relativeMad([100, 102, 98, 101, 99]); // ≈ 0.0148
 */
export function relativeMad(values: readonly number[]): number {
  const m = median(values);
  if (values.length < 2 || m === 0) return 0;
  return (1.4826 * median(values.map((v) => Math.abs(v - m)))) / Math.abs(m);
}

/** Standard normal cumulative distribution (Abramowitz–Stegun 7.1.26 via erf). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Average ranks (1-based), ties share the mean of their positions. */
function ranks(values: readonly number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const out = new Array<number>(values.length).fill(0);
  let tieTerm = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) out[order[k]!.i] = rank;
    const t = end - start + 1;
    tieTerm += t * t * t - t;
    start = end + 1;
  }
  return { ranks: out, tieTerm };
}

/**
 * Two-sided Mann–Whitney U test for two independent samples: the exact null
 * distribution when no values tie and n1·n2 ≤ 900, else the normal
 * approximation with tie and continuity correction. Returns the p-value (1
 * when either side is empty or every value ties).
 * @example
 * mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]) < 0.05; // true
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): number {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return 1;
  const { ranks: r, tieTerm } = ranks([...a, ...b]);
  const rankSumA = r.slice(0, n1).reduce((s, x) => s + x, 0);
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  if (tieTerm === 0 && n1 * n2 <= EXACT_LIMIT) return exactTwoSided(mannWhitneyCounts(n1, n2), u);
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return 1;
  const z = (Math.abs(u - (n1 * n2) / 2) - 0.5) / Math.sqrt(variance);
  return Math.min(1, 2 * (1 - normalCdf(Math.max(0, z))));
}

/**
 * Two-sided Wilcoxon signed-rank test on paired differences (zeros dropped):
 * the exact null distribution when no magnitudes tie and at most 60 remain,
 * else the normal approximation with tie and continuity correction. Used for
 * interleaved side-by-side runs, where round i of base and candidate shared
 * the machine's state, so pairing removes slow drift of the background load.
 * @example
 * wilcoxonSignedRank([0.1, 0.2, 0.15, 0.3, 0.25, 0.2, 0.1, 0.22]) < 0.05; // true
 */
export function wilcoxonSignedRank(differences: readonly number[]): number {
  const d = differences.filter((x) => x !== 0);
  const n = d.length;
  if (n === 0) return 1;
  const { ranks: r, tieTerm } = ranks(d.map((x) => Math.abs(x)));
  const wPlus = d.reduce((s, x, i) => (x > 0 ? s + r[i]! : s), 0);
  if (tieTerm === 0 && n <= 60) return exactTwoSided(signedRankCounts(n), wPlus);
  const mean = (n * (n + 1)) / 4;
  // Positive for every n ≥ 1, even when all magnitudes tie.
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  const z = (Math.abs(wPlus - mean) - 0.5) / Math.sqrt(variance);
  return Math.min(1, 2 * (1 - normalCdf(Math.max(0, z))));
}

/** Exact null distributions are used below this size: the normal approximation
 * is too timid for 10-20 runs, and timidity multiplied by Holm means blindness. */
const EXACT_LIMIT = 900;

/** counts[w] = number of sign assignments of ranks 1..n whose positive sum is w. */
function signedRankCounts(n: number): number[] {
  const max = (n * (n + 1)) / 2;
  const counts = new Array<number>(max + 1).fill(0);
  counts[0] = 1;
  for (let rank = 1; rank <= n; rank++) {
    for (let w = max; w >= rank; w--) counts[w]! += counts[w - rank]!;
  }
  return counts;
}

/** counts[u] = number of orderings of n1 vs n2 values with statistic u (Mann–Whitney recurrence). */
function mannWhitneyCounts(n1: number, n2: number): number[] {
  // f[j][u] for the current i, built up over i = 0..n1.
  let f = Array.from({ length: n2 + 1 }, () => [1]);
  for (let i = 1; i <= n1; i++) {
    const next: number[][] = [[1]];
    for (let j = 1; j <= n2; j++) {
      const row = new Array<number>(i * j + 1).fill(0);
      const prevI = f[j]!;
      const prevJ = next[j - 1]!;
      // Rows are shorter than i·j + 1 where the count is zero: `?? 0` pads them.
      for (let u = 0; u <= i * j; u++) row[u] = (prevI[u - j] ?? 0) + (prevJ[u] ?? 0);
      next.push(row);
    }
    f = next;
  }
  return f[n2]!;
}

/** Two-sided p from a symmetric null distribution given as counts. */
function exactTwoSided(counts: readonly number[], statistic: number): number {
  const total = counts.reduce((s, c) => s + c, 0);
  const mean = (counts.length - 1) / 2;
  const distance = Math.abs(statistic - mean);
  let tail = 0;
  counts.forEach((c, w) => {
    if (Math.abs(w - mean) >= distance - 1e-9) tail += c;
  });
  return Math.min(1, tail / total);
}

/**
 * Holm–Bonferroni step-down adjustment: family-wise error stays below alpha
 * however many tasks are judged, with more power than plain Bonferroni.
 * Returns adjusted p-values in the input order.
 * @example
 * holm([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 */
export function holm(pValues: readonly number[]): number[] {
  const k = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(k).fill(1);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (k - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
