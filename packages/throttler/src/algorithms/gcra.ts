import type { Policy } from '../policy.ts';
import { ceilDiv, floorDiv, type Step } from './step.ts';

/**
 * GCRA (generic cell rate algorithm): one theoretical arrival time (TAT) per
 * key. Emission interval T = windowMs / limit, tolerance = capacity * T.
 * TAT is kept as `whole + frac / limit` milliseconds so every step is exact
 * integer arithmetic. State: `[tatWholeMs, tatFrac]`.
 */
export function gcra(policy: Policy, state: readonly number[] | undefined, now: number, cost: number): Step {
  const { limit, windowMs: w } = policy;
  const tolerance = policy.capacity * w;
  // Backlog = max(TAT - now, 0), scaled by `limit`.
  let backlog = 0;
  if (state !== undefined && state[0]! >= now) backlog = (state[0]! - now) * limit + state[1]!;
  const wanted = backlog + cost * w;
  const allowed = wanted <= tolerance;
  const after = allowed ? wanted : backlog;
  return {
    allowed,
    state: [now + floorDiv(after, limit), after % limit],
    remaining: floorDiv(tolerance - after, w),
    resetMs: ceilDiv(after, limit),
    retryAfterMs: allowed ? 0 : ceilDiv(wanted - tolerance, limit),
  };
}
