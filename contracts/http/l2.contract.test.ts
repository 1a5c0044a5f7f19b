/**
 * L2 contract of @rampart/http (documented options): schema validation,
 * versioning with deprecation and sunset, exception filters with precedence,
 * hooks/guards/interceptors order, limits and the function form.
 */
import { describe, expect, it } from 'vitest';
import {
  Catch,
  ConflictException,
  Controller,
  createHttpServer,
  defineController,
  defineFilter,
  defineRoute,
  Get,
  HttpException,
  Post,
  UseFilters,
  Version,
  VERSION_NEUTRAL,
} from '@rampart/http';
import type { ExceptionFilter, RouteContext } from '@rampart/http';

class Taken extends Error {}

@Catch(Taken)
class TakenFilter implements ExceptionFilter {
  catch() {
    return new ConflictException('controller says taken');
  }
}

const user = { type: 'object', properties: { name: { type: 'string', minLength: 2 }, age: { type: 'integer', minimum: 0 } }, required: ['name', 'age'] } as const;

@Controller('/users')
@UseFilters(TakenFilter)
class Users {
  @Get('/')
  @Version('1')
  listV1() {
    return ['v1'];
  }

  @Get('/')
  @Version('2')
  listV2(ctx: RouteContext) {
    return { version: ctx.version, items: ['v2'] };
  }

  @Get('/health')
  @Version(VERSION_NEUTRAL)
  health() {
    return { ok: true };
  }

  @Post('/', { schema: { body: user } })
  @Version('2')
  create(ctx: RouteContext<{ body: typeof user }>) {
    if (ctx.body.name === 'taken') throw new Taken();
    return { name: ctx.body.name, age: ctx.body.age };
  }

  @Post('/route-filtered')
  @Version('2')
  @UseFilters(defineFilter([Taken], () => new HttpException(422, 'route says taken', { code: 'USERS_ERR_TAKEN' })))
  routeFiltered(): never {
    throw new Taken();
  }
}

const base = { logger: false as const, controllers: [Users] };

