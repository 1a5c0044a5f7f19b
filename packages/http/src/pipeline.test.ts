import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { Catch, Controller, Get, Post, UseFilters, UseGuards, UseHooks, UseInterceptors } from './decorators.ts';
import { defineController, defineFilter, defineRoute } from './define.ts';
import { HTTP_REQUEST_CHANNEL } from './diagnostics.ts';
import type { HttpRequestEvent } from './diagnostics.ts';
import { ConflictException, HttpException, TooManyRequestsException } from './exceptions.ts';
import { createHttpServer } from './http-server.ts';
import type { HttpServerOptions } from './options.ts';
import type { ExceptionFilter, FilterContext, Hook, RouteContext } from './types.ts';

function server(options: HttpServerOptions) {
  return createHttpServer({ logger: false, openapi: false, readinessPath: false, ...options });
}

class DuplicateKey extends Error {}
class Teapot extends Error {}

const trail: string[] = [];
const mark = (name: string): Hook => () => void trail.push(name);

@Catch(DuplicateKey)
class ControllerDuplicateFilter implements ExceptionFilter {
  catch() {
    return new ConflictException('controller filter');
  }
}

@Controller('/orders', { hooks: { onRequest: [mark('controller:onRequest')] } })
@UseHooks({ preHandler: [mark('controller:preHandler')], onResponse: [mark('controller:onResponse')] })
@UseGuards(() => (trail.push('controller:guard'), true))
@UseInterceptors(async (_ctx, next) => {
  trail.push('controller:before');
  const out = await next();
  trail.push('controller:after');
  return out;
})
@UseFilters(ControllerDuplicateFilter)
class Orders {
  @Get('/')
  @UseHooks({ onRequest: [mark('route:onRequest')], preHandler: [mark('route:preHandler')], onResponse: [mark('route:onResponse')] })
  @UseGuards(() => (trail.push('route:guard'), true))
  @UseInterceptors(async (_ctx, next) => {
    trail.push('route:before');
    const out = await next();
    trail.push('route:after');
    return { wrapped: out };
  })
  list() {
    trail.push('handler');
    return ['a'];
  }

  @Post('/dup')
  duplicate(): never {
    throw new DuplicateKey('dup');
  }

  @Post('/dup-route')
  @UseFilters(defineFilter([DuplicateKey], () => new ConflictException('route filter')))
  duplicateRoute(): never {
    throw new DuplicateKey('dup');
  }

  @Get('/teapot')
  teapot(): never {
    throw new Teapot('short and stout');
  }

  @Get('/denied')
  @UseGuards(() => false)
  denied() {
    return 'never';
  }

  @Get('/none', { status: 202 })
  none() {
    return undefined;
  }
}

const globalHooks = { onRequest: [mark('global:onRequest')], preHandler: [mark('global:preHandler')], onResponse: [mark('global:onResponse')] };

