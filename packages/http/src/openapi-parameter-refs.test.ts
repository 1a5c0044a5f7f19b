import { describe, expect, it } from 'vitest';
import { compileRoutes } from './compile-routes.ts';
import { defineController, defineRoute } from './define.ts';
import { createHttpServer } from './http-server.ts';
import { buildOpenApi } from './openapi.ts';
import { operationParameters, resolveLocalRef } from './openapi-parameters.ts';
import { resolveOptions } from './options.ts';
import { invalidSchemas, validateOpenApi as validate } from './test-support/openapi-validation.ts';

/**
 * Regression: a route whose `params`, `querystring` or `headers` schema is itself a `$ref` to
 * an `addSchema()` schema (`{ $ref: 'Params#' }`, which Fastify validates with) documented no
 * parameter of that part: only inline object schemas were expanded into `parameters`.
 */

type Doc = Record<string, unknown>;
type Operation = { parameters: Doc[] };
const operationOf = (doc: Doc, path: string, method: string): Operation | undefined => (doc.paths as Record<string, Record<string, Operation>>)[path]?.[method];

const id = { $id: 'Id', type: 'string', pattern: '^[0-9]+$' };
const params = { $id: 'Params', type: 'object', properties: { id: { $ref: 'Id#' } }, required: ['id'] };
const query = { $id: 'Query', type: 'object', properties: { limit: { type: 'integer', maximum: 50 }, q: { type: 'string' } }, required: ['q'] };
const headers = { $id: 'Headers', type: 'object', properties: { 'x-tenant': { type: 'string' } }, required: ['x-tenant'] };
// A ref to a ref, and a ref beside members of its own.
const paging = { $id: 'Paging', $ref: 'Query#' };

const controller = defineController({
  path: '/users',
  routes: [
    defineRoute({ method: 'GET', path: '/:id', schema: { params: { $ref: 'Params#' }, querystring: { $ref: 'Query#' }, headers: { $ref: 'Headers#' } }, handler: (ctx) => ({ id: ctx.params }) }),
    defineRoute({ method: 'GET', path: '/', schema: { querystring: { $ref: 'Paging#', properties: { sort: { type: 'string' } }, required: ['sort'] } }, handler: () => [] }),
  ],
});

function server() {
  const s = createHttpServer({ logger: false, readinessPath: false, controllers: [controller] });
  for (const schema of [id, params, query, headers, paging]) s.app.addSchema(schema);
  return s;
}

describe('OpenAPI parameters from a part that is a $ref to a shared schema', () => {
  it('expands params, querystring and headers refs like inline object schemas; the document is valid OpenAPI 3.1', async () => {
    const s = server();
    try {
      // Fastify resolves these refs: the route validates against them.
      const ok = await s.app.inject({ url: '/users/7?q=a', headers: { 'x-tenant': 't' } });
      const bad = await s.app.inject({ url: '/users/x?limit=99', headers: {} });
      expect([ok.statusCode, bad.statusCode, bad.json().code]).toEqual([200, 400, 'HTTP_ERR_VALIDATION']);

      const doc = (await s.app.inject('/openapi.json')).json<Doc>();
      expect(validate(doc) ? [] : validate.errors).toEqual([]);
      expect(invalidSchemas(doc)).toEqual([]);
      expect(operationOf(doc, '/users/{id}', 'get')?.parameters).toEqual([
        { name: 'id', in: 'path', required: true, schema: { $ref: '#/components/schemas/Id' } },
        { name: 'limit', in: 'query', required: false, schema: { type: 'integer', maximum: 50 } },
        { name: 'q', in: 'query', required: true, schema: { type: 'string' } },
        { name: 'x-tenant', in: 'header', required: true, schema: { type: 'string' } },
      ]);
      expect(operationOf(doc, '/users', 'get')?.parameters).toEqual([
        { name: 'sort', in: 'query', required: true, schema: { type: 'string' } },
        { name: 'limit', in: 'query', required: false, schema: { type: 'integer', maximum: 50 } },
        { name: 'q', in: 'query', required: true, schema: { type: 'string' } },
      ]);
    } finally {
      await s.close();
    }
  });

  it('a ref that does not resolve documents no parameter of that part; path parameters stay listed as strings', () => {
    // Fastify's own validator refuses such a route at startup; a custom validatorCompiler may
    // resolve refs of its own, and the document must not fail the server then.
    const route = defineRoute({ method: 'GET', path: '/a/:id', schema: { params: { $ref: 'Nowhere#' }, querystring: { $ref: 'Nowhere#' } }, handler: () => null });
    const routes = compileRoutes(resolveOptions({ controllers: [defineController({ routes: [route] })] }));
    const doc = buildOpenApi(routes, undefined, { title: 't', version: '1' }, { Params: params });
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(operationOf(doc, '/a/{id}', 'get')?.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
  });

  it('follows refs through components, stops at a cycle, and never walks into the prototype', () => {
    const doc = { components: { schemas: { A: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/A', properties: { b: { type: 'string' } } }, 'a/b~c': { properties: { s: {} } } } } };
    expect(operationParameters('/', { querystring: { $ref: '#/components/schemas/A' } }, doc)).toEqual([{ name: 'b', in: 'query', required: false, schema: { type: 'string' } }]);
    expect(operationParameters('/', { headers: { $ref: '#/components/schemas/a~1b~0c' } }, doc)).toEqual([{ name: 's', in: 'header', required: false, schema: {} }]);
    expect(resolveLocalRef(doc, '#/components/schemas/a%7E1b~0c')).toEqual({ properties: { s: {} } });
    expect([resolveLocalRef(doc, '#/components/__proto__'), resolveLocalRef(doc, '#/components/schemas/%E0'), resolveLocalRef(doc, 'A#'), resolveLocalRef({ a: [1] }, '#/a')]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
