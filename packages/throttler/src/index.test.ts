import { describe, expect, it } from 'vitest';
import * as api from './index.ts';

describe('public entry', () => {
  it('exports exactly the documented runtime API', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'ALGORITHMS', 'CircuitBreaker', 'DEFAULT_POLICY', 'HttpThrottle', 'MemoryStore', 'PROBLEM_CONTENT_TYPE', 'RateLimit', 'RateLimiter', 'RedisStore',
        'THROTTLE_CHANNELS', 'THROTTLE_ERRORS', 'ThrottleError', 'clientIp', 'compileTrustProxy', 'createHttpThrottle', 'createKeyGenerator', 'createRateLimiter',
        'decideAll', 'definePolicies', 'definePolicy', 'deniedProblem', 'fastifyThrottle', 'forwardedFor', 'getRateLimit', 'ipGroup', 'isThrottleError',
        'parseCidrs', 'parseIp', 'rateLimit', 'rateLimitHeaders', 'rateLimitProblem', 'stderrLogger', 'step',
      ].sort(),
    );
  });
});