describe('request pipeline order', () => {
  it('runs hooks, guards and interceptors global → controller → route around the handler', async () => {
    trail.length = 0;
    const s = server({
      controllers: [Orders],
      hooks: globalHooks,
      guards: [() => (trail.push('global:guard'), true)],
      interceptors: [async (_c, next) => (trail.push('global:before'), await next())],
    });
    const res = await s.app.inject({ method: 'GET', url: '/orders' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ wrapped: ['a'] });
    expect(trail).toEqual([
      'global:onRequest',
      'controller:onRequest',
      'route:onRequest',
      'global:guard',
      'controller:guard',
      'route:guard',
      'global:preHandler',
      'controller:preHandler',
      'route:preHandler',
      'global:before',
      'controller:before',
      'route:before',
      'handler',
      'route:after',
      'controller:after',
      'global:onResponse',
      'controller:onResponse',
      'route:onResponse',
    ]);
    await s.close();
  });

  it('answers 403 problem when a guard refuses', async () => {
    const s = server({ controllers: [Orders] });
    const res = await s.app.inject({ method: 'GET', url: '/orders/denied', headers: { 'x-request-id': 'g1' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_FORBIDDEN',
      title: 'Forbidden',
      status: 403,
      detail: 'Access to this resource is denied',
      instance: '/orders/denied',
      code: 'HTTP_ERR_FORBIDDEN',
      requestId: 'g1',
    });
    await s.close();
  });

  it('answers 204 when the handler returns nothing', async () => {
    const s = server({ controllers: [Orders] });
    const res = await s.app.inject({ method: 'GET', url: '/orders/none' });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    await s.close();
  });
});

describe('exception filters', () => {
  const teapotGlobal = defineFilter([Teapot], (_e, ctx: FilterContext) => ctx.reply.code(418).send({ brewed: false }));

  it('route filter wins over controller filter', async () => {
    const s = server({ controllers: [Orders], filters: [defineFilter([DuplicateKey], () => new ConflictException('global filter'))] });
    const route = await s.app.inject({ method: 'POST', url: '/orders/dup-route' });
    expect(route.statusCode).toBe(409);
    expect(route.json().detail).toBe('route filter');
    const controller = await s.app.inject({ method: 'POST', url: '/orders/dup' });
    expect(controller.json().detail).toBe('controller filter');
    await s.close();
  });

  it('global filter applies when no narrower one matches and may send its own response', async () => {
    const s = server({ controllers: [Orders], filters: [teapotGlobal] });
    const res = await s.app.inject({ method: 'GET', url: '/orders/teapot' });
    expect(res.statusCode).toBe(418);
    expect(res.json()).toEqual({ brewed: false });
    await s.close();
  });

  it('a filter returning undefined passes the error on; a throwing filter answers with its error', async () => {
    const declines = defineFilter([], () => undefined);
    const throws = defineFilter([Teapot], () => {
      throw new TooManyRequestsException('from filter');
    });
    const s = server({ controllers: [Orders], filters: [declines, throws] });
    const res = await s.app.inject({ method: 'GET', url: '/orders/teapot' });
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('HTTP_ERR_TOO_MANY_REQUESTS');
    await s.close();
  });

  it('filters see validation failures as ValidationException', async () => {
    const seen: unknown[] = [];
    const spy = defineFilter([HttpException], (e) => void seen.push((e as HttpException).code));
    const create = defineRoute({
      method: 'POST',
      schema: { body: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } },
      handler: (ctx) => ({ n: ctx.body.n }),
    });
    const s = server({ controllers: [defineController({ path: '/n', routes: [create] })], filters: [spy] });
    const res = await s.app.inject({ method: 'POST', url: '/n', payload: {} });
    expect(res.statusCode).toBe(400);
    expect(seen).toEqual(['HTTP_ERR_VALIDATION']);
    await s.close();
  });

  it('instance filters and @Catch() without classes catch everything', async () => {
    @Catch()
    class All implements ExceptionFilter {
      catch() {
        return new HttpException(418, 'caught all', { code: 'TEA_ERR_POT', extensions: { pot: 1, status: 999 } });
      }
    }
    const s = server({ controllers: [Orders], filters: [new All()] });
    const res = await s.app.inject({ method: 'GET', url: '/orders/teapot', headers: { 'x-request-id': 't' } });
    expect(res.statusCode).toBe(418);
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:TEA_ERR_POT',
      title: "I'm a Teapot",
      status: 418,
      detail: 'caught all',
      instance: '/orders/teapot',
      code: 'TEA_ERR_POT',
      requestId: 't',
      pot: 1,
    });
    await s.close();
  });
});

describe('function form and diagnostics', () => {
  it('typed ctx from schemas; publishes rampart:http.request', async () => {
    const query = { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } as const;
    const search = defineRoute({ method: 'GET', path: '/search/:kind', schema: { querystring: query }, handler: (ctx: RouteContext<{ querystring: typeof query }>) => ({ q: ctx.query.q, kind: ctx.params.kind, v: ctx.version ?? null }) });
    const events: HttpRequestEvent[] = [];
    const listener = (m: unknown) => void events.push(m as HttpRequestEvent);
    subscribe(HTTP_REQUEST_CHANNEL, listener);
    const s = server({ controllers: [defineController({ path: 'api', routes: [search] })] });
    const res = await s.app.inject({ method: 'GET', url: '/api/search/books?q=dune', headers: { 'x-request-id': 'd1' } });
    unsubscribe(HTTP_REQUEST_CHANNEL, listener);
    expect(res.json()).toEqual({ q: 'dune', kind: 'books', v: null });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ requestId: 'd1', method: 'GET', route: '/api/search/:kind', statusCode: 200 });
    expect(typeof events[0]?.durationMs).toBe('number');
    await s.close();
  });
});
