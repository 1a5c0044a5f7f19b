import type { Policy } from '../policy.ts';
import { ceilDiv, floorDiv, type Step } from './step.ts';

/**
 * Token bucket: holds up to `capacity` (burst) tokens and refills `limit`
 * tokens per `windowMs`. Tokens are kept scaled by `windowMs` so refill is
 * exact integer arithmetic (`elapsed * limit`), never a drifting float.
 * State: `[scaledTokens, lastRefillMs]`.
 */
export function tokenBucket(policy: Policy, state: readonly number[] | undefined, now: number, cost: number): Step {
  const w = policy.windowMs;
  const full = policy.capacity * w;
  let scaled = full;
  let last = now;
  if (state !== undefined) {
    // Doubles saturate instead of wrapping, so a huge idle time still lands on `full`.
    scaled = Math.min(full, state[0]! + Math.max(0, now - state[1]!) * policy.limit);
    last = Math.max(now, state[1]!);
  }
  const need = cost * w;
  const allowed = scaled >= need;
  if (allowed) scaled -= need;
  // Tokens refill from `last`, which is ahead of now when the clock stepped back: the waits count from
  // there. Counted from now, a store would forget the entry (and hand out a full bucket) before the
  // state reads as fresh; a full bucket is kept until `last` too, so forgetting it changes nothing.
  const ahead = last - now;
  return {
    allowed,
    state: [scaled, last],
    remaining: floorDiv(scaled, w),
    resetMs: ahead + ceilDiv(full - scaled, policy.limit),
    retryAfterMs: allowed ? 0 : ahead + ceilDiv(need - scaled, policy.limit),
  };
}
