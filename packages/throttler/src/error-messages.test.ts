import { describe, expect, it } from 'vitest';
import { compileTrustProxy } from './client-ip.ts';
import { normalizeRouteLimit } from './decorator.ts';
import { checkGrouping, parseCidrs } from './ip.ts';
import { createKeyGenerator } from './keys.ts';
import { definePolicies } from './policy.ts';
import { parseReply } from './redis-store.ts';

// Codes are the API; the messages are what an operator reads, so they are pinned too.
const thrown = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    const e = error as { code: string; message: string };
    return `${e.code}: ${e.message}`;
  }
  return 'no error';
};

describe('configuration errors say what is wrong', () => {
  it.each([
    [() => compileTrustProxy({ proxies: ['0.0.0.0/0'] }), 'THROTTLE_ERR_PERMISSIVE_TRUST_PROXY: Trusting every proxy lets any client spoof its address; set acknowledgePermissive to accept this: a /0 range trusts every client'],
    [() => compileTrustProxy({ proxies: ['10.0.0.0/8'], header: 'x-real-ip' as 'forwarded' }), 'THROTTLE_ERR_INVALID_OPTION: A throttler option is invalid: trustProxy.header must be x-forwarded-for or forwarded'],
    [() => parseCidrs('10.0.0.0/8' as unknown as string[]), 'THROTTLE_ERR_INVALID_CIDR: An IP range is not valid CIDR notation: expected an array of CIDR strings'],
    [() => checkGrouping({ ipv4Prefix: 33 }), 'THROTTLE_ERR_INVALID_OPTION: A throttler option is invalid: ipv4Prefix must be 1..32 and ipv6Prefix 1..128'],
    [() => checkGrouping({ ipv6Prefix: 0 }), 'THROTTLE_ERR_INVALID_OPTION: A throttler option is invalid: ipv4Prefix must be 1..32 and ipv6Prefix 1..128'],
    [() => createKeyGenerator({ by: [] }), 'THROTTLE_ERR_INVALID_OPTION: A throttler option is invalid: key.by needs at least one strategy'],
    [() => createKeyGenerator({ by: 'cookie' as 'ip' }), 'THROTTLE_ERR_INVALID_OPTION: A throttler option is invalid: unknown key strategy "cookie"'],
    [() => normalizeRouteLimit(null as unknown as false), 'THROTTLE_ERR_INVALID_OPTION: A throttler option is invalid: a route limit is a policy, { policies }, or false'],
    [() => parseReply([1], definePolicies({ limit: 1, windowMs: 1 })), 'THROTTLE_ERR_STORE_REPLY: The rate-limit store sent a malformed reply: unexpected reply shape for 1 policies'],
  ])('%#', (fn, expected) => {
    expect(thrown(fn)).toBe(expected);
  });

  it('accepts the prefix bounds themselves', () => {
    expect(checkGrouping({ ipv4Prefix: 1, ipv6Prefix: 128 })).toEqual({ ipv4Prefix: 1, ipv6Prefix: 128 });
    expect(checkGrouping({ ipv4Prefix: 32, ipv6Prefix: 1 })).toEqual({ ipv4Prefix: 32, ipv6Prefix: 1 });
  });
});
