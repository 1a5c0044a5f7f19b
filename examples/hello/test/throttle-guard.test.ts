/**
 * The example's throttle guard answers what the throttler decided: 403 for a
 * deny-listed client and 503 under fail-closed, each with the throttler's
 * problem body and headers (it used to turn every refusal into a bare 429).
 * The example config reaches neither refusal, hence a focused test.
 */
import { renderProblem, type RouteContext } from '@rampart/http';
import { createHttpThrottle, type RateLimitStore } from '@rampart/throttler';
import { describe, expect, it } from 'vitest';
import { refusal as refusalOf, throttleGuard } from '../src/controllers.ts';

const ctx = { requestId: 'r-1', instance: '/v2/limited', production: true, typeBase: 'urn:rampart:problem:' };
const quiet = { info() {}, warn() {}, error() {} };

function routeContext(ip: string, headers: Record<string, string> = {}) {
  const set: Record<string, string>[] = [];
  const request = { ip, headers, method: 'GET', routeOptions: { url: '/v2/limited' } };
  const reply = { headers: (h: Record<string, string>) => set.push(h) };
  return { route: { request, reply } as unknown as RouteContext, set };
}

async function refusal(guard: ReturnType<typeof throttleGuard>, route: RouteContext) {
  const error = await Promise.resolve(guard(route)).then(
    () => expect.unreachable('the guard admitted the request'),
    (e: unknown) => e,
  );
  return renderProblem(error, ctx);
}

describe('throttleGuard', () => {
  it('answers 403 with the throttler problem for a deny-listed client', async () => {
    const throttle = createHttpThrottle({ deny: ['198.51.100.0/24'] });
    const { body, headers } = await refusal(throttleGuard(throttle), routeContext('198.51.100.9').route);
    expect(body).toEqual({
      type: 'urn:rampart:throttle:denied',
      title: 'Forbidden',
      status: 403,
      detail: 'Requests from this address are not accepted.',
      instance: '/v2/limited',
      code: 'HTTP_ERR_FORBIDDEN',
      requestId: 'r-1',
    });
    expect(headers).toEqual({});
    await throttle.close();
  });

  it('answers 503 with the throttler problem and Retry-After when the store is down under fail-closed', async () => {
    const down: RateLimitStore = { consume: () => Promise.reject(new Error('connect ECONNREFUSED')), reset: () => undefined, close: () => undefined };
    const throttle = createHttpThrottle({ store: down, onStoreError: 'fail-closed', logger: quiet });
    const { body, headers } = await refusal(throttleGuard(throttle), routeContext('203.0.113.7').route);
    expect(body).toEqual({
      type: 'urn:rampart:throttle:store-unavailable',
      title: 'Service Unavailable',
      status: 503,
      detail: 'Rate limiting is unavailable; retry in 5 s.',
      instance: '/v2/limited',
      code: 'THROTTLE_ERR_STORE_DOWN',
      requestId: 'r-1',
      retryAfter: 5,
    });
    expect(headers).toEqual({ 'Retry-After': '5' });
    await throttle.close();
  });

  it('answers 429 with the policy and retry hint of the throttler problem, and sets quota headers when admitted', async () => {
    const throttle = createHttpThrottle({ policies: { name: 'minute', limit: 1, windowMs: 60_000 } });
    const first = routeContext('203.0.113.7');
    expect(await throttleGuard(throttle)(first.route)).toBe(true);
    expect(first.set).toHaveLength(1);
    const { body, headers } = await refusal(throttleGuard(throttle), routeContext('203.0.113.7').route);
    expect(body).toMatchObject({ type: 'urn:rampart:throttle:rate-limited', title: 'Too Many Requests', status: 429, code: 'HTTP_ERR_TOO_MANY_REQUESTS', policy: 'minute' });
    expect(body.detail).toMatch(/^Rate limit "minute" exceeded; retry in \d+ s\.$/);
    expect(Object.keys(headers).sort()).toEqual(['RateLimit', 'RateLimit-Policy', 'Retry-After']);
    await throttle.close();
  });

  it('renders a refusal without a problem body, and any other status, as a plain exception of that status', () => {
    const bare = refusalOf({ allowed: false, status: 429, headers: { 'Retry-After': '1' }, body: undefined, decision: undefined });
    expect(renderProblem(bare, ctx).body).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_TOO_MANY_REQUESTS', title: 'Too Many Requests', status: 429, detail: 'Too Many Requests', instance: '/v2/limited', code: 'HTTP_ERR_TOO_MANY_REQUESTS', requestId: 'r-1',
    });
    expect(bare.headers).toEqual({ 'Retry-After': '1' });
    const teapot = refusalOf({ allowed: false, status: 418, headers: {}, body: { type: 'urn:x:teapot', title: 'I am a teapot', status: 418, detail: 'short and stout', code: 'X_TEAPOT' }, decision: undefined });
    expect(renderProblem(teapot, ctx).body).toMatchObject({ type: 'urn:x:teapot', status: 418, detail: 'short and stout', code: 'X_TEAPOT' });
  });
});
