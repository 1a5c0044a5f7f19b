/**
 * Validation of params, querystring, headers and body over a real socket:
 * invalid values answer 400 application/problem+json listing every invalid
 * field of every part (Fastify itself stops at the first part that fails),
 * valid ones reach the handler coerced to their schema types.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, defineController, defineRoute } from '@rampart/http';
import type { HttpServer } from '@rampart/http';

const params = {
  type: 'object',
  properties: { orderId: { type: 'string', format: 'uuid' }, line: { type: 'integer', minimum: 1 } },
  required: ['orderId', 'line'],
} as const;
const querystring = {
  type: 'object',
  properties: { page: { type: 'integer', minimum: 1 }, sort: { type: 'string', enum: ['asc', 'desc'] }, dry: { type: 'boolean' } },
  required: ['sort'],
} as const;
const headers = {
  type: 'object',
  properties: { 'x-tenant': { type: 'string', pattern: '^[a-z]{3,12}$' }, 'x-priority': { type: 'integer', minimum: 0, maximum: 9 } },
  required: ['x-tenant'],
} as const;

const orders = defineController({
  path: '/orders',
  routes: [
    defineRoute({
      method: 'GET',
      path: '/:orderId/lines/:line',
      schema: { params, querystring, headers },
      handler: (ctx) => ({
        orderId: ctx.params.orderId,
        line: ctx.params.line,
        page: ctx.query.page ?? null,
        sort: ctx.query.sort,
        dry: ctx.query.dry ?? null,
        tenant: ctx.headers['x-tenant'],
        priority: ctx.headers['x-priority'] ?? null,
        types: [typeof ctx.params.line, typeof ctx.query.page, typeof ctx.query.dry, typeof ctx.headers['x-priority']],
      }),
    }),
  ],
});

const items = defineController({
  path: '/x',
  routes: [
    defineRoute({
      method: 'POST',
      path: '/:id',
      schema: {
        params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
        querystring: { type: 'object', properties: { q: { type: 'string', enum: ['aa', 'bb'] } } },
        body: { type: 'object', properties: { b: { type: 'boolean' } }, required: ['b'] },
      },
      handler: (ctx) => ({ id: ctx.params.id, q: ctx.query.q ?? null, b: ctx.body.b }),
    }),
  ],
});

const ORDER = '8f14e45f-ceea-4e7a-9b3c-1d2e3f4a5b6c';
const PROBLEM = 'application/problem+json; charset=utf-8';

let server: HttpServer;
let url: string;
beforeAll(async () => {
  server = createHttpServer({ controllers: [orders, items], port: 0, logger: false });
  ({ url } = await server.listen());
});
afterAll(async () => {
  await server.close();
});

// `instance` is the path without the query string (a query may carry secrets).
function problem(requestId: string, target: string, errors: readonly object[]) {
  const instance = target.split('?')[0];
  return {
    type: 'urn:rampart:problem:HTTP_ERR_VALIDATION',
    title: 'Validation Failed',
    status: 400,
    detail: `${errors.length} invalid field${errors.length === 1 ? '' : 's'}`,
    instance,
    code: 'HTTP_ERR_VALIDATION',
    requestId,
    errors,
  };
}

describe('valid requests reach the handler with typed values', () => {
  it('coerces params, query and headers to the schema types', async () => {
    const res = await request(url)
      .get(`/orders/${ORDER}/lines/3?page=2&sort=desc&dry=true`)
      .set('X-Tenant', 'acme')
      .set('X-Priority', '7')
      .set('X-Request-Id', 'v-ok')
      .expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-request-id']).toBe('v-ok');
    expect(res.body).toEqual({ orderId: ORDER, line: 3, page: 2, sort: 'desc', dry: true, tenant: 'acme', priority: 7, types: ['number', 'number', 'boolean', 'number'] });
  });

  it('optional fields may be absent', async () => {
    const res = await request(url).get(`/orders/${ORDER}/lines/1?sort=asc`).set('X-Tenant', 'acme').expect(200);
    expect(res.body).toEqual({ orderId: ORDER, line: 1, page: null, sort: 'asc', dry: null, tenant: 'acme', priority: null, types: ['number', 'undefined', 'undefined', 'undefined'] });
  });
});

describe('invalid values answer 400 problem+json listing each invalid field', () => {
  it('params: a malformed uuid and a line below the minimum are both listed', async () => {
    const path = `/orders/not-a-uuid/lines/0?sort=asc`;
    const res = await request(url).get(path).set('X-Tenant', 'acme').set('X-Request-Id', 'v-params').expect(400);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.headers['x-request-id']).toBe('v-params');
    expect(res.body).toEqual(
      problem('v-params', path, [
        { in: 'params', pointer: '/orderId', keyword: 'format', message: 'must match format "uuid"' },
        { in: 'params', pointer: '/line', keyword: 'minimum', message: 'must be >= 1' },
      ]),
    );
  });

  it('params: a non-integer line is a type error', async () => {
    const path = `/orders/${ORDER}/lines/two?sort=asc`;
    const res = await request(url).get(path).set('X-Tenant', 'acme').set('X-Request-Id', 'v-type').expect(400);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.body).toEqual(problem('v-type', path, [{ in: 'params', pointer: '/line', keyword: 'type', message: 'must be integer' }]));
  });

  it('querystring: integer below minimum, value outside the enum and a non-boolean are all listed', async () => {
    const path = `/orders/${ORDER}/lines/1?page=0&sort=sideways&dry=maybe`;
    const res = await request(url).get(path).set('X-Tenant', 'acme').set('X-Request-Id', 'v-query').expect(400);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.body).toEqual(
      problem('v-query', path, [
        { in: 'querystring', pointer: '/page', keyword: 'minimum', message: 'must be >= 1' },
        { in: 'querystring', pointer: '/sort', keyword: 'enum', message: 'must be equal to one of the allowed values' },
        { in: 'querystring', pointer: '/dry', keyword: 'type', message: 'must be boolean' },
      ]),
    );
  });

  it('querystring: a missing required field points at the field', async () => {
    const path = `/orders/${ORDER}/lines/1?page=2`;
    const res = await request(url).get(path).set('X-Tenant', 'acme').set('X-Request-Id', 'v-req').expect(400);
    expect(res.body).toEqual(problem('v-req', path, [{ in: 'querystring', pointer: '/sort', keyword: 'required', message: "must have required property 'sort'" }]));
  });

  it('headers: a value failing the pattern and one above the maximum are listed', async () => {
    const path = `/orders/${ORDER}/lines/1?sort=asc`;
    const res = await request(url).get(path).set('X-Tenant', 'ACME!').set('X-Priority', '10').set('X-Request-Id', 'v-hdr').expect(400);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.body).toEqual(
      problem('v-hdr', path, [
        { in: 'headers', pointer: '/x-tenant', keyword: 'pattern', message: 'must match pattern "^[a-z]{3,12}$"' },
        { in: 'headers', pointer: '/x-priority', keyword: 'maximum', message: 'must be <= 9' },
      ]),
    );
  });

  it('headers: a missing required header points at the header', async () => {
    const path = `/orders/${ORDER}/lines/1?sort=asc`;
    const res = await request(url).get(path).set('X-Request-Id', 'v-miss').expect(400);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.body).toEqual(problem('v-miss', path, [{ in: 'headers', pointer: '/x-tenant', keyword: 'required', message: "must have required property 'x-tenant'" }]));
  });
});

describe('a request invalid in several parts gets one 400 listing the fields of every part', () => {
  it('params, querystring and body: all listed, params first and body last', async () => {
    const path = '/x/abc?q=zz';
    const res = await request(url).post(path).send({ b: 'no' }).set('X-Request-Id', 'v-all').expect(400);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.headers['x-request-id']).toBe('v-all');
    expect(res.body).toEqual(
      problem('v-all', path, [
        { in: 'params', pointer: '/id', keyword: 'type', message: 'must be integer' },
        { in: 'querystring', pointer: '/q', keyword: 'enum', message: 'must be equal to one of the allowed values' },
        { in: 'body', pointer: '/b', keyword: 'type', message: 'must be boolean' },
      ]),
    );
  });

  it('params, querystring and headers of one route: all listed in that order', async () => {
    const path = '/orders/not-a-uuid/lines/1?sort=sideways';
    const res = await request(url).get(path).set('X-Tenant', 'ACME!').set('X-Request-Id', 'v-url').expect(400);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.body).toEqual(
      problem('v-url', path, [
        { in: 'params', pointer: '/orderId', keyword: 'format', message: 'must match format "uuid"' },
        { in: 'querystring', pointer: '/sort', keyword: 'enum', message: 'must be equal to one of the allowed values' },
        { in: 'headers', pointer: '/x-tenant', keyword: 'pattern', message: 'must match pattern "^[a-z]{3,12}$"' },
      ]),
    );
  });

  it('a valid request to the same route still reaches the handler, coerced', async () => {
    const res = await request(url).post('/x/5?q=bb').send({ b: false }).expect(201);
    expect(res.body).toEqual({ id: 5, q: 'bb', b: false });
  });

  it('a body without a parser stays a 415, not a field list', async () => {
    const res = await request(url).post('/x/abc?q=zz').set('Content-Type', 'application/xml').send('<b>no</b>').set('X-Request-Id', 'v-415').expect(415);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect([res.body.code, res.body.errors]).toEqual(['HTTP_ERR_UNSUPPORTED_MEDIA_TYPE', undefined]);
  });
});
