/**
 * Several policies for one key, checked atomically: the request is admitted
 * only if every policy admits it, and a refused request consumes nothing.
 */
import type { Policy } from '../policy.ts';
import { fixedWindow } from './fixed-window.ts';
import { gcra } from './gcra.ts';
import { slidingLog } from './sliding-log.ts';
import { slidingWindow } from './sliding-window.ts';
import type { Step } from './step.ts';
import { tokenBucket } from './token-bucket.ts';

/**
 * Runs one policy's algorithm.
 * @example
 * const s = step(definePolicy({ limit: 10, windowMs: 1000 }), undefined, Date.now(), 1); // s.allowed === true
 */
export function step(policy: Policy, state: readonly number[] | undefined, now: number, cost: number): Step {
  // A switch, not a lookup table: direct calls, which the compiler can inline into the store.
  switch (policy.algorithm) {
    case 'fixed-window':
      return fixedWindow(policy, state, now, cost);
    case 'sliding-window':
      return slidingWindow(policy, state, now, cost);
    case 'sliding-log':
      return slidingLog(policy, state, now, cost);
    case 'token-bucket':
      return tokenBucket(policy, state, now, cost);
    case 'gcra':
      return gcra(policy, state, now, cost);
  }
}

/** The per-policy part of a decision. */
export interface PolicyOutcome {
  readonly policy: Policy;
  readonly allowed: boolean;
  readonly remaining: number;
  readonly resetMs: number;
  readonly retryAfterMs: number;
}

/** What a store answers for one key. `states` is what to store, present only when admitted. */
export interface StoreOutcome {
  readonly allowed: boolean;
  readonly outcomes: readonly PolicyOutcome[];
  /** Milliseconds, from now, until every policy is back at full quota. */
  readonly ttlMs: number;
  /** Set when the store refused for its own reason (the memory store's key table is full). */
  readonly reason?: 'capacity';
}

/**
 * Applies every policy to its state; all-or-nothing.
 * @example
 * const { allowed, states } = decideAll(policies, [undefined, undefined], clock.now(), 1);
 */
export function decideAll(
  policies: readonly Policy[],
  states: readonly (readonly number[] | undefined)[],
  now: number,
  cost: number,
): StoreOutcome & { readonly states: readonly number[][] | undefined } {
  if (policies.length === 1) return decideOne(policies[0]!, states[0], now, cost);
  const steps = policies.map((p, i) => step(p, states[i], now, cost));
  const allowed = steps.every((s) => s.allowed);
  // On refusal, policies that would have admitted report their quota as it stands, untouched.
  const shown = allowed ? steps : steps.map((s, i) => (s.allowed ? step(policies[i]!, states[i], now, 0) : s));
  const outcomes = shown.map((s, i) => ({
    policy: policies[i]!,
    allowed: steps[i]!.allowed,
    remaining: s.remaining,
    resetMs: s.resetMs,
    retryAfterMs: s.retryAfterMs,
  }));
  const ttlMs = shown.reduce((max, s) => Math.max(max, s.resetMs), 0);
  return { allowed, outcomes, ttlMs, states: allowed ? steps.map((s) => s.state) : undefined };
}

// The common single-policy case without the intermediate arrays (hot path).
function decideOne(policy: Policy, state: readonly number[] | undefined, now: number, cost: number): StoreOutcome & { readonly states: readonly number[][] | undefined } {
  const s = step(policy, state, now, cost);
  const outcome: PolicyOutcome = { policy, allowed: s.allowed, remaining: s.remaining, resetMs: s.resetMs, retryAfterMs: s.retryAfterMs };
  return { allowed: s.allowed, outcomes: [outcome], ttlMs: s.resetMs, states: s.allowed ? [s.state] : undefined };
}
