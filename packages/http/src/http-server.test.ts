import { describe, expect, it } from 'vitest';
import { createHttpServer } from './http-server.ts';
import { Controller, Get, Post } from './decorators.ts';
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
