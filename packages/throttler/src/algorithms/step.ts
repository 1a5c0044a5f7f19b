/**
 * The result shape shared by every algorithm, and the exact integer helpers
 * they use. The Redis script (redis-script.ts) mirrors these functions line
 * for line so both stores make identical decisions.
 */

/** One algorithm's answer for one policy at one instant. */
export interface Step {
  readonly allowed: boolean;
  /** State to store when the whole decision is admitted (algorithm-specific integers). */
  readonly state: number[];
  /** Units left after this request (or before it, when refused). */
  readonly remaining: number;
  /** Milliseconds until the policy is back at full quota. */
  readonly resetMs: number;
  /** Milliseconds until a request of the same cost would be admitted; 0 when admitted. */
  readonly retryAfterMs: number;
}

// fmod-based, not `/` then floor: exact for the safe integers a policy allows.
export function floorDiv(a: number, b: number): number {
  return (a - (a % b)) / b;
}

export function ceilDiv(a: number, b: number): number {
  return floorDiv(a + b - 1, b);
}

/** Start of the fixed window (aligned to the epoch) that contains `now`. */
export function windowStart(now: number, windowMs: number): number {
  // Exact for |now| < 2^53: a quotient at least 1/windowMs below an integer
  // never rounds up to it. One division instead of two fmod calls (hot path).
  return Math.floor(now / windowMs) * windowMs;
}
