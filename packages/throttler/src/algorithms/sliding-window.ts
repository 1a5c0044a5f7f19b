import type { Policy } from '../policy.ts';
import { windowStart, type Step } from './step.ts';

/**
 * Approximated sliding window (two counters): the previous window's count is
 * weighted by how much of it still overlaps `(now - windowMs, now]`. O(1)
 * memory per key; never more than `limit` in any aligned window.
 * State: `[currentStart, previous, current]`.
 */
export function slidingWindow(policy: Policy, state: readonly number[] | undefined, now: number, cost: number): Step {
  const w = policy.windowMs;
  const aligned = windowStart(now, w);
  let start = aligned;
  let prev = 0;
  let curr = 0;
  if (state !== undefined) {
    if (state[0]! >= aligned) [start, prev, curr] = [state[0]!, state[1]!, state[2]!];
    else if (state[0]! === aligned - w) prev = state[2]!;
  }
  const estimate = weighted(prev, curr, now - start, w);
  const allowed = estimate + cost <= policy.limit;
  if (allowed) curr += cost;
  const used = allowed ? estimate + cost : estimate;
  const resetMs = curr > 0 ? start + 2 * w - now : prev > 0 ? start + w - now : 0;
  const retryAfterMs = allowed ? 0 : retryAfter(policy, start, prev, curr, now, cost);
  return { allowed, state: [start, prev, curr], remaining: Math.max(0, Math.floor(policy.limit - used)), resetMs, retryAfterMs };
}

function weighted(prev: number, curr: number, elapsed: number, w: number): number {
  // A negative elapsed (clock stepped back) weighs the previous window fully: conservative.
  const e = Math.min(Math.max(elapsed, 0), w);
  return (prev * (w - e)) / w + curr;
}

// Earliest instant, with no other traffic, at which `cost` fits; the estimate
// is float arithmetic, so the closed form is checked and nudged forward.
function retryAfter(policy: Policy, start: number, prev: number, curr: number, now: number, cost: number): number {
  const w = policy.windowMs;
  const room = policy.limit - curr - cost;
  let at = room >= 0 ? start + Math.ceil(w - (room * w) / prev) : start + w + Math.ceil(w - ((policy.limit - cost) * w) / curr);
  /* v8 ignore next -- guard against float rounding in the closed form; an exhaustive search of small policies found no case that needs it */
  while (!admits(policy, start, prev, curr, at, cost)) at += 1;
  return at - now;
}

function admits(policy: Policy, start: number, prev: number, curr: number, at: number, cost: number): boolean {
  const w = policy.windowMs;
  const estimate = at >= start + w ? weighted(curr, 0, at - start - w, w) : weighted(prev, curr, at - start, w);
  return estimate + cost <= policy.limit;
}
