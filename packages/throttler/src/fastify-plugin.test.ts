import Fastify, { type FastifyInstance } from 'fastify';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimit } from './decorator.ts';
import { fastifyThrottle } from './fastify-plugin.ts';
import { createHttpThrottle } from './http-throttle.ts';

class Controller {
  @RateLimit({ name: 'upload', limit: 1, windowMs: 60_000 })
  upload(): { stored: boolean } {
    return { stored: true };
  }
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function listen(build: (f: FastifyInstance) => Promise<void> | void): Promise<string> {
  app = Fastify();
  await build(app);
  return app.listen({ port: 0, host: '127.0.0.1' });
}

describe('fastifyThrottle over a real socket (supertest)', () => {
  it('sets standard headers, then answers 429 with Retry-After and a problem document', async () => {
    const url = await listen(async (f) => {
      await f.register(fastifyThrottle, { policies: { limit: 2, windowMs: 60_000 } });
      f.get('/items', () => ({ ok: true }));
    });
    const first = await request(url).get('/items');
    expect([first.status, first.body, first.headers['ratelimit-policy'], first.headers.ratelimit]).toEqual([200, { ok: true }, '"default";q=2;w=60', expect.stringMatching(/^"default";r=1;t=\d+$/)]);
    await request(url).get('/items');
    const refused = await request(url).get('/items');
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toEqual({
      type: 'urn:rampart:throttle:rate-limited',
      title: 'Too Many Requests',
      status: 429,
      detail: `Rate limit "default" exceeded; retry in ${refused.headers['retry-after']} s.`,
      policy: 'default',
      retryAfter: Number(refused.headers['retry-after']),
    });
  });

  it('honours route config, @RateLimit metadata on the handler, legacy headers and the user strategy', async () => {
    const url = await listen(async (f) => {
      await f.register(fastifyThrottle, {
        policies: { limit: 100, windowMs: 60_000 },
        headers: { legacy: true },
        key: { by: 'user' },
        user: (r) => (r.headers['x-user'] === undefined ? null : { id: String(r.headers['x-user']) }),
      });
      f.post('/login', { config: { rateLimit: { limit: 1, windowMs: 60_000 } } }, () => ({ in: true }));
      f.get('/health', { config: { rateLimit: false } }, () => 'up');
      // the decorated method itself is the handler: its metadata travels with it
      f.post('/upload', Controller.prototype.upload);
    });
    expect((await request(url).post('/login').set('x-user', 'ann')).status).toBe(200);
    expect((await request(url).post('/login').set('x-user', 'ann')).status).toBe(429);
    expect((await request(url).post('/login').set('x-user', 'bob')).status).toBe(200);
    const health = await request(url).get('/health');
    expect([health.status, health.headers.ratelimit]).toEqual([200, undefined]);
    expect((await request(url).post('/upload')).status).toBe(200);
    const second = await request(url).post('/upload');
    expect([second.status, second.headers['x-ratelimit-limit'], second.headers['x-ratelimit-remaining']]).toEqual([429, '1', '0']);
  });

  it('uses a throttle it is given and leaves closing it to the caller', async () => {
    const throttle = createHttpThrottle({ policies: { limit: 1, windowMs: 60_000 } });
    const url = await listen(async (f) => {
      await f.register(fastifyThrottle, { throttle });
      f.get('/', () => 'hi');
    });
    expect((await request(url).get('/')).status).toBe(200);
    expect((await request(url).get('/missing')).status).toBe(429); // 404 floods are limited too
    await app!.close();
    app = undefined;
    expect((await throttle.limiter.consume('still-open')).allowed).toBe(true);
    await throttle.close();
  });
});
