import { describe, expect, it } from 'vitest';
import { getRateLimit, normalizeRouteLimit, RateLimit, rateLimit } from './decorator.ts';

class AuthController {
  @RateLimit({ limit: 5, windowMs: 60_000 })
  login(): string {
    return 'ok';
  }

  @RateLimit(false)
  health(): string {
    return 'up';
  }

  @RateLimit({ policies: [{ name: 'a', limit: 1, windowMs: 1 }], cost: 1 })
  upload(): string {
    return 'stored';
  }

  plain(): string {
    return 'plain';
  }
}

describe('@RateLimit and rateLimit()', () => {
  it('attaches a normalised limit to the method without changing it', () => {
    const proto = AuthController.prototype;
    expect(new AuthController().login()).toBe('ok');
    expect(getRateLimit(proto.login)).toEqual({ policies: { limit: 5, windowMs: 60_000 } });
    expect(getRateLimit(proto.health)).toBe(false);
    expect(getRateLimit(proto.upload)).toEqual({ policies: [{ name: 'a', limit: 1, windowMs: 1 }], cost: 1 });
    expect(getRateLimit(proto.plain)).toBeUndefined();
  });

  it('has a function form', () => {
    const handler = () => 'hi';
    expect(rateLimit({ limit: 1, windowMs: 1_000 }, handler)).toBe(handler);
    expect(getRateLimit(handler)).toEqual({ policies: { limit: 1, windowMs: 1_000 } });
  });

  it('refuses a limit that is not a policy, { policies } or false', () => {
    expect(() => normalizeRouteLimit(null as unknown as false)).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
    expect(() => normalizeRouteLimit(5 as unknown as false)).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
  });
});
