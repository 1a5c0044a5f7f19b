/**
 * L2 contract of @rampart/http (public API): the built-in exception classes
 * (status, code, problem+json answer), HttpError, the PUT/PATCH/DELETE/HEAD/
 * OPTIONS route decorators, @UseGuards/@UseInterceptors/@UseHooks/@Deprecated
 * on a served controller, controllerOf, renderProblem and PROBLEM_CONTENT_TYPE,
 * request ids (isValidRequestId, MAX_REQUEST_ID_LENGTH), the diagnostics
 * channel, the HttpServer class, HttpModule with HTTP_SERVER on the core
 * lifecycle, and handleShutdownSignals (its handlers are called directly: no
 * real signal is ever sent to the test process).
 * Locked: these tests are never modified, only added to.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { APP, createApp, defineModule, isRampartError, RampartError, silentLogger, token } from '@rampart/core';
import type { Resolver } from '@rampart/core';
import {
  BadRequestException,
  Controller,
  controllerOf,
  createHttpServer,
  defineController,
  defineRoute,
  Delete,
  Deprecated,
  ForbiddenException,
  Get,
  GoneException,
  handleShutdownSignals,
  Head,
  HTTP_REQUEST_CHANNEL,
  HTTP_SERVER,
  HttpError,
  HttpException,
  HttpModule,
  HttpServer,
  InternalServerException,
  isValidRequestId,
  MAX_REQUEST_ID_LENGTH,
  MethodNotAllowedException,
  Options,
  Patch,
  PayloadTooLargeException,
  PROBLEM_CONTENT_TYPE,
  Put,
  renderProblem,
  ServiceUnavailableException,
  TooManyRequestsException,
  UnauthorizedException,
  UnprocessableEntityException,
  UseGuards,
  UseHooks,
  UseInterceptors,
  ValidationException,
} from '@rampart/http';
import type { HttpRequestEvent, RouteContext } from '@rampart/http';

const EXCEPTIONS = [
  { name: 'BadRequestException', Exception: BadRequestException, status: 400, code: 'HTTP_ERR_BAD_REQUEST', title: 'Bad Request', category: 'client' },
  { name: 'UnauthorizedException', Exception: UnauthorizedException, status: 401, code: 'HTTP_ERR_UNAUTHORIZED', title: 'Unauthorized', category: 'security' },
  { name: 'ForbiddenException', Exception: ForbiddenException, status: 403, code: 'HTTP_ERR_FORBIDDEN', title: 'Forbidden', category: 'security' },
  { name: 'MethodNotAllowedException', Exception: MethodNotAllowedException, status: 405, code: 'HTTP_ERR_METHOD_NOT_ALLOWED', title: 'Method Not Allowed', category: 'client' },
  { name: 'GoneException', Exception: GoneException, status: 410, code: 'HTTP_ERR_GONE', title: 'Gone', category: 'client' },
  { name: 'PayloadTooLargeException', Exception: PayloadTooLargeException, status: 413, code: 'HTTP_ERR_PAYLOAD_TOO_LARGE', title: 'Payload Too Large', category: 'security' },
  {
    name: 'UnprocessableEntityException',
    Exception: UnprocessableEntityException,
    status: 422,
    code: 'HTTP_ERR_UNPROCESSABLE_ENTITY',
    title: 'Unprocessable Entity',
    category: 'validation',
  },
  { name: 'TooManyRequestsException', Exception: TooManyRequestsException, status: 429, code: 'HTTP_ERR_TOO_MANY_REQUESTS', title: 'Too Many Requests', category: 'security' },
  { name: 'InternalServerException', Exception: InternalServerException, status: 500, code: 'HTTP_ERR_INTERNAL', title: 'Internal Server Error', category: 'internal' },
  {
    name: 'ServiceUnavailableException',
    Exception: ServiceUnavailableException,
    status: 503,
    code: 'HTTP_ERR_SERVICE_UNAVAILABLE',
    title: 'Service Unavailable',
    category: 'dependency',
  },
] as const;

/** A server whose only route throws what `fail` returns. */
function throwingServer(fail: () => unknown, production = false) {
  const route = defineRoute({
    method: 'GET',
    path: '/fail',
    handler: () => {
      throw fail();
    },
  });
  return createHttpServer({ logger: false, production, controllers: [defineController({ routes: [route] })] });
}

const problemCtx = { requestId: 'r-1', instance: '/orders/7', production: true, typeBase: 'urn:rampart:problem:' };

