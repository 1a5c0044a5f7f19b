import { describe, expect, it } from 'vitest';
import { createHttpServer } from './http-server.ts';
import { Controller, Get, Post } from './decorators.ts';
import { defineController, defineRoute } from './define.ts';
import { NotFoundException } from './exceptions.ts';
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

  it('a failing readiness check renders through the error handler and global filters', async () => {
    const seen: unknown[] = [];
    const filter = { catch: (error: unknown) => void seen.push(error) };
    const broken = new Error('probe exploded');
    const server = createHttpServer({ logger: false, production: true, filters: [filter], readinessCheck: () => Promise.reject(broken) });
    await server.listen();
    const res = await server.app.inject({ url: '/health/ready', headers: { 'x-request-id': 'rc' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_INTERNAL',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
      instance: '/health/ready',
      code: 'HTTP_ERR_INTERNAL',
      requestId: 'rc',
    });
    expect(seen).toEqual([broken]);
    await server.close();
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

  it('documents a non-standard success status as "Success"', async () => {
    const route = defineRoute({ method: 'GET', path: '/odd', status: 299, handler: () => ({}) });
    const server = createHttpServer({ logger: false, controllers: [defineController({ routes: [route] })] });
    const doc = (await server.app.inject('/openapi.json')).json();
    expect(doc.paths['/odd'].get.responses['299']).toEqual({ description: 'Success' });
    expect((await server.app.inject('/odd')).statusCode).toBe(299);
    await server.close();
  });
});
