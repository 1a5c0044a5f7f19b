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

  // Was: any made-up x-api-key got a bucket of its own, so rotating values escaped the limit.
  it('gives an API key its own bucket only when validateApiKey accepts it; others count against the IP', async () => {
    const keyOf = createKeyGenerator({ by: 'api-key', validateApiKey: (key) => key === 'real' });
    expect([keyOf(req({ headers: { 'x-api-key': 'real' } })), keyOf(req({ headers: { 'x-api-key': 'made-up' } })), keyOf(req())]).toEqual([
      `key=${hashed('real')}`,
      'ip=203.0.113.7',
      'ip=203.0.113.7',
    ]);
    const seen: string[] = [];
    const slow = createKeyGenerator({ by: ['api-key', 'route'], validateApiKey: (key) => (seen.push(key), Promise.resolve(key === 'real')) });
    const answers = [slow(req({ headers: { 'x-api-key': 'real' }, route: '/a' })), slow(req({ headers: { 'x-api-key': 'fake' }, route: '/a' })), slow(req({ route: '/a' }))];
    expect(answers[2]).toBe('ip=203.0.113.7&route=%2Fa'); // no key: nothing to validate, no promise
    expect(await Promise.all(answers.map(async (a) => a))).toEqual([`key=${hashed('real')}&route=%2Fa`, 'ip=203.0.113.7&route=%2Fa', 'ip=203.0.113.7&route=%2Fa']);
    expect(seen).toEqual(['real', 'fake']);
    // only `true` admits a key: a truthy non-boolean from an untyped validator is refused
    const sloppy = createKeyGenerator({ by: 'api-key', validateApiKey: (() => Promise.resolve('yes')) as unknown as () => Promise<boolean> });
    expect(await sloppy(req({ headers: { 'x-api-key': 'real' } }))).toBe('ip=203.0.113.7');
    const failing = createKeyGenerator({ by: 'api-key', validateApiKey: () => Promise.reject(new Error('auth db down')) });
    await expect(failing(req({ headers: { 'x-api-key': 'real' } }))).rejects.toThrow('auth db down');
    expect(() => createKeyGenerator({ validateApiKey: 'yes' as unknown as () => boolean })).toThrow(
      expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION', message: 'A throttler option is invalid: key.validateApiKey must be a function' }),
    );
  });

  // Fastify answers HEAD with the GET handler: a separate `route=HEAD ...` bucket would be a second quota.
  it('the route strategy counts HEAD as GET and a route registered for several methods as one route', () => {
    const keyOf = createKeyGenerator({ by: 'route' });
    expect(keyOf(req({ method: 'HEAD', route: '/x' }))).toBe('route=GET%20%2Fx');
    expect(keyOf(req({ method: 'PUT', route: '/x', routeMethods: ['PUT', 'GET', 'HEAD', 'GET'] }))).toBe('route=GET%2CPUT%20%2Fx');
    expect(keyOf(req({ method: 'PUT', route: '/x', routeMethods: ['PUT'] }))).toBe('route=PUT%20%2Fx');
    expect(keyOf(req({ method: 'PUT', route: '/x', routeMethods: [] }))).toBe('route=PUT%20%2Fx');
  });

  it('refuses an empty or unknown strategy', () => {
    expect(() => createKeyGenerator({ by: [] })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
    expect(() => createKeyGenerator({ by: 'session' as 'ip' })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
  });
});
