/**
 * RFC 9457 problem documents for refused requests. The body never names the
 * key: it may hold an address or a hashed API key.
 */
import type { Decision } from './decision.ts';

/** An RFC 9457 `application/problem+json` body. */
export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code?: string;
  readonly policy?: string;
  readonly retryAfter?: number;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The 429 (or 503 when the store is down and the policy is fail-closed) body.
 * @example
 * reply.code(429).type(PROBLEM_CONTENT_TYPE).send(rateLimitProblem(decision));
 */
export function rateLimitProblem(decision: Decision): ProblemDocument {
  const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  if (decision.source === 'fail-closed') {
    return {
      type: 'urn:rampart:throttle:store-unavailable',
      title: 'Service Unavailable',
      status: 503,
      detail: `Rate limiting is unavailable; retry in ${retryAfter} s.`,
      code: 'THROTTLE_ERR_STORE_DOWN',
      retryAfter,
    };
  }
  const detail =
    decision.reason === 'capacity'
      ? `Too many clients are being tracked; retry in ${retryAfter} s.`
      : `Rate limit "${decision.policy.name}" exceeded; retry in ${retryAfter} s.`;
  return { type: 'urn:rampart:throttle:rate-limited', title: 'Too Many Requests', status: 429, detail, policy: decision.policy.name, retryAfter };
}

/** The 403 body for an address on the deny list. */
export function deniedProblem(): ProblemDocument {
  return { type: 'urn:rampart:throttle:denied', title: 'Forbidden', status: 403, detail: 'Requests from this address are not accepted.' };
}