describe('@rampart/http L2: built-in exception classes', () => {
  it.each(EXCEPTIONS)('$name carries status $status and code $code', ({ Exception, status, code, title, category }) => {
    const error = new Exception('the detail');
    expect(error).toBeInstanceOf(HttpException);
    expect(error).toBeInstanceOf(RampartError);
    expect([error.status, error.code, error.title, error.category, error.message]).toEqual([status, code, title, category, 'the detail']);
  });

  it.each(EXCEPTIONS)('$name thrown by a handler answers application/problem+json with its status', async ({ Exception, status, code, title }) => {
    const server = throwingServer(() => new Exception('explained'));
    const res = await server.app.inject({ url: '/fail?token=secret', headers: { 'x-request-id': 'ex-1' } });
    expect([res.statusCode, res.headers['content-type'], res.headers['x-request-id']]).toEqual([status, 'application/problem+json; charset=utf-8', 'ex-1']);
    expect(res.json()).toEqual({ type: `urn:rampart:problem:${code}`, title, status, detail: 'explained', instance: '/fail', code, requestId: 'ex-1' });
    await server.close();
  });

  it('options: code, extensions and headers reach the response', async () => {
    const server = throwingServer(() => new TooManyRequestsException('slow down', { code: 'QUOTA_ERR_EXCEEDED', extensions: { limit: 10 }, headers: { 'retry-after': '30' } }));
    const res = await server.app.inject('/fail');
    expect([res.statusCode, res.headers['retry-after']]).toEqual([429, '30']);
    expect(res.json()).toMatchObject({ status: 429, code: 'QUOTA_ERR_EXCEEDED', detail: 'slow down', limit: 10 });
    await server.close();
  });

  it('ValidationException is a 400 HTTP_ERR_VALIDATION listing its fields', async () => {
    const field = { in: 'body', pointer: '/email', keyword: 'format', message: 'must be an email' };
    const one = new ValidationException([field]);
    expect([one.status, one.code, one.title, one.message, one.errors]).toEqual([400, 'HTTP_ERR_VALIDATION', 'Validation Failed', '1 invalid field', [field]]);
    expect(one).toBeInstanceOf(HttpException);
    const second = { in: 'querystring', pointer: '/sort', keyword: 'enum', message: 'must be asc or desc' };
    expect(new ValidationException([field, second]).message).toBe('2 invalid fields');
    const server = throwingServer(() => new ValidationException([field]));
    const res = await server.app.inject({ url: '/fail', headers: { 'x-request-id': 'val-1' } });
    expect([res.statusCode, res.headers['content-type']]).toEqual([400, PROBLEM_CONTENT_TYPE]);
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_VALIDATION',
      title: 'Validation Failed',
      status: 400,
      detail: '1 invalid field',
      instance: '/fail',
      code: 'HTTP_ERR_VALIDATION',
      requestId: 'val-1',
      errors: [field],
    });
    await server.close();
  });
});