describe('@rampart/http L2: validation', () => {
  it('lists every invalid body field in a 400 problem', async () => {
    const server = createHttpServer({ ...base, versioning: { type: 'uri' } });
    const res = await server.app.inject({ method: 'POST', url: '/v2/users', payload: { name: 'a' }, headers: { 'x-request-id': 'v' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_VALIDATION',
      title: 'Validation Failed',
      status: 400,
      detail: '2 invalid fields',
      instance: '/v2/users',
      code: 'HTTP_ERR_VALIDATION',
      requestId: 'v',
      errors: [
        { in: 'body', pointer: '/age', keyword: 'required', message: "must have required property 'age'" },
        { in: 'body', pointer: '/name', keyword: 'minLength', message: 'must NOT have fewer than 2 characters' },
      ],
    });
    await server.close();
  });
});

describe('@rampart/http L2: versioning', () => {
  it('URI versioning with version-neutral routes', async () => {
    const server = createHttpServer({ ...base, versioning: { type: 'uri' } });
    expect((await server.app.inject('/v1/users')).json()).toEqual(['v1']);
    expect((await server.app.inject('/v2/users')).json()).toEqual({ version: '2', items: ['v2'] });
    expect((await server.app.inject('/users/health')).json()).toEqual({ ok: true });
    expect((await server.app.inject('/v3/users')).statusCode).toBe(404);
    await server.close();
  });

  it('header and media-type versioning with a default version', async () => {
    const header = createHttpServer({ ...base, versioning: { type: 'header', header: 'X-Api-Version', defaultVersion: '1' } });
    expect((await header.app.inject({ url: '/users', headers: { 'x-api-version': '2' } })).json()).toEqual({ version: '2', items: ['v2'] });
    expect((await header.app.inject({ url: '/users' })).json()).toEqual(['v1']);
    await header.close();
    const media = createHttpServer({ ...base, versioning: { type: 'media-type', defaultVersion: '1' } });
    expect((await media.app.inject({ url: '/users', headers: { accept: 'application/vnd.acme.v2+json' } })).json()).toEqual({ version: '2', items: ['v2'] });
    expect((await media.app.inject({ url: '/users', headers: { accept: 'application/json;v=2' } })).json()).toEqual({ version: '2', items: ['v2'] });
    await media.close();
  });

  it('a deprecated version answers with Deprecation/Sunset/Link, then 410 after the sunset', async () => {
    const since = new Date('2030-01-01T00:00:00Z');
    const sunset = new Date('2030-06-01T00:00:00Z');
    let now = Date.parse('2030-03-01T00:00:00Z');
    const server = createHttpServer({
      ...base,
      clock: { now: () => now },
      versioning: { type: 'uri', versions: { '1': { deprecated: { since, sunset, link: 'https://example.com/v2' } } } },
    });
    const before = await server.app.inject('/v1/users');
    expect(before.statusCode).toBe(200);
    expect(before.headers.deprecation).toBe('@1893456000');
    expect(before.headers.sunset).toBe('Sat, 01 Jun 2030 00:00:00 GMT');
    expect(before.headers.link).toBe('<https://example.com/v2>; rel="deprecation"; type="text/html", <https://example.com/v2>; rel="sunset"; type="text/html"');
    now = sunset.getTime();
    const after = await server.app.inject('/v1/users');
    expect(after.statusCode).toBe(410);
    expect(after.json()).toMatchObject({ status: 410, code: 'HTTP_ERR_GONE', migration: 'https://example.com/v2' });
    await server.close();
  });

  it('serves an OpenAPI 3.1 document per version', async () => {
    const server = createHttpServer({ ...base, versioning: { type: 'uri' } });
    const v2 = (await server.app.inject('/openapi/v2.json')).json();
    expect(v2.openapi).toBe('3.1.0');
    expect(Object.keys(v2.paths).sort()).toEqual(['/users/health', '/v2/users', '/v2/users/route-filtered']);
    await server.close();
  });
});

describe('@rampart/http L2: filters and pipeline', () => {
  it('route filter beats controller filter, controller beats global', async () => {
    const server = createHttpServer({ ...base, versioning: { type: 'uri' }, filters: [defineFilter([Taken], () => new HttpException(418, 'global'))] });
    const route = await server.app.inject({ method: 'POST', url: '/v2/users/route-filtered' });
    expect([route.statusCode, route.json().code, route.json().detail]).toEqual([422, 'USERS_ERR_TAKEN', 'route says taken']);
    const controller = await server.app.inject({ method: 'POST', url: '/v2/users', payload: { name: 'taken', age: 1 } });
    expect([controller.statusCode, controller.json().detail]).toEqual([409, 'controller says taken']);
    await server.close();
  });

  it('hooks, guards and interceptors run global → controller → route', async () => {
    const order: string[] = [];
    const route = defineRoute({
      method: 'GET',
      path: '/x',
      hooks: { onRequest: [() => void order.push('route hook')] },
      guards: [() => (order.push('route guard'), true)],
      interceptors: [async (_c, next) => (order.push('route interceptor'), next())],
      handler: () => (order.push('handler'), 'ok'),
    });
    const ctl = defineController({
      path: '/p',
      hooks: { onRequest: [() => void order.push('controller hook')] },
      guards: [() => (order.push('controller guard'), true)],
      interceptors: [async (_c, next) => (order.push('controller interceptor'), next())],
      routes: [route],
    });
    const server = createHttpServer({
      logger: false,
      controllers: [ctl],
      hooks: { onRequest: [() => void order.push('global hook')] },
      guards: [() => (order.push('global guard'), true)],
      interceptors: [async (_c, next) => (order.push('global interceptor'), next())],
    });
    expect((await server.app.inject('/p/x')).body).toBe('ok');
    expect(order).toEqual([
      'global hook',
      'controller hook',
      'route hook',
      'global guard',
      'controller guard',
      'route guard',
      'global interceptor',
      'controller interceptor',
      'route interceptor',
      'handler',
    ]);
    await server.close();
  });

  it('a refusing guard answers 403 problem', async () => {
    const server = createHttpServer({ logger: false, controllers: [defineController({ guards: [() => false], routes: [defineRoute({ method: 'GET', handler: () => 'no' })] })] });
    const res = await server.app.inject('/');
    expect([res.statusCode, res.json().code]).toEqual([403, 'HTTP_ERR_FORBIDDEN']);
    await server.close();
  });

  it('unknown errors are 500 without message in production', async () => {
    const boom = defineRoute({
      method: 'GET',
      handler: () => {
        throw new Error('password=hunter2');
      },
    });
    const server = createHttpServer({ logger: false, production: true, controllers: [defineController({ routes: [boom] })] });
    const res = await server.app.inject('/');
    expect(res.statusCode).toBe(500);
    expect(res.json().detail).toBe('An unexpected error occurred.');
    expect(res.body).not.toContain('hunter2');
    await server.close();
  });
});

describe('@rampart/http L2: limits', () => {
  it('413 problem above bodyLimit; 400 on prototype poisoning', async () => {
    const echo = defineRoute({ method: 'POST', handler: (ctx) => ctx.body });
    const server = createHttpServer({ logger: false, bodyLimit: 100, controllers: [defineController({ routes: [echo] })] });
    const big = await server.app.inject({ method: 'POST', url: '/', payload: { a: 'x'.repeat(200) } });
    expect([big.statusCode, big.headers['content-type'], big.json().code]).toEqual([413, 'application/problem+json; charset=utf-8', 'HTTP_ERR_PAYLOAD_TOO_LARGE']);
    const poison = await server.app.inject({ method: 'POST', url: '/', payload: '{"__proto__":{"x":1}}', headers: { 'content-type': 'application/json' } });
    expect([poison.statusCode, poison.json().code]).toEqual([400, 'HTTP_ERR_PROTO_POISONING']);
    await server.close();
  });
});
