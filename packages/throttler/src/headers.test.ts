import { describe, expect, it } from 'vitest';
import { toDecision, degradedDecision } from './decision.ts';
import { rateLimitHeaders } from './headers.ts';
import { definePolicies, definePolicy } from './policy.ts';
import { deniedProblem, rateLimitProblem } from './problem.ts';

const [minute, burst] = definePolicies([{ name: 'minute', limit: 100, windowMs: 60_000 }, { name: 'burst', algorithm: 'token-bucket', limit: 10, windowMs: 1_000, burst: 25 }]);
const NOW = 1_700_000_000_000;

const refused = toDecision(
  'ip=1',
  {
    allowed: false,
    ttlMs: 17_000,
    outcomes: [
      { policy: minute!, allowed: true, remaining: 42, resetMs: 17_000, retryAfterMs: 0 },
      { policy: burst!, allowed: false, remaining: 0, resetMs: 2_500, retryAfterMs: 1_001 },
    ],
  },
  'store',
);

describe('rate-limit header fields', () => {
  it('writes draft-10 RateLimit and RateLimit-Policy, one member per policy, plus Retry-After when refused', () => {
    expect(rateLimitHeaders(refused, {}, NOW)).toEqual({
      'RateLimit-Policy': '"minute";q=100;w=60, "burst";q=25;w=3',
      RateLimit: '"minute";r=42;t=17, "burst";r=0;t=3',
      'Retry-After': '2',
    });
  });

  it('adds legacy X-RateLimit-* (reset in epoch seconds) only when asked, and can drop the standard ones', () => {
    expect(rateLimitHeaders(refused, { standard: false, legacy: true }, NOW)).toEqual({
      'X-RateLimit-Limit': '25',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(Math.ceil((NOW + 2_500) / 1000)),
      'Retry-After': '2',
    });
  });

  it('claims no quota for degraded decisions', () => {
    expect(rateLimitHeaders(degradedDecision('k', [minute!], true, 5_000), { legacy: true })).toEqual({});
    expect(rateLimitHeaders(degradedDecision('k', [minute!], false, 5_000))).toEqual({ 'Retry-After': '5' });
  });
});

describe('problem documents (RFC 9457)', () => {
  it('describes a 429 without naming the key', () => {
    expect(rateLimitProblem(refused)).toEqual({
      type: 'urn:rampart:throttle:rate-limited',
      title: 'Too Many Requests',
      status: 429,
      detail: 'Rate limit "burst" exceeded; retry in 2 s.',
      policy: 'burst',
      retryAfter: 2,
    });
    expect(JSON.stringify(rateLimitProblem(refused))).not.toContain('ip=1');
  });

  it('describes capacity refusals, fail-closed 503 and deny-list 403', () => {
    const capacity = toDecision('k', { allowed: false, ttlMs: 60_000, reason: 'capacity', outcomes: [{ policy: definePolicy({ limit: 1, windowMs: 1 }), allowed: false, remaining: 0, resetMs: 60_000, retryAfterMs: 60_000 }] }, 'store');
    expect(rateLimitProblem(capacity)).toMatchObject({ status: 429, detail: 'Too many clients are being tracked; retry in 60 s.' });
    expect(rateLimitProblem(degradedDecision('k', [minute!], false, 5_000))).toEqual({
      type: 'urn:rampart:throttle:store-unavailable',
      title: 'Service Unavailable',
      status: 503,
      detail: 'Rate limiting is unavailable; retry in 5 s.',
      code: 'THROTTLE_ERR_STORE_DOWN',
      retryAfter: 5,
    });
    expect(deniedProblem()).toEqual({ type: 'urn:rampart:throttle:denied', title: 'Forbidden', status: 403, detail: 'Requests from this address are not accepted.' });
  });
});
