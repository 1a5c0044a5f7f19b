/**
 * L2 contract of @rampart/http: a path parameter longer than Fastify's
 * `maxParamLength` (100) answers 414 problem+json with its own stable code,
 * `HTTP_ERR_URI_TOO_LONG`, registered in `HTTP_ERRORS`, and never echoes the
 * query string.
 */
import { describe, expect, it } from 'vitest';
import { createHttpServer, defineController, defineRoute, HTTP_ERRORS } from '@rampart/http';

const items = defineController({
  path: '/items',
  routes: [defineRoute({ method: 'GET', path: '/:id', handler: (ctx) => ({ id: ctx.params.id }) })],
});

describe('@rampart/http L2: URI too long', () => {
  it('HTTP_ERR_URI_TOO_LONG is a registered client code for 414', () => {
    expect(HTTP_ERRORS.HTTP_ERR_URI_TOO_LONG).toEqual({ status: 414, title: 'URI Too Long', category: 'client' });
  });

  it('a path parameter over 100 characters answers 414 problem+json with the code and the request id', async () => {
    const server = createHttpServer({ logger: false, controllers: [items] });
    const id = 'x'.repeat(101);
    const res = await server.app.inject({ url: `/items/${id}?token=secret`, headers: { 'x-request-id': 'c-414' } });
    expect([res.statusCode, res.headers['content-type'], res.headers['x-request-id']]).toEqual([414, 'application/problem+json; charset=utf-8', 'c-414']);
    const body = res.json();
    expect([body.status, body.code, body.title, body.requestId]).toEqual([414, 'HTTP_ERR_URI_TOO_LONG', 'URI Too Long', 'c-414']);
    expect(res.body).not.toContain('secret');
    // 100 characters is still a parameter.
    expect((await server.app.inject(`/items/${'y'.repeat(100)}`)).json()).toEqual({ id: 'y'.repeat(100) });
    await server.close();
  });
});
