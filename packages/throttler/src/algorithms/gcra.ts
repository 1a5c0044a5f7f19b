import type { Policy } from '../policy.ts';
import { ceilDiv, floorDiv, type Step } from './step.ts';

/**
 * GCRA (generic cell rate algorithm): one theoretical arrival time (TAT) per
 * key. Emission interval T = windowMs / limit, tolerance = capacity * T.
 * TAT is kept as `whole + frac / limit` milliseconds so every step is exact
 * integer arithmetic. State: `[tatWholeMs, tatFrac, lastMs]`.
 *
 * `lastMs` is the token bucket's refill time: after the clock steps back the
 * backlog is counted from it, not from now, so a step back is not read as
 * debt (a 1 h step would otherwise lock every active key out for 1 h) and the
 * decisions stay the token bucket's.
 */
export function gcra(policy: Policy, state: readonly number[] | undefined, now: number, cost: number): Step {
  const { limit, windowMs: w } = policy;
  const tolerance = policy.capacity * w;
  // Backlog = max(TAT - last, 0), scaled by `limit`.
  let backlog = 0;
  let last = now;
  if (state !== undefined) {
    // A two-integer state (written before `lastMs` was kept, e.g. still on Redis) counts from now, as it did then.
    last = Math.max(now, state[2] ?? now);
    if (state[0]! >= last) backlog = (state[0]! - last) * limit + state[1]!;
  }
  const wanted = backlog + cost * w;
  const allowed = wanted <= tolerance;
  const after = allowed ? wanted : backlog;
  // As for the token bucket: the waits count from `last`, ahead of now when the clock stepped back.
  const ahead = last - now;
  return {
    allowed,
    state: [last + floorDiv(after, limit), after % limit, last],
    // A backlog beyond the tolerance (the limit or burst was lowered) leaves nothing, never a negative count.
    remaining: Math.max(0, floorDiv(tolerance - after, w)),
    resetMs: ahead + ceilDiv(after, limit),
    retryAfterMs: allowed ? 0 : ahead + ceilDiv(wanted - tolerance, limit),
  };
}
