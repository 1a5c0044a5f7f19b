/**
 * Percentile bootstrap confidence interval of the ratio of medians
 * (candidate / base). Seeded, so the same samples always print the same
 * interval: a verdict that changes between two reads of one report would
 * teach people to ignore it.
 */
import { median, quantile } from './stats.ts';

export interface RatioInterval {
  /** median(candidate) / median(base); > 1 means the candidate is slower. */
  ratio: number;
  low: number;
  high: number;
  /** Confidence level of [low, high], e.g. 0.95. */
  level: number;
}

export interface BootstrapOptions {
  /** Resample round i of both sides together (interleaved side-by-side runs). */
  paired: boolean;
  level?: number;
  resamples?: number;
  seed?: number;
}

/** mulberry32: tiny, fast, good enough to drive resampling. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function resample(values: readonly number[], indices: readonly number[]): number[] {
  return indices.map((i) => values[i] ?? Number.NaN);
}

function draw(n: number, random: () => number): number[] {
  return Array.from({ length: n }, () => Math.floor(random() * n));
}

/**
 * @example
 * const ci = bootstrapRatio([100, 101, 99], [125, 126, 124], { paired: true });
 * ci.ratio; // 1.25 — and ci.low > 1: slower with 95% confidence
 */
export function bootstrapRatio(
  base: readonly number[],
  candidate: readonly number[],
  options: BootstrapOptions,
): RatioInterval {
  const level = options.level ?? 0.95;
  const ratio = median(candidate) / median(base);
  if (options.paired && base.length !== candidate.length) {
    throw new RangeError(`paired bootstrap needs equal sample counts (${base.length} vs ${candidate.length})`);
  }
  const random = seededRandom(options.seed ?? 0x5eed);
  const count = options.resamples ?? 2000;
  const ratios = new Array<number>(count);
  for (let r = 0; r < count; r++) {
    const bi = draw(base.length, random);
    const ci = options.paired ? bi : draw(candidate.length, random);
    ratios[r] = median(resample(candidate, ci)) / median(resample(base, bi));
  }
  const tail = (1 - level) / 2;
  return { ratio, low: quantile(ratios, tail), high: quantile(ratios, 1 - tail), level };
}
