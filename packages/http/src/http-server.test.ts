import { Readable, Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createHttpServer } from './http-server.ts';
import { Controller, Get, Post } from './decorators.ts';
import { defineController, defineFilter, defineRoute } from './define.ts';
import { ConflictException, NotFoundException, ServiceUnavailableException } from './exceptions.ts';
import type { RouteContext } from './types.ts';

const body = { type: 'object', properties: { name: { type: 'string', minLength: 1 }, age: { type: 'integer' } }, required: ['name', 'age'] } as const;

@Controller('/hello')
class Hello {
  @Get('/')
  greet() {
    return { hello: 'world' };
  }

  @Get('/:id')
  one(ctx: RouteContext) {
    throw new NotFoundException(`no greeting ${ctx.params.id}`);
  }

  @Post('/', { schema: { body } })
  create(ctx: RouteContext<{ body: typeof body }>) {
    return { name: ctx.body.name, age: ctx.body.age };
  }
}

describe('HttpServer (inject)', () => {
  it('answers a decorated controller with JSON and the request id header', async () => {
    const server = createHttpServer({ controllers: [Hello], logger: false });
    const res = await server.app.inject({ method: 'GET', url: '/hello', headers: { 'x-request-id': 'abc-123' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.json()).toEqual({ hello: 'world' });
    await server.close();
  });

  it('renders exceptions as problem+json', async () => {
    const server = createHttpServer({ controllers: [Hello], logger: false });
    const res = await server.app.inject({ method: 'GET', url: '/hello/7?token=secret', headers: { 'x-request-id': 'r1' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_NOT_FOUND',
      title: 'Not Found',
      status: 404,
      detail: 'no greeting 7',
      instance: '/hello/7',
      code: 'HTTP_ERR_NOT_FOUND',
      requestId: 'r1',
    });
    await server.close();
  });

  it('lists every invalid field', async () => {
    const server = createHttpServer({ controllers: [Hello], logger: false });
    const res = await server.app.inject({ method: 'POST', url: '/hello', payload: { name: '' }, headers: { 'x-request-id': 'r2' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_VALIDATION',
      title: 'Validation Failed',
      status: 400,
      detail: '2 invalid fields',
      instance: '/hello',
      code: 'HTTP_ERR_VALIDATION',
      requestId: 'r2',
      errors: [
        { in: 'body', pointer: '/age', keyword: 'required', message: "must have required property 'age'" },
        { in: 'body', pointer: '/name', keyword: 'minLength', message: 'must NOT have fewer than 1 characters' },
      ],
    });
    await server.close();
  });
});

describe('HttpServer edges', () => {
  it('trustProxy is forwarded to Fastify: request.ip comes from X-Forwarded-For only when set', async () => {
    const route = defineRoute({ method: 'GET', path: '/ip', handler: (ctx) => ({ ip: ctx.request.ip }) });
    const trusting = createHttpServer({ logger: false, controllers: [defineController({ routes: [route] })], trustProxy: true });
    const plain = createHttpServer({ logger: false, controllers: [defineController({ routes: [route] })] });
    const headers = { 'x-forwarded-for': '203.0.113.9' };
    expect((await trusting.app.inject({ url: '/ip', headers })).json()).toEqual({ ip: '203.0.113.9' });
    expect((await plain.app.inject({ url: '/ip', headers })).json()).toEqual({ ip: '127.0.0.1' });
    await trusting.close();
    await plain.close();
  });

  it('listen reports an IPv6 address in brackets', async () => {
    const server = createHttpServer({ logger: false, host: '::1', port: 0 });
    const { url, port } = await server.listen();
    expect(url).toBe(`http://[::1]:${port}`);
    await server.close();
  });

  it('a failing readiness check answers 503 through the error handler and global filters, its message unsent', async () => {
    // Regression: a check that threw or rejected answered 500, which load balancers read as a
    // server fault rather than "not ready".
    const seen: unknown[] = [];
    const filter = { catch: (error: unknown) => void seen.push(error) };
    const broken = new Error('probe exploded: postgres://user:secret@db');
    const rejecting = () => Promise.reject(broken);
    const throwing = (): boolean => {
      throw broken;
    };
    for (const [production, readinessCheck] of [[true, rejecting], [false, throwing]] as const) {
      const server = createHttpServer({ logger: false, production, port: 0, filters: [filter], readinessCheck });
      await server.listen();
      const res = await server.app.inject({ url: '/health/ready', headers: { 'x-request-id': 'rc' } });
      expect([res.statusCode, res.headers['content-type'], res.headers['x-request-id']]).toEqual([503, 'application/problem+json; charset=utf-8', 'rc']);
      expect(res.json()).toEqual({
        type: 'urn:rampart:problem:HTTP_ERR_SERVICE_UNAVAILABLE',
        title: 'Service Unavailable',
        status: 503,
        detail: 'A required dependency is not ready',
        instance: '/health/ready',
        code: 'HTTP_ERR_SERVICE_UNAVAILABLE',
        requestId: 'rc',
      });
      await server.close();
    }
    // Filters see the failure as the 503 they could answer otherwise, the thrown error its cause.
    expect(seen.map((e) => [e instanceof ServiceUnavailableException, (e as Error).cause])).toEqual([
      [true, broken],
      [true, broken],
    ]);
  });

  it('a sunset route without a link answers 410 without a migration member', async () => {
    const sunset = new Date('2020-01-01T00:00:00Z');
    const route = defineRoute({ method: 'GET', path: '/old', deprecated: { since: new Date(0), sunset }, handler: () => 'x' });
    const server = createHttpServer({ logger: false, controllers: [defineController({ routes: [route] })] });
    const res = await server.app.inject({ url: '/old', headers: { 'x-request-id': 'g1' } });
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_GONE',
      title: 'Gone',
      status: 410,
      detail: 'This endpoint was retired on Wed, 01 Jan 2020 00:00:00 GMT',
      instance: '/old',
      code: 'HTTP_ERR_GONE',
      requestId: 'g1',
    });
    expect([res.headers.deprecation, res.headers.sunset]).toEqual(['@0', 'Wed, 01 Jan 2020 00:00:00 GMT']);
    await server.close();
  });

  it('a handler that sends its own reply and returns nothing keeps that reply (no 204)', async () => {
    const routes = [
      defineRoute({ method: 'GET', path: '/sync', handler: (ctx) => void ctx.reply.code(202).send({ sent: 'sync' }) }),
      defineRoute({ method: 'GET', path: '/async', handler: async (ctx) => void (await ctx.reply.code(203).send({ sent: 'async' })) }),
    ];
    const server = createHttpServer({ logger: false, controllers: [defineController({ routes })] });
    const sync = await server.app.inject('/sync');
    const later = await server.app.inject('/async');
    expect([sync.statusCode, sync.json(), later.statusCode, later.json()]).toEqual([202, { sent: 'sync' }, 203, { sent: 'async' }]);
    await server.close();
  });

  describe('a handler that sends its own reply whose send completes later keeps that reply (regression: a 204 went out over it)', () => {
    const big = { data: 'x'.repeat(5000) };
    const routes = [
      defineRoute({ method: 'GET', path: '/stream', handler: (ctx) => void ctx.reply.type('text/plain').send(Readable.from(['hello ', 'world'])) }),
      defineRoute({ method: 'GET', path: '/async-stream', handler: (ctx) => Promise.resolve(void ctx.reply.type('text/plain').send(Readable.from(['hello ', 'world']))) }),
      defineRoute({ method: 'GET', path: '/big', handler: (ctx) => void ctx.reply.send(big) }),
      defineRoute({ method: 'GET', path: '/async-big', handler: (ctx) => Promise.resolve(void ctx.reply.send(big)) }),
      defineRoute({ method: 'GET', path: '/none', handler: () => undefined }),
    ];

    async function serve(options: { compression?: false; onSend?: boolean }) {
      const lines: Record<string, unknown>[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _enc, cb) {
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          cb();
        },
      });
      const server = createHttpServer({ logger: pino({ level: 'warn' }, stream), port: 0, controllers: [defineController({ routes })], ...(options.compression === false ? { compression: false } : {}) });
      if (options.onSend === true) server.app.addHook('onSend', async (_request, _reply, payload) => (await new Promise((resolve) => setTimeout(resolve, 5)), payload));
      const { url } = await server.listen();
      return { server, url, lines };
    }

    it.each([
      ['a stream body', { compression: false }],
      ['a stream body, compressed', {}],
      ['an async onSend hook', { compression: false, onSend: true }],
    ] as const)('%s', async (_name, options) => {
      const { server, url, lines } = await serve(options);
      for (const path of ['/stream', '/async-stream']) {
        const res = await fetch(url + path);
        expect([path, res.status, res.headers.get('content-type'), await res.text()]).toEqual([path, 200, 'text/plain', 'hello world']);
      }
      const none = await fetch(`${url}/none`);
      expect([none.status, await none.text()]).toEqual([204, '']);
      await server.close();
      expect(lines).toEqual([]);
    });

    it.each<[string, { compression?: false; onSend?: boolean }]>([
      ['built-in compression of a body over the threshold', {}],
      ['an async onSend hook', { compression: false, onSend: true }],
    ])('an object body: %s', async (_name, options) => {
      const { server, url, lines } = await serve(options);
      for (const path of ['/big', '/async-big']) {
        const res = await fetch(url + path, { headers: { 'accept-encoding': 'gzip' } });
        const encoding = options.compression === false ? null : 'gzip';
        expect([path, res.status, res.headers.get('content-encoding'), await res.json()]).toEqual([path, 200, encoding, big]);
      }
      await server.close();
      expect(lines).toEqual([]);
    });
  });

  it('documents a non-standard success status as "Success"', async () => {
    const route = defineRoute({ method: 'GET', path: '/odd', status: 299, handler: () => ({}) });
    const server = createHttpServer({ logger: false, controllers: [defineController({ routes: [route] })] });
    const doc = (await server.app.inject('/openapi.json')).json();
    expect(doc.paths['/odd'].get.responses['299']).toEqual({ description: 'Success' });
    expect((await server.app.inject('/odd')).statusCode).toBe(299);
    await server.close();
  });
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('errors Fastify raises before routing are problem documents with the request id', () => {
  const items = defineController({ routes: [defineRoute({ method: 'GET', path: '/items/:id', handler: () => 'x' })] });

  it('a malformed URL answers 400 HTTP_ERR_BAD_REQUEST, without echoing the query string', async () => {
    const server = createHttpServer({ logger: false, controllers: [items] });
    const res = await server.app.inject({ url: '/items/%E0%A4%A?token=secret', headers: { 'x-request-id': 'u1' } });
    expect([res.statusCode, res.headers['content-type'], res.headers['x-request-id']]).toEqual([400, 'application/problem+json; charset=utf-8', 'u1']);
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_BAD_REQUEST',
      title: 'Bad Request',
      status: 400,
      detail: 'The URL path is not valid percent-encoded UTF-8',
      instance: '/items/%E0%A4%A',
      code: 'HTTP_ERR_BAD_REQUEST',
      requestId: 'u1',
    });
    // Without an incoming id one is generated, and header and body agree.
    const generated = await server.app.inject('/%E0%A4%A');
    expect([generated.statusCode, generated.headers['x-request-id']]).toEqual([400, generated.json().requestId]);
    expect(generated.json().requestId).toMatch(UUID);
    await server.close();
  });

  it('a path parameter over maxParamLength answers 414 with the status title, without echoing the query string', async () => {
    const server = createHttpServer({ logger: false, controllers: [items] });
    const id = 'x'.repeat(101);
    const res = await server.app.inject({ url: `/items/${id}?token=secret`, headers: { 'x-request-id': 'u2' } });
    expect([res.statusCode, res.headers['content-type'], res.headers['x-request-id']]).toEqual([414, 'application/problem+json; charset=utf-8', 'u2']);
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_URI_TOO_LONG',
      title: 'URI Too Long',
      status: 414,
      detail: 'A path parameter is longer than the server accepts',
      instance: `/items/${id}`,
      code: 'HTTP_ERR_URI_TOO_LONG',
      requestId: 'u2',
    });
    await server.close();
  });

  it('global filters see them as the exception they map to', async () => {
    const seen: unknown[] = [];
    const filter = defineFilter([], (error) => (seen.push(error), new ConflictException('filtered')));
    const server = createHttpServer({ logger: false, controllers: [items], filters: [filter] });
    const res = await server.app.inject({ url: '/%E0%A4%A', headers: { 'x-request-id': 'u3' } });
    expect([res.statusCode, res.json().code, res.json().detail, res.headers['x-request-id']]).toEqual([409, 'HTTP_ERR_CONFLICT', 'filtered', 'u3']);
    expect(seen).toEqual([expect.objectContaining({ status: 400, code: 'HTTP_ERR_BAD_REQUEST' })]);
    await server.close();
  });
});

