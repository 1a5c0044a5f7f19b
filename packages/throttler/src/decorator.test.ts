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

  // Was: a bad policy or cost was only found when the route was first requested, then failed every request.
  it('validates the policies and cost where the limit is declared', () => {
    const decorate = (limit: Parameters<typeof RateLimit>[0]) => () => RateLimit(limit);
    expect(decorate({ limit: 0, windowMs: 1_000 })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_POLICY' }));
    expect(() => rateLimit({ policies: [{ limit: 5, windowMs: 1_000 }], cost: 6 }, () => 'x')).toThrow(
      expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_COST', message: 'The request cost is invalid: cost 6 exceeds the capacity 5 of policy default' }),
    );
    expect(() => normalizeRouteLimit({ policies: [] })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_POLICY' }));
    expect(normalizeRouteLimit({ policies: { limit: 5, windowMs: 1_000 }, cost: 5 })).toEqual({ policies: { limit: 5, windowMs: 1_000 }, cost: 5 });
  });

  it('refuses a limit that is not a policy, { policies } or false', () => {
    expect(() => normalizeRouteLimit(null as unknown as false)).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
    expect(() => normalizeRouteLimit(5 as unknown as false)).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
  });
});
