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

/** Median of `values` drawn at `indices`, sorted in a reused buffer (no allocation per resample). */
function resampledMedian(values: readonly number[], indices: Uint32Array, buffer: Float64Array): number {
  for (let i = 0; i < indices.length; i++) buffer[i] = values[indices[i]!]!;
  buffer.sort();
  const mid = buffer.length >> 1;
  const upper = buffer[mid]!;
  return buffer.length % 2 === 1 ? upper : (buffer[mid - 1]! + upper) / 2;
}

function draw(into: Uint32Array, random: () => number): Uint32Array {
  for (let i = 0; i < into.length; i++) into[i] = Math.floor(random() * into.length);
  return into;
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
  const [bi, ci] = [new Uint32Array(base.length), new Uint32Array(candidate.length)];
  const [bb, cb] = [new Float64Array(base.length), new Float64Array(candidate.length)];
  for (let r = 0; r < count; r++) {
    draw(bi, random);
    const cIdx = options.paired ? bi : draw(ci, random);
    ratios[r] = resampledMedian(candidate, cIdx, cb) / resampledMedian(base, bi, bb);
  }
  const tail = (1 - level) / 2;
  return { ratio, low: quantile(ratios, tail), high: quantile(ratios, 1 - tail), level };
}