describe('OpenAPI documents carry the request id header', () => {
  it('unversioned and per version, given or generated', async () => {
    const route = defineRoute({ method: 'GET', path: '/a', version: '1', handler: () => 'a' });
    const versioned = createHttpServer({ logger: false, versioning: { type: 'uri' }, controllers: [defineController({ routes: [route] })] });
    const v1 = await versioned.app.inject({ url: '/openapi/v1.json', headers: { 'x-request-id': 'o1' } });
    expect([v1.statusCode, v1.headers['x-request-id'], v1.json().openapi]).toEqual([200, 'o1', '3.1.0']);
    const head = await versioned.app.inject({ method: 'HEAD', url: '/openapi/v1.json', headers: { 'x-request-id': 'o2' } });
    expect([head.statusCode, head.headers['x-request-id']]).toEqual([200, 'o2']);
    await versioned.close();
    const plain = createHttpServer({ logger: false, requestIdHeader: 'x-correlation-id' });
    const doc = await plain.app.inject('/openapi.json');
    expect([doc.statusCode, doc.json().openapi]).toEqual([200, '3.1.0']);
    expect(doc.headers['x-correlation-id']).toMatch(UUID);
    await plain.close();
  });
});

describe('HttpServer configuration and lifecycle', () => {
  it('hands limits and timeouts to Fastify and the Node server', async () => {
    const server = createHttpServer({ logger: false, bodyLimit: 2048, timeouts: { headers: 1500, request: 2500, keepAlive: 700, checkInterval: 100 } });
    const config = server.app.initialConfig as typeof server.app.initialConfig & { requestTimeout?: number };
    expect([config.bodyLimit, config.requestTimeout, config.keepAliveTimeout, config.onProtoPoisoning, config.onConstructorPoisoning]).toEqual([2048, 2500, 700, 'error', 'error']);
    expect(config.forceCloseConnections).toBe('idle');
    await server.listen();
    const node = server.app.server;
    expect([node.headersTimeout, node.requestTimeout, node.keepAliveTimeout]).toEqual([1500, 2500, 700]);
    await server.close();
  });

  it('without OpenAPI and readiness, those paths are unknown', async () => {
    const server = createHttpServer({ logger: false, openapi: false, readinessPath: false });
    expect([(await server.app.inject('/openapi.json')).statusCode, (await server.app.inject('/health/ready')).statusCode]).toEqual([404, 404]);
    await server.close();
  });

  it('readiness: 200 with the request id while listening, 503 before listen and while draining', async () => {
    const server = createHttpServer({ logger: false, readinessPath: '/ready', port: 0 });
    const idle = await server.app.inject({ url: '/ready', headers: { 'x-request-id': 'p0' } });
    expect([idle.statusCode, idle.json().detail, idle.headers['x-request-id']]).toEqual([503, 'Server is shutting down', 'p0']);
    expect([server.state, server.ready]).toEqual(['idle', false]);
    await server.listen();
    expect([server.state, server.ready]).toEqual(['listening', true]);
    const ready = await server.app.inject({ url: '/ready', headers: { 'x-request-id': 'p1' } });
    expect([ready.statusCode, ready.json(), ready.headers['x-request-id']]).toEqual([200, { status: 'ready' }, 'p1']);
    await server.close();
    expect([server.state, server.ready]).toEqual(['closed', false]);
  });

  it('close before listen closes at once; listening afterwards is refused', async () => {
    const server = createHttpServer({ logger: false, readinessGrace: 10_000 });
    expect(await server.close()).toEqual({ drained: true });
    expect(server.state).toBe('closed');
    await expect(server.listen()).rejects.toMatchObject({ code: 'HTTP_ERR_ALREADY_LISTENING', message: 'Cannot listen in state closed' });
  });

  it('keeps the listener open for readinessGrace after flipping readiness, then drains', async () => {
    const server = createHttpServer({ logger: false, readinessGrace: 60, port: 0 });
    await server.listen();
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const closing = server.close();
    try {
      expect(server.state).toBe('draining');
      expect(server.close()).toBe(closing);
      await vi.advanceTimersByTimeAsync(59);
      expect([server.app.server.listening, server.ready]).toEqual([true, false]);
      await vi.advanceTimersByTimeAsync(1);
    } finally {
      vi.useRealTimers();
    }
    expect(await closing).toEqual({ drained: true });
    expect([server.app.server.listening, server.state]).toEqual([false, 'closed']);
  });

  it('logs HTTP_ERR_DRAIN_TIMEOUT when in-flight requests outlive drainTimeout', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        cb();
      },
    });
    let arrived!: () => void;
    const seen = new Promise<void>((resolve) => (arrived = resolve));
    const hang = defineRoute({ method: 'GET', path: '/hang', handler: () => (arrived(), new Promise(() => undefined)) });
    const server = createHttpServer({ logger: pino({ level: 'error' }, stream), controllers: [defineController({ routes: [hang] })], port: 0, drainTimeout: 50 });
    const { url } = await server.listen();
    const pending = fetch(`${url}/hang`).catch(() => 'cut');
    await seen;
    expect(await server.close()).toEqual({ drained: false });
    expect(await pending).toBe('cut');
    const line = lines.find((l) => l.code === 'HTTP_ERR_DRAIN_TIMEOUT');
    expect([line?.level, line?.msg, (line?.err as { code: string }).code]).toEqual([50, 'In-flight requests still running after 50 ms; closing their sockets', 'HTTP_ERR_DRAIN_TIMEOUT']);
  });
});
