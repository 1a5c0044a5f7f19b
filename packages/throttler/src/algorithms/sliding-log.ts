import type { Policy } from '../policy.ts';
import type { Step } from './step.ts';

/**
 * Exact sliding log: admitted units in any window `(t - windowMs, t]` never
 * exceed `limit`. State: `[total, t1, cost1, t2, cost2, ...]`, oldest first.
 * Memory is O(limit) per key by nature; prefer `sliding-window` for large limits.
 */
export function slidingLog(policy: Policy, state: readonly number[] | undefined, now: number, cost: number): Step {
  const s = state ?? [0];
  const expired = now - policy.windowMs;
  let total = s[0]!;
  let i = 1;
  while (i < s.length && s[i]! <= expired) {
    total -= s[i + 1]!;
    i += 2;
  }
  const next = [total, ...s.slice(i)];
  const allowed = total + cost <= policy.limit;
  if (allowed && cost > 0) {
    // Never record a time before the newest entry: the log stays sorted even if the clock steps back.
    next.push(next.length > 1 ? Math.max(now, next[next.length - 2]!) : now, cost);
    total += cost;
    next[0] = total;
  }
  const resetMs = next.length > 1 ? next[next.length - 2]! + policy.windowMs - now : 0;
  // A log above a lowered limit (state kept across a redeploy) leaves nothing, never a negative count.
  return { allowed, state: next, remaining: Math.max(0, policy.limit - total), resetMs, retryAfterMs: allowed ? 0 : retryAfter(policy, next, now, cost) };
}

// The earliest instant at which enough old entries have expired for `cost` to fit.
function retryAfter(policy: Policy, log: readonly number[], now: number, cost: number): number {
  const mustFree = log[0]! + cost - policy.limit;
  let freed = 0;
  let j = 1;
  while (freed + log[j + 1]! < mustFree) {
    freed += log[j + 1]!;
    j += 2;
  }
  return log[j]! + policy.windowMs - now;
}
