/**
 * The decision a limiter hands back: allowed or not, how much is left, when
 * the quota resets, when to retry, and which policy decided.
 */
import type { PolicyOutcome, StoreOutcome } from './algorithms/decide.ts';
import type { Policy } from './policy.ts';

/**
 * Where a decision came from: the store, the in-memory insurance limiter, or
 * the failure policy applied while the store was unavailable.
 */
export type DecisionSource = 'store' | 'insurance' | 'fail-open' | 'fail-closed';

export interface Decision {
  readonly allowed: boolean;
  readonly key: string;
  /** The policy that decided: the refusing one with the longest wait, else the one with the least left. */
  readonly policy: Policy;
  readonly limit: number;
  readonly remaining: number;
  /** Milliseconds until the deciding policy is back at full quota. */
  readonly resetMs: number;
  /** Milliseconds to wait before retrying; 0 when allowed. */
  readonly retryAfterMs: number;
  readonly outcomes: readonly PolicyOutcome[];
  readonly source: DecisionSource;
  /** `capacity`: the memory store's key table is full and this key is new. */
  readonly reason?: 'capacity';
}

/** Picks the deciding policy and flattens a store outcome into a decision. */
export function toDecision(key: string, outcome: StoreOutcome, source: DecisionSource): Decision {
  const decisive = pickDecisive(outcome);
  const retryAfterMs = outcome.allowed ? 0 : decisive.retryAfterMs;
  const base = {
    allowed: outcome.allowed,
    key,
    policy: decisive.policy,
    limit: decisive.policy.capacity,
    remaining: decisive.remaining,
    resetMs: decisive.resetMs,
    retryAfterMs,
    outcomes: outcome.outcomes,
    source,
  };
  return outcome.reason === undefined ? base : { ...base, reason: outcome.reason };
}

function pickDecisive(outcome: StoreOutcome): PolicyOutcome {
  let best = outcome.outcomes[0]!;
  for (const o of outcome.outcomes) {
    if (outcome.allowed ? o.remaining < best.remaining : !o.allowed && (best.allowed || o.retryAfterMs > best.retryAfterMs)) best = o;
  }
  return best;
}

/** A decision made without the store (fail-open / fail-closed): nothing is known about the quota. */
export function degradedDecision(key: string, policies: readonly Policy[], allowed: boolean, retryAfterMs: number): Decision {
  const outcomes = policies.map((policy) => ({
    policy,
    allowed,
    remaining: allowed ? policy.capacity : 0,
    resetMs: retryAfterMs,
    retryAfterMs: allowed ? 0 : retryAfterMs,
  }));
  return toDecision(key, { allowed, outcomes, ttlMs: retryAfterMs }, allowed ? 'fail-open' : 'fail-closed');
}
