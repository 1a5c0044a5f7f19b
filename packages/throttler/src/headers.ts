/**
 * Response header fields, as pure functions of a decision.
 * Standard: draft-ietf-httpapi-ratelimit-headers (-10) structured fields,
 *   RateLimit-Policy: "minute";q=100;w=60
 *   RateLimit:        "minute";r=42;t=17
 * one list member per policy. Legacy X-RateLimit-* (GitHub style, reset as
 * epoch seconds) only when asked for. Retry-After (RFC 9110) when refused.
 */
import type { PolicyOutcome } from './algorithms/decide.ts';
import type { Decision } from './decision.ts';

export interface HeaderOptions {
  /** `RateLimit` + `RateLimit-Policy`. Default true. */
  readonly standard?: boolean;
  /** `X-RateLimit-Limit/Remaining/Reset`. Default false. */
  readonly legacy?: boolean;
}

const seconds = (ms: number): number => Math.ceil(Math.max(0, ms) / 1000);

// For buckets, q is the burst and w the time to refill it completely, so r never exceeds q.
function policyItem(o: PolicyOutcome): string {
  const { name, capacity, limit, windowMs } = o.policy;
  return `"${name}";q=${capacity};w=${Math.max(1, seconds((capacity * windowMs) / limit))}`;
}

function limitItem(o: PolicyOutcome): string {
  return `"${o.policy.name}";r=${o.remaining};t=${seconds(o.resetMs)}`;
}

/**
 * The header fields to set for a decision. Degraded decisions (store down)
 * carry no quota fields: nothing true is known about the quota.
 * @example
 * rateLimitHeaders(decision, { legacy: true }, Date.now());
 * // { 'RateLimit-Policy': '"default";q=100;w=60', RateLimit: '"default";r=99;t=60', 'X-RateLimit-Limit': '100', ... }
 */
export function rateLimitHeaders(decision: Decision, options: HeaderOptions = {}, nowMs: number = Date.now()): Record<string, string> {
  const out: Record<string, string> = {};
  const known = decision.source === 'store' || decision.source === 'insurance';
  if (known && options.standard !== false) {
    out['RateLimit-Policy'] = decision.outcomes.map(policyItem).join(', ');
    out.RateLimit = decision.outcomes.map(limitItem).join(', ');
  }
  if (known && options.legacy === true) {
    out['X-RateLimit-Limit'] = String(decision.limit);
    out['X-RateLimit-Remaining'] = String(decision.remaining);
    out['X-RateLimit-Reset'] = String(Math.ceil((nowMs + decision.resetMs) / 1000));
  }
  if (!decision.allowed) out['Retry-After'] = String(Math.max(1, seconds(decision.retryAfterMs)));
  return out;
}
