/**
 * L1 contract of @rampart/http (novice, zero config): one decorated controller
 * answers JSON; errors are RFC 9457 problem documents; every response carries
 * a request id.
 */
import { describe, expect, it } from 'vitest';
import { Controller, createHttpServer, Get, NotFoundException, Post } from '@rampart/http';
import type { RouteContext } from '@rampart/http';

@Controller('/hello')
class Hello {
  @Get('/')
  greet() {
    return { hello: 'world' };
  }

  @Get('/:name')
  named(ctx: RouteContext) {
    if (ctx.params.name === 'nobody') throw new NotFoundException('nobody is here');
    return { hello: ctx.params.name };
  }

  @Post('/')
  echo(ctx: RouteContext) {
    return { received: ctx.body };
  }
}

describe('@rampart/http L1: a controller answering JSON with zero config', () => {
  it('answers GET with JSON and a request id', async () => {
    const server = createHttpServer({ controllers: [Hello] });
    const res = await server.app.inject({ method: 'GET', url: '/hello' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual({ hello: 'world' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await server.close();
  });

  it('passes route params and answers POST with 201', async () => {
    const server = createHttpServer({ controllers: [Hello] });
    expect((await server.app.inject({ method: 'GET', url: '/hello/ada' })).json()).toEqual({ hello: 'ada' });
    const created = await server.app.inject({ method: 'POST', url: '/hello', payload: { a: 1 } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ received: { a: 1 } });
    await server.close();
  });

  it('reuses a valid incoming X-Request-Id', async () => {
    const server = createHttpServer({ controllers: [Hello] });
    const res = await server.app.inject({ method: 'GET', url: '/hello', headers: { 'x-request-id': 'client-42' } });
    expect(res.headers['x-request-id']).toBe('client-42');
    await server.close();
  });

  it('answers thrown exceptions and unknown routes with problem+json', async () => {
    const server = createHttpServer({ controllers: [Hello] });
    const thrown = await server.app.inject({ method: 'GET', url: '/hello/nobody', headers: { 'x-request-id': 'p1' } });
    expect(thrown.statusCode).toBe(404);
    expect(thrown.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(thrown.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_NOT_FOUND',
      title: 'Not Found',
      status: 404,
      detail: 'nobody is here',
      instance: '/hello/nobody',
      code: 'HTTP_ERR_NOT_FOUND',
      requestId: 'p1',
    });
    const missing = await server.app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'p2' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_NOT_FOUND',
      title: 'Not Found',
      status: 404,
      detail: 'No route for GET /nowhere',
      instance: '/nowhere',
      code: 'HTTP_ERR_NOT_FOUND',
      requestId: 'p2',
    });
    await server.close();
  });

  it('listens on a real port and closes', async () => {
    const server = createHttpServer({ controllers: [Hello], port: 0 });
    const { url } = await server.listen();
    const res = await fetch(`${url}/hello`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: 'world' });
    expect(await server.close()).toEqual({ drained: true });
  });
});
