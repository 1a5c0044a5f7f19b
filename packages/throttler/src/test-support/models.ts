/**
 * Small reference models for the algorithms, written from the laws and the
 * full arrival history (never from the incremental state the real code keeps),
 * so a state-transition bug shows up as a disagreement.
 */
import type { Policy } from '../policy.ts';

export interface Arrival {
  readonly t: number;
  readonly cost: number;
  readonly admitted: boolean;
}

const sum = (list: readonly Arrival[]): number => list.reduce((n, a) => n + (a.admitted ? a.cost : 0), 0);
const aligned = (t: number, w: number): number => t - (t % w);

/** Fixed window: admitted in the same aligned window plus cost fits the limit. */
export function fixedModel(p: Policy, history: readonly Arrival[], t: number, cost: number): boolean {
  const start = aligned(t, p.windowMs);
  return sum(history.filter((a) => a.t >= start)) + cost <= p.limit;
}

/** Sliding log: admitted in (t - W, t] plus cost fits the limit. */
export function slidingLogModel(p: Policy, history: readonly Arrival[], t: number, cost: number): boolean {
  return sum(history.filter((a) => a.t > t - p.windowMs)) + cost <= p.limit;
}

/** Approximated sliding window, from per-window totals of the whole history. */
export function slidingWindowModel(p: Policy, history: readonly Arrival[], t: number, cost: number): boolean {
  const w = p.windowMs;
  const start = aligned(t, w);
  const curr = sum(history.filter((a) => a.t >= start));
  const prev = sum(history.filter((a) => a.t >= start - w && a.t < start));
  return (prev * (w - (t - start))) / w + curr + cost <= p.limit;
}

/**
 * Token bucket (and GCRA), unrolled: tokens(t) = min over every earlier arrival
 * k of (burst + rate * (t - t_k) - admitted since t_k), capped at burst.
 * Everything is scaled by windowMs so the comparison is exact.
 */
export function bucketModel(p: Policy, history: readonly Arrival[], t: number, cost: number): boolean {
  let tokens = p.capacity * p.windowMs;
  for (let k = 0; k < history.length; k++) {
    const since = history.slice(k);
    tokens = Math.min(tokens, p.capacity * p.windowMs + p.limit * (t - history[k]!.t) - p.windowMs * sum(since));
  }
  return tokens >= cost * p.windowMs;
}
