import { describe, expect, it } from 'vitest';
import { builtInRoutes } from './built-in-routes.ts';
import { defineController, defineRoute } from './define.ts';
import { createHttpServer } from './http-server.ts';
import type { HttpServerOptions } from './options.ts';
import { resolveOptions } from './options.ts';
import { compileRoutes } from './compile-routes.ts';
import { VERSION_NEUTRAL } from './types.ts';
import type { RouteDefinition } from './types.ts';

const handler = () => ({ mine: true });
const controllers = (...routes: RouteDefinition[]) => [defineController({ routes })];

describe('routes on the path of a built-in route (regression: an uncaught FST_ERR_DUPLICATED_ROUTE killed the process)', () => {
  it.each([
    ['GET on the readiness probe', {}, defineRoute({ method: 'GET', path: '/health/ready', handler }), 'GET /health/ready is the built-in readiness route: choose another path or set readinessPath (false disables it)'],
    ['HEAD on a custom readiness path', { readinessPath: '/live' }, defineRoute({ method: 'HEAD', path: '/live', handler }), 'HEAD /live is the built-in readiness route: choose another path or set readinessPath (false disables it)'],
    ['GET on the OpenAPI document', {}, defineRoute({ method: 'GET', path: '/openapi.json', handler }), 'GET /openapi.json is the built-in openapi route: choose another path or set openapi (false disables it)'],
    [
      'GET on a versioned OpenAPI document',
      { versioning: { type: 'uri', versions: { '1': {} } } },
      defineRoute({ method: 'GET', path: '/openapi/v1.json', version: VERSION_NEUTRAL, handler }),
      'GET /openapi/v1.json is the built-in openapi route: choose another path or set openapi (false disables it)',
    ],
  ] as const)('%s is HTTP_ERR_DUPLICATE_ROUTE at construction', (_name, extra, route, message) => {
    const options: HttpServerOptions = { logger: false, controllers: controllers(route), ...extra };
    expect(() => createHttpServer(options)).toThrow(expect.objectContaining({ code: 'HTTP_ERR_DUPLICATE_ROUTE', message }));
  });

  it('disabled built-ins free their paths; other methods on them never clashed', async () => {
    const server = createHttpServer({
      logger: false,
      openapi: false,
      readinessPath: false,
      controllers: controllers(defineRoute({ method: 'GET', path: '/health/ready', handler }), defineRoute({ method: 'GET', path: '/openapi.json', handler })),
    });
    expect([(await server.app.inject('/health/ready')).json(), (await server.app.inject('/openapi.json')).json()]).toEqual([{ mine: true }, { mine: true }]);
    await server.close();
    const post = createHttpServer({ logger: false, controllers: controllers(defineRoute({ method: 'POST', path: '/health/ready', handler })) });
    expect((await post.app.inject({ method: 'POST', url: '/health/ready' })).statusCode).toBe(201);
    await post.close();
  });

  it('lists the readiness probe and one OpenAPI document per version', () => {
    const options = resolveOptions({ versioning: { type: 'header', versions: { '3': {} } }, openapi: { path: '/docs' }, controllers: controllers(defineRoute({ method: 'GET', version: '1', handler })) });
    expect(builtInRoutes(compileRoutes(options), options).map((r) => r.path)).toEqual(['/health/ready', '/docs/v1.json', '/docs/v3.json']);
  });
});

