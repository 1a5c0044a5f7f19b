import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyGenerator, type ThrottleRequest } from './keys.ts';

const hashed = (secret: string) => createHash('sha256').update(secret).digest('base64url').slice(0, 22);
const req = (over: Partial<ThrottleRequest> = {}): ThrottleRequest => ({ ip: '203.0.113.7', headers: {}, ...over });

describe('key strategies', () => {
  it('defaults to the client IP', () => {
    expect(createKeyGenerator()(req())).toBe('ip=203.0.113.7');
    expect(createKeyGenerator()(req({ ip: '2001:db8:1:2::99' }))).toBe('ip=2001%3Adb8%3A1%3A2%3A%3A%2F64');
    expect(createKeyGenerator()(req({ ip: '' }))).toBe('ip=unknown');
  });

  it('keys by user, API key (hashed), route and custom parts, falling back to the IP', () => {
    const keyOf = createKeyGenerator({ by: ['user', 'api-key', 'route', (r) => r.headers['x-tenant'] as string | undefined] });
    expect(keyOf(req({ user: { id: 42 }, headers: { 'x-api-key': 's3cr3t', 'x-tenant': 'acme' }, method: 'POST', route: '/login' }))).toBe(
      `user=42&key=${hashed('s3cr3t')}&route=POST%20%2Flogin&c3=acme`,
    );
    expect(keyOf(req({ user: null }))).toBe('ip=203.0.113.7&ip=203.0.113.7&route=&ip=203.0.113.7');
    expect(createKeyGenerator({ by: 'api-key', apiKeyHeader: 'Authorization' })(req({ headers: { authorization: ['k1', 'k2'] } }))).toBe(`key=${hashed('k1')}`);
    expect(createKeyGenerator({ by: 'api-key' })(req({ headers: { 'x-api-key': '' } }))).toBe('ip=203.0.113.7');
    expect(createKeyGenerator({ by: 'user' })(req({ user: {} }))).toBe('ip=203.0.113.7');
  });

  it('refuses an empty or unknown strategy', () => {
    expect(() => createKeyGenerator({ by: [] })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
    expect(() => createKeyGenerator({ by: 'session' as 'ip' })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
  });
});