describe('@rampart/http L2: HttpError', () => {
  it('takes status and category from the error table and keeps its cause', () => {
    const cause = new Error('root');
    const error = new HttpError('HTTP_ERR_INVALID_OPTIONS', 'bodyLimit must be a positive integer', { cause });
    expect(error).toBeInstanceOf(RampartError);
    expect(isRampartError(error)).toBe(true);
    expect([error.code, error.status, error.category, error.message, error.cause]).toEqual(['HTTP_ERR_INVALID_OPTIONS', 500, 'config', 'bodyLimit must be a positive integer', cause]);
    const late = new HttpError('HTTP_ERR_ALREADY_LISTENING', 'twice');
    expect([late.code, late.status, late.category]).toEqual(['HTTP_ERR_ALREADY_LISTENING', 500, 'lifecycle']);
    const gone = new HttpError('HTTP_ERR_GONE', 'retired');
    expect([gone.code, gone.status, gone.category]).toEqual(['HTTP_ERR_GONE', 410, 'client']);
  });

  it('is what the package throws about itself: bad options, listen twice', async () => {
    let thrown: unknown;
    try {
      createHttpServer({ logger: false, bodyLimit: -1 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    expect((thrown as HttpError).code).toBe('HTTP_ERR_INVALID_OPTIONS');
    const server = createHttpServer({ logger: false, port: 0 });
    await server.listen();
    const again: unknown = await server.listen().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(again).toBeInstanceOf(HttpError);
    expect((again as HttpError).code).toBe('HTTP_ERR_ALREADY_LISTENING');
    await server.close();
  });

  it('thrown by a handler keeps its code and status; a 5xx message is hidden in production', async () => {
    const client = throwingServer(() => new HttpError('HTTP_ERR_GONE', 'retired'), true);
    const gone = await client.app.inject('/fail');
    expect([gone.statusCode, gone.headers['content-type'], gone.json().code]).toEqual([410, PROBLEM_CONTENT_TYPE, 'HTTP_ERR_GONE']);
    await client.close();
    const server = throwingServer(() => new HttpError('HTTP_ERR_INVALID_OPTIONS', 'db password=hunter2'), true);
    const res = await server.app.inject('/fail');
    expect([res.statusCode, res.json().code]).toEqual([500, 'HTTP_ERR_INVALID_OPTIONS']);
    expect(res.body).not.toContain('hunter2');
    await server.close();
  });
});

describe('@rampart/http L2: PUT, PATCH, DELETE, HEAD and OPTIONS route decorators', () => {
  @Controller('/items')
  class Items {
    @Put('/:id')
    replace(ctx: RouteContext) {
      return { replaced: ctx.params.id, with: ctx.body };
    }

    @Patch('/:id')
    update(ctx: RouteContext) {
      return { patched: ctx.params.id, with: ctx.body };
    }

    @Delete('/:id', { status: 204 })
    remove() {
      return undefined;
    }

    @Head('/probe')
    probe(ctx: RouteContext) {
      ctx.reply.header('x-probe', 'yes');
      return undefined;
    }

    @Options('/')
    describe() {
      return { methods: ['PUT', 'PATCH', 'DELETE'] };
    }
  }

  it('each decorator serves its method at its path (200 by default)', async () => {
    const server = createHttpServer({ logger: false, controllers: [Items] });
    const put = await server.app.inject({ method: 'PUT', url: '/items/7', payload: { name: 'a' } });
    expect([put.statusCode, put.json()]).toEqual([200, { replaced: '7', with: { name: 'a' } }]);
    const patch = await server.app.inject({ method: 'PATCH', url: '/items/8', payload: { name: 'b' } });
    expect([patch.statusCode, patch.json()]).toEqual([200, { patched: '8', with: { name: 'b' } }]);
    const options = await server.app.inject({ method: 'OPTIONS', url: '/items' });
    expect([options.statusCode, options.json()]).toEqual([200, { methods: ['PUT', 'PATCH', 'DELETE'] }]);
    await server.close();
  });

  it('returning undefined answers 204; HEAD answers with headers and no body', async () => {
    const server = createHttpServer({ logger: false, controllers: [Items] });
    const del = await server.app.inject({ method: 'DELETE', url: '/items/9' });
    expect([del.statusCode, del.body]).toEqual([204, '']);
    const head = await server.app.inject({ method: 'HEAD', url: '/items/probe' });
    expect([head.statusCode, head.headers['x-probe'], head.body]).toEqual([204, 'yes', '']);
    await server.close();
  });

  it('a path served for other methods answers 405 with Allow', async () => {
    const server = createHttpServer({ logger: false, controllers: [Items] });
    const res = await server.app.inject({ method: 'GET', url: '/items/7' });
    expect([res.statusCode, res.json().code]).toEqual([405, 'HTTP_ERR_METHOD_NOT_ALLOWED']);
    expect(String(res.headers.allow).split(', ').sort()).toEqual(['DELETE', 'PATCH', 'PUT']);
    await server.close();
  });
});

describe('@rampart/http L2: @UseGuards', () => {
  const seen: string[] = [];

  @Controller('/admin')
  @UseGuards((ctx) => (seen.push('controller guard'), ctx.headers['x-tenant'] === 'acme'))
  class Admin {
    @Get('/')
    @UseGuards((ctx) => (seen.push('route guard'), ctx.headers['x-role'] === 'admin'))
    index() {
      return { admin: true };
    }

    @Get('/token')
    @UseGuards(() => {
      throw new UnauthorizedException('token expired', { headers: { 'www-authenticate': 'Bearer' } });
    })
    token() {
      return 'never';
    }
  }

  it('controller guards run before route guards; all must return true', async () => {
    const server = createHttpServer({ logger: false, controllers: [Admin] });
    seen.length = 0;
    const ok = await server.app.inject({ url: '/admin', headers: { 'x-tenant': 'acme', 'x-role': 'admin' } });
    expect([ok.statusCode, ok.json()]).toEqual([200, { admin: true }]);
    expect(seen).toEqual(['controller guard', 'route guard']);
    const noRole = await server.app.inject({ url: '/admin', headers: { 'x-tenant': 'acme' } });
    expect([noRole.statusCode, noRole.headers['content-type'], noRole.json().code]).toEqual([403, PROBLEM_CONTENT_TYPE, 'HTTP_ERR_FORBIDDEN']);
    seen.length = 0;
    const noTenant = await server.app.inject({ url: '/admin', headers: { 'x-role': 'admin' } });
    expect([noTenant.statusCode, noTenant.json().code]).toEqual([403, 'HTTP_ERR_FORBIDDEN']);
    expect(seen).toEqual(['controller guard']);
    await server.close();
  });

  it('a guard may throw its own exception instead', async () => {
    const server = createHttpServer({ logger: false, controllers: [Admin] });
    const res = await server.app.inject({ url: '/admin/token', headers: { 'x-tenant': 'acme' } });
    expect([res.statusCode, res.headers['www-authenticate'], res.json().code, res.json().detail]).toEqual([401, 'Bearer', 'HTTP_ERR_UNAUTHORIZED', 'token expired']);
    await server.close();
  });
});

describe('@rampart/http L2: @UseInterceptors', () => {
  @Controller('/wrapped')
  @UseInterceptors(async (_ctx, next) => ({ data: await next() }))
  class Wrapped {
    @Get('/')
    @UseInterceptors(async (_ctx, next) => ({ inner: await next() }))
    list() {
      return [1, 2];
    }

    @Get('/cached')
    @UseInterceptors(() => 'from cache')
    cached() {
      throw new Error('handler must not run');
    }
  }

  it('controller interceptors wrap route interceptors, which wrap the handler', async () => {
    const server = createHttpServer({ logger: false, controllers: [Wrapped] });
    const res = await server.app.inject('/wrapped');
    expect([res.statusCode, res.json()]).toEqual([200, { data: { inner: [1, 2] } }]);
    await server.close();
  });

  it('an interceptor that does not call next replaces the handler result', async () => {
    const server = createHttpServer({ logger: false, controllers: [Wrapped] });
    const res = await server.app.inject('/wrapped/cached');
    expect([res.statusCode, res.json()]).toEqual([200, { data: 'from cache' }]);
    await server.close();
  });
});

describe('@rampart/http L2: @UseHooks', () => {
  const order: string[] = [];

  @Controller('/hooked')
  @UseHooks({ onRequest: [() => void order.push('controller onRequest')], preHandler: [() => void order.push('controller preHandler')] })
  class Hooked {
    @Get('/')
    @UseGuards(() => (order.push('guard'), true))
    @UseHooks({
      onRequest: [() => void order.push('route onRequest')],
      preHandler: [() => void order.push('route preHandler')],
      onResponse: [() => void order.push('route onResponse')],
    })
    index() {
      order.push('handler');
      return 'ok';
    }

    @Get('/maintenance')
    @UseHooks({
      onRequest: [
        () => {
          throw new ServiceUnavailableException('maintenance');
        },
      ],
    })
    maintenance() {
      order.push('maintenance handler');
      return 'open';
    }
  }

  it('onRequest, guards, preHandler, handler, onResponse; controller hooks before route hooks', async () => {
    const server = createHttpServer({ logger: false, controllers: [Hooked] });
    order.length = 0;
    expect((await server.app.inject('/hooked')).body).toBe('ok');
    await vi.waitFor(() => expect(order).toContain('route onResponse'));
    expect(order).toEqual(['controller onRequest', 'route onRequest', 'guard', 'controller preHandler', 'route preHandler', 'handler', 'route onResponse']);
    await server.close();
  });

  it('a throwing hook answers with its problem and the handler does not run', async () => {
    const server = createHttpServer({ logger: false, controllers: [Hooked] });
    order.length = 0;
    const res = await server.app.inject('/hooked/maintenance');
    expect([res.statusCode, res.headers['content-type'], res.json().code, res.json().detail]).toEqual([503, PROBLEM_CONTENT_TYPE, 'HTTP_ERR_SERVICE_UNAVAILABLE', 'maintenance']);
    expect(order).not.toContain('maintenance handler');
    await server.close();
  });
});

describe('@rampart/http L2: @Deprecated', () => {
  const since = new Date('2031-01-01T00:00:00Z');
  const sunset = new Date('2031-07-01T00:00:00Z');

  @Controller('/legacy')
  class Legacy {
    @Get('/report')
    @Deprecated({ since, sunset, link: 'https://example.com/migrate' })
    report() {
      return { legacy: true };
    }

    @Get('/plain')
    plain() {
      return { legacy: false };
    }
  }

  @Controller('/old')
  @Deprecated({ since })
  class Old {
    @Get('/')
    index() {
      return 'old';
    }
  }

  it('a deprecated route answers with Deprecation, Sunset and Link; others do not', async () => {
    const server = createHttpServer({ logger: false, controllers: [Legacy, Old], clock: { now: () => Date.parse('2031-03-01T00:00:00Z') } });
    const res = await server.app.inject('/legacy/report');
    expect([res.statusCode, res.json()]).toEqual([200, { legacy: true }]);
    expect([res.headers.deprecation, res.headers.sunset, res.headers.link]).toEqual([
      '@1924992000',
      'Tue, 01 Jul 2031 00:00:00 GMT',
      '<https://example.com/migrate>; rel="deprecation"; type="text/html", <https://example.com/migrate>; rel="sunset"; type="text/html"',
    ]);
    const plain = await server.app.inject('/legacy/plain');
    expect([plain.headers.deprecation, plain.headers.sunset]).toEqual([undefined, undefined]);
    const old = await server.app.inject('/old');
    expect([old.statusCode, old.headers.deprecation, old.headers.sunset]).toEqual([200, '@1924992000', undefined]);
    await server.close();
  });

  it('from the sunset instant on, the route answers 410 HTTP_ERR_GONE with a migration link', async () => {
    const server = createHttpServer({ logger: false, controllers: [Legacy], clock: { now: () => sunset.getTime() } });
    const res = await server.app.inject('/legacy/report');
    expect([res.statusCode, res.headers['content-type']]).toEqual([410, PROBLEM_CONTENT_TYPE]);
    expect(res.json()).toMatchObject({ status: 410, code: 'HTTP_ERR_GONE', migration: 'https://example.com/migrate' });
    expect((await server.app.inject('/legacy/plain')).statusCode).toBe(200);
    await server.close();
  });
});

describe('@rampart/http L2: controllerOf', () => {
  const guard = () => true;

  @Controller('users/')
  @UseGuards(guard)
  class Users {
    @Get('/:id')
    find(ctx: RouteContext) {
      return { id: ctx.params.id };
    }

    @Put('/:id')
    replace() {
      return 'replaced';
    }
  }

  class NotAController {
    find() {
      return 'x';
    }
  }

  it('returns the definition the decorators build: normalized path, routes by method name, options', () => {
    const def = controllerOf(Users);
    expect(def?.path).toBe('/users');
    expect(def?.target).toBe(Users);
    expect(def?.guards).toEqual([guard]);
    expect(def?.routes.map((r) => [r.method, r.path, r.handler])).toEqual([
      ['GET', '/:id', 'find'],
      ['PUT', '/:id', 'replace'],
    ]);
  });

  it('returns undefined for a class without @Controller', () => {
    expect(controllerOf(NotAController)).toBeUndefined();
  });

  it('its definition serves like the class itself', async () => {
    const def = controllerOf(Users);
    const server = createHttpServer({ logger: false, controllers: def === undefined ? [] : [def] });
    expect((await server.app.inject('/users/5')).json()).toEqual({ id: '5' });
    await server.close();
  });
});

describe('@rampart/http L2: renderProblem and PROBLEM_CONTENT_TYPE', () => {
  it('PROBLEM_CONTENT_TYPE is the RFC 9457 media type', () => {
    expect(PROBLEM_CONTENT_TYPE).toBe('application/problem+json; charset=utf-8');
  });

  it('renders an HttpException as a problem document', () => {
    const rendered = renderProblem(new BadRequestException('cursor is not valid'), problemCtx);
    expect(rendered).toEqual({
      body: {
        type: 'urn:rampart:problem:HTTP_ERR_BAD_REQUEST',
        title: 'Bad Request',
        status: 400,
        detail: 'cursor is not valid',
        instance: '/orders/7',
        code: 'HTTP_ERR_BAD_REQUEST',
        requestId: 'r-1',
      },
      headers: {},
      serverFault: false,
    });
  });

  it('adds extensions (never over reserved members), passes headers, honours type and typeBase', () => {
    const error = new TooManyRequestsException('slow down', {
      extensions: { balance: 30, status: 200, code: 'HACK' },
      headers: { 'retry-after': '30' },
    });
    const rendered = renderProblem(error, { ...problemCtx, typeBase: 'https://errors.example.com/' });
    expect(rendered.body).toEqual({
      type: 'https://errors.example.com/HTTP_ERR_TOO_MANY_REQUESTS',
      title: 'Too Many Requests',
      status: 429,
      detail: 'slow down',
      instance: '/orders/7',
      code: 'HTTP_ERR_TOO_MANY_REQUESTS',
      requestId: 'r-1',
      balance: 30,
    });
    expect(rendered.headers).toEqual({ 'retry-after': '30' });
    const typed = renderProblem(new UnprocessableEntityException('bad dates', { type: 'https://example.com/probs/dates' }), problemCtx);
    expect(typed.body.type).toBe('https://example.com/probs/dates');
  });

  it('an unknown error is a 500 HTTP_ERR_INTERNAL server fault whose message stays hidden in production', () => {
    const rendered = renderProblem(new Error('password=hunter2'), problemCtx);
    expect(rendered.body).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_INTERNAL',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
      instance: '/orders/7',
      code: 'HTTP_ERR_INTERNAL',
      requestId: 'r-1',
    });
    expect(rendered.serverFault).toBe(true);
    expect(JSON.stringify(rendered)).not.toContain('hunter2');
  });

  it('a core RampartError with a 4xx status keeps its code and status', () => {
    const error = new RampartError('ORDERS_ERR_LOCKED', 'order is locked', { category: 'validation', status: 409 });
    const rendered = renderProblem(error, problemCtx);
    expect([rendered.body.status, rendered.body.code, rendered.serverFault]).toEqual([409, 'ORDERS_ERR_LOCKED', false]);
  });
});

describe('@rampart/http L2: isValidRequestId and MAX_REQUEST_ID_LENGTH', () => {
  const VALID_IDS = ['0b6e9c1e-6f8a-4a6e-9d4a-2f1d3c9b7a10', 'client-42', 'A.b_c~d:e+f/g=h-1', 'x'.repeat(128)] as const;
  const INVALID_IDS = ['', 'x\r\nSet-Cookie: a=b', 'has space', '"quoted"', '<script>', '{"a":1}', 'x'.repeat(129), 42, undefined, null] as const;

  it('MAX_REQUEST_ID_LENGTH is 128', () => {
    expect(MAX_REQUEST_ID_LENGTH).toBe(128);
  });

  it.each(VALID_IDS)('accepts %j', (id) => {
    expect(isValidRequestId(id)).toBe(true);
  });

  it.each(INVALID_IDS)('rejects %j', (id) => {
    expect(isValidRequestId(id)).toBe(false);
  });

  it('the server reuses an id up to MAX_REQUEST_ID_LENGTH and replaces a longer one with a UUID', async () => {
    const server = createHttpServer({ logger: false, controllers: [defineController({ routes: [defineRoute({ method: 'GET', handler: () => 'ok' })] })] });
    const longest = 'a'.repeat(MAX_REQUEST_ID_LENGTH);
    expect((await server.app.inject({ url: '/', headers: { 'x-request-id': longest } })).headers['x-request-id']).toBe(longest);
    const replaced = (await server.app.inject({ url: '/', headers: { 'x-request-id': `${longest}a` } })).headers['x-request-id'];
    expect(replaced).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await server.close();
  });
});

describe('@rampart/http L2: HTTP_REQUEST_CHANNEL', () => {
  it('is rampart:http.request', () => {
    expect(HTTP_REQUEST_CHANNEL).toBe('rampart:http.request');
  });

  it('publishes { requestId, method, route, statusCode, durationMs } once per finished request, with the route pattern', async () => {
    const route = defineRoute({
      method: 'GET',
      path: '/:id',
      handler: (ctx) => {
        if (ctx.params.id === 'missing') throw new GoneException('gone');
        return { id: ctx.params.id };
      },
    });
    const server = createHttpServer({ logger: false, controllers: [defineController({ path: '/orders', routes: [route] })] });
    const events: HttpRequestEvent[] = [];
    const listener = (message: unknown) => void events.push(message as HttpRequestEvent);
    subscribe(HTTP_REQUEST_CHANNEL, listener);
    try {
      await server.app.inject({ url: '/orders/42?token=secret', headers: { 'x-request-id': 'ch-1' } });
      await server.app.inject({ url: '/orders/missing', headers: { 'x-request-id': 'ch-2' } });
      await vi.waitFor(() => expect(events).toHaveLength(2));
    } finally {
      unsubscribe(HTTP_REQUEST_CHANNEL, listener);
      await server.close();
    }
    expect(events.map(({ requestId, method, route: pattern, statusCode }) => ({ requestId, method, route: pattern, statusCode }))).toEqual([
      { requestId: 'ch-1', method: 'GET', route: '/orders/:id', statusCode: 200 },
      { requestId: 'ch-2', method: 'GET', route: '/orders/:id', statusCode: 410 },
    ]);
    for (const event of events) {
      expect(typeof event.durationMs).toBe('number');
      expect(event.durationMs).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('@rampart/http L2: HttpServer', () => {
  const hello = defineController({ path: '/hello', routes: [defineRoute({ method: 'GET', handler: () => ({ hello: 'world' }) })] });
  const server = new HttpServer({ logger: false, controllers: [hello], port: 0 });

  afterAll(async () => {
    await server.close();
  });

  it('is what createHttpServer builds', async () => {
    const built = createHttpServer({ logger: false });
    expect(built).toBeInstanceOf(HttpServer);
    expect(built.state).toBe('idle');
    await built.close();
  });

  it('goes idle → listening → closed, serving on 127.0.0.1 while listening', async () => {
    expect([server.state, server.ready]).toEqual(['idle', false]);
    const { url, port } = await server.listen();
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect([server.state, server.ready]).toEqual(['listening', true]);
    const res = await fetch(`${url}/hello`);
    expect([res.status, await res.json()]).toEqual([200, { hello: 'world' }]);
    const probe = await fetch(`${url}/health/ready`);
    expect(probe.status).toBe(200);
    expect(await server.close()).toEqual({ drained: true });
    expect([server.state, server.ready]).toEqual(['closed', false]);
    expect(await server.close()).toEqual({ drained: true });
  });
});

describe('@rampart/http L2: HttpModule and HTTP_SERVER', () => {
  const GREETING = token<{ text: string }>('contract-greeting');
  const PER_REQUEST = token<{ n: number }>('contract-per-request');

  @Controller('/greet')
  class Greeter {
    readonly app: Resolver;
    readonly greeting: { text: string };
    constructor(app: Resolver, greeting: { text: string }) {
      this.app = app;
      this.greeting = greeting;
    }

    @Get('/')
    async greet(ctx: RouteContext) {
      const first = this.app.get(PER_REQUEST);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return { text: this.greeting.text, requestId: ctx.requestId, n: first.n, same: this.app.get(PER_REQUEST) === first };
    }
  }

  function greeterApp(extra: Parameters<typeof HttpModule.forRoot>[0] = {}) {
    let built = 0;
    return createApp({
      modules: [HttpModule.forRoot({ controllers: [Greeter], port: 0, logger: false, shutdownSignals: false, ...extra })],
      providers: [
        { provide: GREETING, useValue: { text: 'hello' } },
        { provide: PER_REQUEST, scope: 'request', useFactory: () => ({ n: (built += 1) }) },
        { provide: Greeter, inject: [APP, GREETING], useFactory: (app: Resolver, greeting: { text: string }) => new Greeter(app, greeting) },
      ],
      logger: silentLogger,
    });
  }

  it('start listens on the port; HTTP_SERVER resolves the running HttpServer; stop closes it', async () => {
    const app = greeterApp();
    await app.start();
    const server = app.get(HTTP_SERVER);
    expect(server).toBeInstanceOf(HttpServer);
    expect([server.state, server.ready]).toEqual(['listening', true]);
    const { port } = server.app.server.address() as { port: number };
    expect(port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${port}/greet`, { headers: { 'x-request-id': 'mod-1' } });
    expect(await res.json()).toMatchObject({ text: 'hello', requestId: 'mod-1' });
    expect(await app.health()).toMatchObject({ ready: true, modules: { http: { status: 'healthy' } } });
    await app.stop();
    expect(server.state).toBe('closed');
  });

  it('controllers registered as providers are resolved through the container; each request runs in its own request scope', async () => {
    const app = greeterApp();
    await app.start();
    const server = app.get(HTTP_SERVER);
    const a = (await server.app.inject({ url: '/greet', headers: { 'x-request-id': 'rs-1' } })).json();
    const b = (await server.app.inject({ url: '/greet', headers: { 'x-request-id': 'rs-2' } })).json();
    expect(a).toEqual({ text: 'hello', requestId: 'rs-1', n: a.n, same: true });
    expect(b).toEqual({ text: 'hello', requestId: 'rs-2', n: a.n + 1, same: true });
    await app.stop();
  });

  it('the readiness probe follows app.health()', async () => {
    const app = greeterApp();
    await app.start();
    const ready = await app.get(HTTP_SERVER).app.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    await app.stop();
    const sick = defineModule({ name: 'sick', version: '1.0.0', health: () => ({ status: 'unhealthy' }) });
    const unhealthy = createApp({ modules: [sick, HttpModule.forRoot({ port: 0, logger: false, shutdownSignals: false })], logger: silentLogger });
    await unhealthy.start();
    const probe = await unhealthy.get(HTTP_SERVER).app.inject('/health/ready');
    expect([probe.statusCode, probe.headers['content-type'], probe.json().code]).toEqual([503, PROBLEM_CONTENT_TYPE, 'HTTP_ERR_SERVICE_UNAVAILABLE']);
    await unhealthy.stop();
  });

  it('installs SIGTERM and SIGINT handlers by default and removes them on stop; shutdownSignals: false installs none', async () => {
    const counts = (): [number, number] => [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')];
    const before = counts();
    const app = createApp({ modules: [HttpModule.forRoot({ port: 0, logger: false })], logger: silentLogger });
    await app.start();
    expect(counts()).toEqual([before[0] + 1, before[1] + 1]);
    await app.stop();
    expect(counts()).toEqual(before);
    const quiet = greeterApp({ shutdownSignals: false });
    await quiet.start();
    expect(counts()).toEqual(before);
    await quiet.stop();
  });

  it('a configured shutdown signal stops the application through the lifecycle', async () => {
    const before = process.listeners('SIGUSR2');
    const app = greeterApp({ shutdownSignals: ['SIGUSR2'] });
    await app.start();
    const server = app.get(HTTP_SERVER);
    const added = process.listeners('SIGUSR2').filter((l) => !before.includes(l));
    expect(added).toHaveLength(1);
    // The handler is called directly: no signal is sent to the test process.
    (added[0] as () => void)();
    await vi.waitFor(() => expect(app.state).toBe('stopped'));
    expect(server.state).toBe('closed');
    expect(process.listenerCount('SIGUSR2')).toBe(before.length);
  });
});

describe('@rampart/http L2: handleShutdownSignals', () => {
  function stoppable(failure?: Error) {
    const app = { stops: 0, stop: () => ((app.stops += 1), failure === undefined ? Promise.resolve() : Promise.reject(failure)) };
    return app;
  }

  /** The listeners handleShutdownSignals added to `signal` since `before`. */
  function addedSince(signal: NodeJS.Signals, before: readonly unknown[]): (() => void)[] {
    return process.listeners(signal).filter((l) => !before.includes(l)) as (() => void)[];
  }

  it('listens to SIGTERM and SIGINT by default; the returned function removes both', () => {
    const term = process.listeners('SIGTERM');
    const int = process.listeners('SIGINT');
    const remove = handleShutdownSignals(stoppable());
    expect([addedSince('SIGTERM', term).length, addedSince('SIGINT', int).length]).toEqual([1, 1]);
    remove();
    expect([addedSince('SIGTERM', term).length, addedSince('SIGINT', int).length]).toEqual([0, 0]);
  });

  it('stops the app once on the first signal, removes its handlers, then calls onStopped', async () => {
    const before = process.listeners('SIGUSR2');
    const app = stoppable();
    const stopped: string[] = [];
    handleShutdownSignals(app, { signals: ['SIGUSR2'], onStopped: () => void stopped.push('stopped') });
    const [handler] = addedSince('SIGUSR2', before);
    expect(handler).toBeTypeOf('function');
    // Called directly: no signal is sent to the test process.
    handler?.();
    handler?.();
    expect(addedSince('SIGUSR2', before)).toEqual([]);
    await vi.waitFor(() => expect(stopped).toEqual(['stopped']));
    expect(app.stops).toBe(1);
  });

  it('a failing stop goes to onError, else sets process.exitCode to 1', async () => {
    const previous = process.exitCode;
    try {
      const failure = new Error('db stuck');
      const errors: unknown[] = [];
      const before = process.listeners('SIGUSR2');
      handleShutdownSignals(stoppable(failure), { signals: ['SIGUSR2'], onError: (error) => void errors.push(error) });
      addedSince('SIGUSR2', before)[0]?.();
      await vi.waitFor(() => expect(errors).toEqual([failure]));
      process.exitCode = undefined;
      handleShutdownSignals(stoppable(failure), { signals: ['SIGUSR2'] });
      addedSince('SIGUSR2', before)[0]?.();
      await vi.waitFor(() => expect(process.exitCode).toBe(1));
    } finally {
      process.exitCode = previous;
    }
  });
});
