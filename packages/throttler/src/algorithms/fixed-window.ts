import type { Policy } from '../policy.ts';
import { windowStart, type Step } from './step.ts';

/**
 * Fixed window: at most `limit` units per epoch-aligned window.
 * State: `[windowStart, used]`. A clock that steps back keeps the newer
 * window, so a wall-clock correction never hands out a second quota.
 */
export function fixedWindow(policy: Policy, state: readonly number[] | undefined, now: number, cost: number): Step {
  const aligned = windowStart(now, policy.windowMs);
  let start = aligned;
  let used = 0;
  if (state !== undefined && state[0]! >= aligned) {
    start = state[0]!;
    used = state[1]!;
  }
  const resetMs = start + policy.windowMs - now;
  const allowed = used + cost <= policy.limit;
  if (allowed) used += cost;
  // A count above a lowered limit (state kept across a redeploy) leaves nothing, never a negative count.
  return { allowed, state: [start, used], remaining: Math.max(0, policy.limit - used), resetMs, retryAfterMs: allowed ? 0 : resetMs };
}
