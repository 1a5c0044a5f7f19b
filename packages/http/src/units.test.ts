import { describe, expect, it } from 'vitest';
import { Socket } from 'node:net';
import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import { clientErrorHandler } from './client-error.ts';
import { compileRoutes } from './compile-routes.ts';
import { Catch, Controller, controllerOf, Get, Post, toFilter, Version } from './decorators.ts';
import { defineController, defineRoute, joinPath, normalizePath } from './define.ts';
import { HttpError } from './errors.ts';
import * as ex from './exceptions.ts';
import { createHttpServer } from './http-server.ts';
import { parseJsonBody } from './json-parser.ts';
import { resolveOptions } from './options.ts';
import { codeForStatus } from './errors.ts';
import { renderProblem } from './problem-details.ts';
import { HTTP_SERVER } from './http-module.ts';
import { VERSION_NEUTRAL } from './types.ts';
import type { ExceptionFilter } from './types.ts';

const ctx = { requestId: 'u', instance: '/u', production: true, typeBase: 'urn:x:' };

describe('exceptions', () => {
  it.each([
    [ex.BadRequestException, 400, 'HTTP_ERR_BAD_REQUEST', 'Bad Request'],
    [ex.UnauthorizedException, 401, 'HTTP_ERR_UNAUTHORIZED', 'Unauthorized'],
    [ex.ForbiddenException, 403, 'HTTP_ERR_FORBIDDEN', 'Forbidden'],
    [ex.NotFoundException, 404, 'HTTP_ERR_NOT_FOUND', 'Not Found'],
    [ex.MethodNotAllowedException, 405, 'HTTP_ERR_METHOD_NOT_ALLOWED', 'Method Not Allowed'],
    [ex.ConflictException, 409, 'HTTP_ERR_CONFLICT', 'Conflict'],
    [ex.GoneException, 410, 'HTTP_ERR_GONE', 'Gone'],
    [ex.PayloadTooLargeException, 413, 'HTTP_ERR_PAYLOAD_TOO_LARGE', 'Payload Too Large'],
    [ex.UnprocessableEntityException, 422, 'HTTP_ERR_UNPROCESSABLE_ENTITY', 'Unprocessable Entity'],
    [ex.TooManyRequestsException, 429, 'HTTP_ERR_TOO_MANY_REQUESTS', 'Too Many Requests'],
    [ex.InternalServerException, 500, 'HTTP_ERR_INTERNAL', 'Internal Server Error'],
    [ex.ServiceUnavailableException, 503, 'HTTP_ERR_SERVICE_UNAVAILABLE', 'Service Unavailable'],
  ] as const)('%o → %i %s', (Cls, status, code, title) => {
    const e = new Cls(undefined, { headers: { 'retry-after': '1' } });
    expect([e.status, e.code, e.title, e.name, e.message]).toEqual([status, code, title, Cls.name, '']);
    const { body, headers } = renderProblem(e, ctx);
    expect(body).toEqual({ type: `urn:x:${code}`, title, status, detail: title, instance: '/u', code, requestId: 'u' });
    expect(headers).toEqual({ 'retry-after': '1' });
  });

  it('HttpException validates its status and derives defaults', () => {
    expect(() => new ex.HttpException(302)).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_OPTIONS' }));
    expect(() => new ex.HttpException(600)).toThrow('HttpException status must be an integer in 400..599, got 600');
    const e = new ex.HttpException(599, 'x', { type: 'https://errors.example/x' });
    expect([e.code, e.title, e.category]).toEqual(['HTTP_ERR_INTERNAL', 'Server Error', 'internal']);
    expect(renderProblem(e, ctx).body.type).toBe('https://errors.example/x');
    expect([new ex.HttpException(499).title, new ex.HttpException(499).code]).toEqual(['Client Error', 'HTTP_ERR_BAD_REQUEST']);
    expect(new ex.ValidationException([{ in: 'body', pointer: '', keyword: 'type', message: 'm' }]).message).toBe('1 invalid field');
  });

  it('HttpError carries registry status and category, and is rendered hidden in production', () => {
    const e = new HttpError('HTTP_ERR_DRAIN_TIMEOUT', 'internal detail', { cause: new Error('c') });
    expect([e.code, e.status, e.category, (e.cause as Error).message]).toEqual(['HTTP_ERR_DRAIN_TIMEOUT', 500, 'lifecycle', 'c']);
    expect(renderProblem(e, ctx).body.detail).toBe('An unexpected error occurred.');
    expect(renderProblem(e, { ...ctx, production: false }).body.detail).toBe('internal detail');
  });
});