describe('Fastify refusing a route rejects listen() instead of crashing the process', () => {
  it('a clash with a route added on server.app is HTTP_ERR_DUPLICATE_ROUTE with the Fastify error as cause', async () => {
    const server = createHttpServer({ logger: false, port: 0, controllers: controllers(defineRoute({ method: 'GET', path: '/x', handler })) });
    server.app.get('/x', () => 'raw');
    const failure = await server.listen().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'HTTP_ERR_DUPLICATE_ROUTE', message: "Method 'GET' already declared for route '/x'", cause: { code: 'FST_ERR_DUPLICATED_ROUTE' } });
    expect(server.app.server.listening).toBe(false);
    await server.close();
  });

  it('other registration failures reject listen() unchanged', async () => {
    const server = createHttpServer({ logger: false, port: 0, controllers: controllers(defineRoute({ method: 'GET', path: '/x', handler })) });
    // onRoute hooks run synchronously inside route(), like Fastify's own checks.
    const refused = Object.assign(new Error('route refused by a plugin'), { code: 'PLUGIN_ERR_REFUSED' });
    server.app.addHook('onRoute', (route) => {
      if (route.url === '/x') throw refused;
    });
    await expect(server.listen()).rejects.toBe(refused);
    await server.close();
  });
});

describe('an explicit HEAD route next to a GET route (regression: Fastify refused the HEAD it adds itself)', () => {
  it('both answer: HEAD runs its own handler, GET keeps its body', async () => {
    const heads: string[] = [];
    const server = createHttpServer({
      logger: false,
      versioning: { type: 'header', defaultVersion: '1' },
      controllers: controllers(
        defineRoute({ method: 'GET', path: '/x', version: '1', handler: () => ({ get: true }) }),
        defineRoute({ method: 'HEAD', path: '/x', version: '1', handler: (ctx) => void (heads.push('head'), ctx.reply.header('x-head', 'own')) }),
        defineRoute({ method: 'GET', path: '/x', version: '2', handler: () => ({ get: 2 }) }),
      ),
    });
    const head = await server.app.inject({ method: 'HEAD', url: '/x' });
    expect([head.statusCode, head.headers['x-head'], heads]).toEqual([204, 'own', ['head']]);
    expect((await server.app.inject('/x')).json()).toEqual({ get: true });
    // Version 2 has no explicit HEAD: Fastify's automatic one still serves it.
    const auto = await server.app.inject({ method: 'HEAD', url: '/x', headers: { 'x-api-version': '2' } });
    expect([auto.statusCode, auto.headers['x-head'], auto.body]).toEqual([200, undefined, '']);
    await server.close();
  });

  it('without versioning too, whichever is declared first', async () => {
    const routes = [defineRoute({ method: 'HEAD', path: '/y', handler: (ctx) => void ctx.reply.header('x-head', 'own') }), defineRoute({ method: 'GET', path: '/y', handler: () => ({ get: true }) })];
    const server = createHttpServer({ logger: false, controllers: controllers(...routes) });
    const head = await server.app.inject({ method: 'HEAD', url: '/y' });
    expect([head.statusCode, head.headers['x-head'], (await server.app.inject('/y')).json()]).toEqual([204, 'own', { get: true }]);
    await server.close();
  });
});

describe('built-in routes and global pipeline stages (documented: they do not run them)', () => {
  it('global guards and hooks skip the probe and the document; a raw onRequest hook on server.app covers them', async () => {
    const seen: string[] = [];
    const server = createHttpServer({
      logger: false,
      guards: [() => false],
      hooks: { onRequest: [(ctx) => void seen.push(ctx.request.url)] },
      controllers: controllers(defineRoute({ method: 'GET', path: '/x', handler })),
    });
    expect([(await server.app.inject('/x')).statusCode, (await server.app.inject('/openapi.json')).statusCode, (await server.app.inject('/health/ready')).statusCode]).toEqual([403, 200, 503]);
    expect(seen).toEqual(['/x']);
    await server.close();
    const guarded = createHttpServer({ logger: false });
    guarded.app.addHook('onRequest', async (request, reply) => {
      if (request.headers.authorization !== 'Bearer ok') await reply.code(401).send({ denied: request.url });
    });
    expect((await guarded.app.inject('/openapi.json')).json()).toEqual({ denied: '/openapi.json' });
    expect((await guarded.app.inject({ url: '/openapi.json', headers: { authorization: 'Bearer ok' } })).statusCode).toBe(200);
    await guarded.close();
  });
});
