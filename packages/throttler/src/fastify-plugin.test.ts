import Fastify, { type FastifyInstance } from 'fastify';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimit, rateLimit } from './decorator.ts';
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

describe('fastifyThrottle route quotas (inject)', () => {
  const statuses = async (f: FastifyInstance, calls: [method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE', url: string][]) => {
    const out: string[] = [];
    for (const [method, url] of calls) {
      const r = await f.inject({ method, url });
      out.push(`${method} ${r.statusCode} ${String(r.headers['ratelimit-policy'])}`);
    }
    return out;
  };

  // Was: HEAD (answered by the GET handler) had its own quota: 1 per minute allowed GET and HEAD once each.
  it('HEAD of a GET route spends the GET quota, for config.rateLimit and for a routes entry', async () => {
    app = Fastify();
    let runs = 0;
    await app.register(fastifyThrottle, { policies: { limit: 100, windowMs: 60_000 }, routes: { 'GET /table': { name: 'table', limit: 1, windowMs: 60_000 } } });
    app.get('/export', { config: { rateLimit: { name: 'export', limit: 1, windowMs: 60_000 } } }, () => (runs++, 'big'));
    app.get('/table', () => (runs++, 'big'));
    expect(await statuses(app, [['GET', '/export'], ['HEAD', '/export'], ['HEAD', '/table'], ['GET', '/table'], ['HEAD', '/table']])).toEqual([
      'GET 200 "export";q=1;w=60',
      'HEAD 429 "export";q=1;w=60',
      'HEAD 200 "table";q=1;w=60',
      'GET 429 "table";q=1;w=60',
      'HEAD 429 "table";q=1;w=60',
    ]);
    expect(runs).toBe(2);
  });

  // Was: one quota per method: a route for five methods allowed five calls at limit 1.
  it('a route registered for several methods has one quota, its HEAD route included', async () => {
    app = Fastify();
    await app.register(fastifyThrottle, { policies: { limit: 100, windowMs: 60_000 } });
    app.route({ method: ['GET', 'POST', 'PUT'], url: '/login', config: { rateLimit: { name: 'login', limit: 2, windowMs: 60_000 } }, handler: () => 'ok' });
    app.route({ method: ['POST', 'DELETE'], url: '/item', handler: rateLimit({ name: 'item', limit: 1, windowMs: 60_000 }, () => 'ok') });
    // a HEAD route without a GET route at its url counts as GET of that url, apart from other methods there
    app.post('/ping', { config: { rateLimit: { name: 'post', limit: 1, windowMs: 60_000 } } }, () => '');
    // and a route for other methods at a GET route's url keeps its own quota
    app.get('/both', { config: { rateLimit: { name: 'read', limit: 1, windowMs: 60_000 } } }, () => '');
    app.post('/both', { config: { rateLimit: { name: 'write', limit: 1, windowMs: 60_000 } } }, () => '');
    app.head('/ping', { config: { rateLimit: { name: 'ping', limit: 1, windowMs: 60_000 } } }, () => '');
    expect(await statuses(app, [['PUT', '/login'], ['HEAD', '/login'], ['GET', '/login'], ['POST', '/login'], ['DELETE', '/item'], ['POST', '/item'], ['POST', '/ping'], ['HEAD', '/ping'], ['HEAD', '/ping'], ['GET', '/both'], ['POST', '/both']])).toEqual([
      'PUT 200 "login";q=2;w=60',
      'HEAD 200 "login";q=2;w=60',
      'GET 429 "login";q=2;w=60',
      'POST 429 "login";q=2;w=60',
      'DELETE 200 "item";q=1;w=60',
      'POST 429 "item";q=1;w=60',
      'POST 200 "post";q=1;w=60',
      'HEAD 200 "ping";q=1;w=60',
      'HEAD 429 "ping";q=1;w=60',
      'GET 200 "read";q=1;w=60',
      'POST 200 "write";q=1;w=60',
    ]);
  });

  it('reads the config of a route declared before the plugin was registered, HEAD counted as GET', async () => {
    app = Fastify();
    app.get('/early', { config: { rateLimit: { name: 'early', limit: 1, windowMs: 60_000 } } }, () => 'ok');
    app.get('/plain', () => 'ok');
    app.route({ method: ['POST', 'PUT'], url: '/multi', config: { rateLimit: { name: 'multi', limit: 1, windowMs: 60_000 } }, handler: () => 'ok' });
    await app.register(fastifyThrottle, { policies: { limit: 100, windowMs: 60_000 } });
    expect(await statuses(app, [['GET', '/early'], ['HEAD', '/early'], ['GET', '/plain'], ['POST', '/multi'], ['PUT', '/multi']])).toEqual([
      'GET 200 "early";q=1;w=60',
      'HEAD 429 "early";q=1;w=60',
      'GET 200 "default";q=100;w=60',
      'POST 200 "multi";q=1;w=60',
      'PUT 429 "multi";q=1;w=60',
    ]);
  });

  // Was: accepted at registration; every request to the route then failed with a 500.
  it('refuses a bad route config.rateLimit or handler limit when the route is declared', async () => {
    app = Fastify();
    await app.register(fastifyThrottle, {});
    expect(() => app!.post('/login', { config: { rateLimit: { limit: 5, windowMs: 0 } } }, () => 'ok')).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_POLICY' }));
    expect(() => app!.post('/bulk', { config: { rateLimit: { policies: { limit: 5, windowMs: 1_000 }, cost: 6 } } }, () => 'ok')).toThrow(
      expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_COST' }),
    );
    const handler = () => 'ok';
    const late = { policies: { limit: 1, windowMs: 1_000 }, cost: 1 };
    rateLimit(late, handler);
    late.cost = 2; // changed after it was attached: caught when the route is declared
    expect(() => app!.post('/late', handler)).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_COST' }));
  });
});