describe('problem normalization', () => {
  it('accepts exceptions from another copy of the package (brand, not instanceof)', () => {
    const foreign = { [Symbol.for('rampart.error')]: true, code: 'X_ERR', status: 409, message: 'taken', extensions: { k: 1 }, headers: { a: 'b' } };
    expect(renderProblem(foreign, ctx)).toEqual({
      body: { type: 'urn:x:X_ERR', title: 'Conflict', status: 409, detail: 'taken', instance: '/u', code: 'X_ERR', requestId: 'u', k: 1 },
      headers: { a: 'b' },
      serverFault: false,
    });
    const bare = { [Symbol.for('rampart.error')]: true, code: 'Y_ERR', status: 429, message: 'slow' };
    expect(renderProblem(bare, ctx).body.detail).toBe('slow');
  });

  it('4xx errors from other libraries keep their status but not their message', () => {
    const lib = Object.assign(new Error('internal path /srv/app'), { statusCode: 404 });
    expect(renderProblem(lib, ctx).body).toMatchObject({ status: 404, code: 'HTTP_ERR_NOT_FOUND', detail: 'Not Found' });
    const lib5 = Object.assign(new Error('x'), { statusCode: 502 });
    expect(renderProblem(lib5, ctx).body).toMatchObject({ status: 500, code: 'HTTP_ERR_INTERNAL' });
    expect(renderProblem(new Error(''), { ...ctx, production: false }).body.detail).toBe('An unexpected error occurred.');
    expect(renderProblem('str', { ...ctx, production: false }).body.detail).toBe('Non-error value thrown: string');
    expect([codeForStatus(418), codeForStatus(503), codeForStatus(599)]).toEqual(['HTTP_ERR_BAD_REQUEST', 'HTTP_ERR_SERVICE_UNAVAILABLE', 'HTTP_ERR_INTERNAL']);
  });

  it('escapes JSON pointer members and tolerates sparse ajv issues', () => {
    const v = Object.assign(new Error('v'), { validation: [{ keyword: 'required', instancePath: '', params: { missingProperty: 'a/b~c' }, message: 'req' }, {}] });
    expect(renderProblem(v, ctx).body.errors).toEqual([
      { in: 'body', pointer: '/a~1b~0c', keyword: 'required', message: 'req' },
      { in: 'body', pointer: '', keyword: 'unknown', message: 'is invalid' },
    ]);
  });

  it('JSON parser distinguishes empty, malformed and poisoned bodies', () => {
    expect(parseJsonBody('{"a":[1]}')).toEqual({ a: [1] });
    expect(() => parseJsonBody('')).toThrow(expect.objectContaining({ code: 'HTTP_ERR_MALFORMED_JSON' }));
    expect(() => parseJsonBody('{')).toThrow(expect.objectContaining({ code: 'HTTP_ERR_MALFORMED_JSON' }));
    expect(() => parseJsonBody('{"__proto__":{}}')).toThrow(expect.objectContaining({ code: 'HTTP_ERR_PROTO_POISONING' }));
  });
});

