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
  return {
    allowed,
    state: [scaled, last],
    remaining: floorDiv(scaled, w),
    resetMs: ceilDiv(full - scaled, policy.limit),
    retryAfterMs: allowed ? 0 : ceilDiv(need - scaled, policy.limit),
  };
}
