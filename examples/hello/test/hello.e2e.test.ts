import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { HTTP_SERVER } from '@rampart/http';
import { buildHelloApp, NOTES } from '@rampart/example-hello';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child() { return quiet; } };

async function started(now = Date.parse('2026-06-01T00:00:00Z')) {
  const clock = { now: () => now };
  const app = buildHelloApp({ config: { host: '127.0.0.1', port: 0, rateLimit: { limit: 3, windowMs: 60_000 } }, logger: quiet, clock, shutdownSignals: false });
  await app.start();
  const server = app.get(HTTP_SERVER);
  const { port } = server.app.server.address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}`, setNow: (ms: number) => (now = ms) };
}

describe('example service: hello', () => {
  it('serves a versioned API; v1 is deprecated, then gone after its sunset', async () => {
    const { app, url, setNow } = await started();
    const v1 = await request(url).get('/v1/hello').expect(200);
    expect(v1.body).toEqual({ message: 'hello, world' });
    expect(v1.headers.deprecation).toBe('@1767225600');
    expect(v1.headers.sunset).toBe('Fri, 01 Jan 2027 00:00:00 GMT');
    const v2 = await request(url).get('/v2/hello').set('X-Request-Id', 'demo-1').expect(200);
    expect(v2.body).toEqual({ message: 'hello, world', version: '2', requestId: 'demo-1' });
    expect(v2.headers.deprecation).toBeUndefined();
    setNow(Date.parse('2027-01-01T00:00:00Z'));
    const gone = await request(url).get('/v1/hello').expect(410);
    expect(gone.body.code).toBe('HTTP_ERR_GONE');
    const doc = await request(url).get('/openapi/v2.json').expect(200);
    expect(Object.keys(doc.body.paths).sort()).toEqual(['/v2/hello', '/v2/limited', '/v2/notes', '/v2/notes/{id}']);
    await app.stop();
  });

  it('rate-limits /limited per client: 3 allowed, then 429 problem with RateLimit headers', async () => {
    const { app, url } = await started();
    for (let i = 0; i < 3; i++) await request(url).get('/v2/limited').expect(200);
    const limited = await request(url).get('/v2/limited').expect(429);
    expect(limited.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(limited.body).toMatchObject({ status: 429, code: 'HTTP_ERR_TOO_MANY_REQUESTS' });
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    await app.stop();
  });

  it('stores notes encrypted and reads them back; validates input', async () => {
    const { app, url } = await started();
    const created = await request(url).post('/v2/notes').send({ text: 'the launch code is 0000' }).expect(201);
    const id = created.body.id as string;
    const stored = app.get(NOTES).stored(id);
    expect(stored).toBeDefined();
    expect(stored).not.toContain('launch');
    expect((await request(url).get(`/v2/notes/${id}`).expect(200)).body).toEqual({ id, text: 'the launch code is 0000' });
    const missing = await request(url).get('/v2/notes/8f14e45f-ceea-4e7a-9b3c-1d2e3f4a5b6c').expect(404);
    expect(missing.body.code).toBe('HTTP_ERR_NOT_FOUND');
    const invalid = await request(url).post('/v2/notes').send({ text: '' }).expect(400);
    expect(invalid.body.errors).toEqual([{ in: 'body', pointer: '/text', keyword: 'minLength', message: 'must NOT have fewer than 1 characters' }]);
    await app.stop();
  });
});