describe('paths, decorators and route compilation', () => {
  it('normalizes and joins paths, rejects unroutable ones', () => {
    expect([normalizePath(''), normalizePath('a/'), normalizePath('/a//')]).toEqual(['/', '/a', '/a']);
    expect(joinPath('/', '/', '/')).toBe('/');
    expect(joinPath('/v1', 'users', '/:id')).toBe('/v1/users/:id');
    expect(() => normalizePath('/a b')).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_CONTROLLER' }));
    expect(() => normalizePath('/a?b')).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_CONTROLLER', message: 'Invalid route path: "/a?b"' }));
    expect(() => normalizePath(5 as unknown as string)).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_CONTROLLER', message: 'Invalid route path: 5' }));
    expect([defineRoute({ method: 'GET', handler: () => 1 }).path, defineController({ routes: [] }).path]).toEqual(['/', '/']);
  });

  it('subclasses inherit routes without changing the parent; options object form', () => {
    @Controller({ path: 'base' })
    class Base {
      @Get('/one')
      one() {
        return 1;
      }
    }
    @Controller('child')
    class Child extends Base {
      @Post('/two')
      two() {
        return 2;
      }
    }
    expect(controllerOf(Base)?.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /one']);
    expect(controllerOf(Child)?.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /one', 'POST /two']);
    expect(controllerOf(Child)?.path).toBe('/child');
    expect(controllerOf(class Plain {})).toBeUndefined();
  });

  it('filters: @Catch classes, instances of @Catch classes, plain objects', () => {
    class E1 extends Error {}
    @Catch(E1)
    class F implements ExceptionFilter {
      catch() {
        return 'f';
      }
    }
    expect(toFilter(F).types).toEqual([E1]);
    expect(toFilter(new F()).types).toEqual([E1]);
    expect(toFilter({ catch: () => 'x' }).types).toEqual([]);
  });

  it('refuses undecorated classes, missing methods, duplicates and malformed versions', () => {
    const base = resolveOptions({});
    expect(() => compileRoutes({ ...base, controllers: [class Nope {}] })).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_CONTROLLER', message: 'Nope has no @Controller() decorator' }));
    const missing = defineController({ routes: [{ method: 'GET', path: '/', handler: 'ghost' }] });
    expect(() => compileRoutes({ ...base, controllers: [missing] })).toThrow('controller.ghost is not a method');
    const r = defineRoute({ method: 'GET', handler: () => 1 });
    expect(() => compileRoutes({ ...base, controllers: [defineController({ routes: [r, r] })] })).toThrow(expect.objectContaining({ code: 'HTTP_ERR_DUPLICATE_ROUTE', message: 'Route declared twice: GET / *' }));
    @Controller()
    class Bad {
      @Get()
      @Version('1/2')
      g() {
        return 1;
      }
    }
    expect(() => compileRoutes({ ...base, versioning: { type: 'header' }, controllers: [Bad] })).toThrow('Invalid API version "1/2"');
  });
});

describe('client errors on the socket', () => {
  it('answers 400 problem for garbage, stays silent for resets and dead sockets', () => {
    const handler = clientErrorHandler('urn:x:', 'x-request-id');
    const written: string[] = [];
    const socket = Object.assign(new Socket(), { write: (s: string) => (written.push(s), true) });
    Object.defineProperty(socket, 'writable', { value: true });
    handler(Object.assign(new Error('bad'), { code: 'HPE_INVALID_METHOD' }), socket);
    expect(written[0]).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(written[0]).toContain('"code":"HTTP_ERR_BAD_REQUEST"');
    const other = Object.assign(new Socket(), { write: () => expect.fail('must not write') });
    handler(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), other);
    other.destroy();
    handler(new Error('late'), other);
  });
});

describe('request slots', () => {
  it('every Fastify request is built with the context and scope slots already present', async () => {
    const s = createHttpServer({ logger: false, controllers: [defineController({ routes: [defineRoute({ method: 'GET', path: '/x', handler: () => 'x' })] })] });
    const slots: string[][] = [];
    // A raw hook runs before any Rampart code has touched the request.
    s.app.addHook('onRequest', (request, _reply, done) => {
      slots.push(Object.getOwnPropertySymbols(request).flatMap((sym) => (sym.description?.startsWith('rampart.http.') === true ? [sym.description] : [])));
      done();
    });
    expect((await s.app.inject('/x')).body).toBe('x');
    expect(slots).toEqual([['rampart.http.context', 'rampart.http.scope']]);
    await s.close();
  });
});

describe('request scope runner', () => {
  it('hooks, guards, handlers and filters run inside the scope, also after async body parsing', async () => {
    const als = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    const route = defineRoute({
      method: 'POST',
      path: '/s',
      guards: [() => (seen.push(als.getStore()), true)],
      hooks: { preHandler: [() => void seen.push(als.getStore())] },
      filters: [{ catch: () => (seen.push(als.getStore()), new ex.ConflictException()) }],
      handler: () => {
        seen.push(als.getStore());
        throw new Error('to filter');
      },
    });
    const entered: string[] = [];
    const requestScope = <R>(id: string, fn: () => R): R => (entered.push(id), als.run(`scope:${id}`, fn));
    const s = createHttpServer({ logger: false, controllers: [defineController({ routes: [route] })], requestScope });
    const res = await s.app.inject({ method: 'POST', url: '/s', payload: { a: 1 }, headers: { 'x-request-id': 'q' } });
    expect(res.statusCode).toBe(409);
    expect(seen).toEqual(['scope:q', 'scope:q', 'scope:q', 'scope:q']);
    // One scope for the whole request, entered by its first stage; none for a request that runs no user code.
    expect(entered).toEqual(['q']);
    expect((await s.app.inject({ url: '/nothing-here', headers: { 'x-request-id': 'r' } })).statusCode).toBe(404);
    expect(entered).toEqual(['q']);
    await s.close();
  });

  it('a handler that is the last stage with user code enters the scope without keeping a resource; later stages still share it', async () => {
    const als = new AsyncLocalStorage<string>();
    const resources: string[] = [];
    const hook = createHook({ init: (_id, type) => void (type === 'rampart:http.request' && resources.push(type)) }).enable();
    try {
      const seen: (string | undefined)[] = [];
      const plain = defineRoute({ method: 'GET', path: '/plain', handler: () => ({ at: als.getStore() }) });
      const throwing = defineRoute({ method: 'GET', path: '/throws', handler: () => { throw new ex.NotFoundException(); } });
      const responded = defineRoute({
        method: 'GET',
        path: '/after',
        hooks: { onResponse: [() => void seen.push(als.getStore())] },
        handler: () => (seen.push(als.getStore()), { ok: true }),
      });
      const requestScope = <R>(id: string, fn: () => R): R => als.run(`scope:${id}`, fn);
      const s = createHttpServer({ logger: false, controllers: [defineController({ routes: [plain, throwing, responded] })], requestScope });
      expect((await s.app.inject({ url: '/plain', headers: { 'x-request-id': 'p' } })).json()).toEqual({ at: 'scope:p' });
      expect((await s.app.inject('/throws')).statusCode).toBe(404);
      expect(resources).toEqual([]);
      await s.app.inject({ url: '/after', headers: { 'x-request-id': 'a' } });
      expect(seen).toEqual(['scope:a', 'scope:a']);
      expect(resources).toEqual(['rampart:http.request']);
      await s.close();

      // A global filter may run after any handler: the scope is kept for it.
      const filtered: (string | undefined)[] = [];
      const g = createHttpServer({
        logger: false,
        controllers: [defineController({ routes: [throwing] })],
        filters: [{ catch: () => (filtered.push(als.getStore()), new ex.GoneException()) }],
        requestScope,
      });
      expect((await g.app.inject({ url: '/throws', headers: { 'x-request-id': 'g' } })).statusCode).toBe(410);
      expect(filtered).toEqual(['scope:g']);
      expect(resources).toHaveLength(2);
      await g.close();
    } finally {
      hook.disable();
    }
  });
});

describe('cross-copy identities', () => {
  it('VERSION_NEUTRAL and HTTP_SERVER are the same for every installed copy', () => {
    expect(VERSION_NEUTRAL).toBe(Symbol.for('rampart.http.version-neutral'));
    expect([HTTP_SERVER.name, HTTP_SERVER.description]).toEqual(['rampart.http.server', 'The HTTP server of the application']);
  });
});

describe('small behaviours', () => {
  it('ctx exposes headers and query; default readiness answers ready; 2xx response keys document', async () => {
    const route = defineRoute({
      method: 'GET',
      path: '/h',
      schema: { response: { '2xx': { type: 'object', properties: { a: { type: 'string' } } } } },
      handler: (c) => ({ a: `${String(c.headers['x-a'])}:${String(c.query.q)}` }),
    });
    const s = createHttpServer({ logger: false, controllers: [defineController({ routes: [route] })], port: 0 });
    await s.listen();
    expect((await s.app.inject({ url: '/h?q=2', headers: { 'x-a': '1' } })).json()).toEqual({ a: '1:2' });
    const ready = await s.app.inject('/health/ready');
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready' }]);
    const doc = (await s.app.inject('/openapi.json')).json();
    // OpenAPI spells status ranges in upper case: a `2xx` key would make the document invalid.
    expect(Object.keys(doc.paths['/h'].get.responses)).toEqual(['2XX', 'default']);
    expect(doc.paths['/h'].get.responses['2XX'].description).toBe('2XX');
    await s.close();
  });

  it('a filter may turn a client error into another one without a server-fault log', async () => {
    const route = defineRoute({
      method: 'GET',
      path: '/f',
      filters: [{ catch: (e: unknown) => (e instanceof ex.NotFoundException ? new ex.GoneException('moved') : undefined) }],
      handler: () => {
        throw new ex.NotFoundException();
      },
    });
    const s = createHttpServer({ logger: false, controllers: [defineController({ routes: [route] })] });
    const res = await s.app.inject('/f');
    expect([res.statusCode, res.json().detail]).toEqual([410, 'moved']);
    await s.close();
  });
});
