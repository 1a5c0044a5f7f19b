import { describe, expect, it } from 'vitest';
import { compileRoutes } from './compile-routes.ts';
import { defineController, defineRoute } from './define.ts';
import { createHttpServer } from './http-server.ts';
import type { HttpServer } from './http-server.ts';
import { buildOpenApi } from './openapi.ts';
import { sharedComponents } from './openapi-shared-schemas.ts';
import { resolveOptions } from './options.ts';
import { invalidSchemas, validateOpenApi as validate } from './test-support/openapi-validation.ts';

/**
 * Regression (audit): schemas added with `server.app.addSchema()` and referenced as
 * `{ $ref: 'User#' }` (Fastify's documented form) were copied verbatim into the OpenAPI
 * document, where `User#` resolves to nothing, and were missing from `components.schemas`.
 */

type Doc = Record<string, unknown>;

/** Every `$ref` string of the document. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refs(item, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else refs(value, out);
    }
  }
  return out;
}

/** The `$ref`s that do not resolve inside the document (only `#/...` pointers can). */
function unresolved(doc: Doc): string[] {
  return refs(doc).filter((ref) => {
    if (!ref.startsWith('#/')) return true;
    let at: unknown = doc;
    for (const raw of ref.slice(2).split('/')) {
      const token = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
      if (typeof at !== 'object' || at === null || !Object.hasOwn(at, token)) return true;
      at = (at as Doc)[token];
    }
    return false;
  });
}

function expectValid(doc: Doc): void {
  expect(validate(doc) ? [] : validate.errors).toEqual([]);
  expect(invalidSchemas(doc)).toEqual([]);
  expect(unresolved(doc)).toEqual([]);
}

const address = { $id: 'Address', type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const user = { $id: 'User', type: 'object', properties: { name: { type: 'string', minLength: 1 }, address: { $ref: 'Address#' } }, required: ['name'] };
// Refs between shared schemas: whole schema, a JSON pointer into one, and its own members.
const order = {
  $id: 'Order',
  type: 'object',
  $defs: { line: { type: 'object', properties: { sku: { type: 'string' } } } },
  properties: { buyer: { $ref: 'User' }, city: { $ref: 'Address#/properties/city' }, lines: { type: 'array', items: { $ref: '#/$defs/line' } } },
};
// URL-like ids: not valid component names.
const tag = { $id: 'http://example.com/schemas/tag', type: 'object', properties: { label: { type: 'string' } } };
const pet = { $id: 'http://example.com/schemas/pet', type: 'object', properties: { name: { type: 'string' }, tag: { $ref: 'http://example.com/schemas/tag#' } } };
// Takes the name of the built-in component.
const problem = { $id: 'Problem', type: 'object', properties: { reason: { type: 'string' } } };

const routes = defineController({
  path: '/shop',
  routes: [
    defineRoute({ method: 'GET', path: '/users/:id', schema: { response: { 200: { $ref: 'User#' } } }, handler: () => ({ name: 'ada', address: { city: 'London' } }) }),
    defineRoute({ method: 'POST', path: '/users', schema: { body: { $ref: 'User#' }, response: { 201: { type: 'object', properties: { name: { $ref: 'User#/properties/name' } } } } }, handler: () => ({ name: 'ada' }) }),
    defineRoute({ method: 'GET', path: '/orders', schema: { querystring: { type: 'object', properties: { city: { $ref: 'Address#/properties/city' } } }, response: { 200: { type: 'array', items: { $ref: 'Order#' } } } }, handler: () => [] }),
    defineRoute({ method: 'GET', path: '/pets', schema: { response: { 200: { $ref: 'http://example.com/schemas/pet#' }, default: { $ref: 'http://example.com/schemas/tag' } } }, handler: () => ({ name: 'rex', tag: { label: 'dog' } }) }),
    defineRoute({ method: 'GET', path: '/oops', schema: { response: { 200: { $ref: 'Problem#' } } }, handler: () => ({ reason: 'none' }) }),
  ],
});

function server(): HttpServer {
  const s = createHttpServer({ logger: false, readinessPath: false, controllers: [routes] });
  for (const schema of [address, user, order, tag, pet, problem]) s.app.addSchema(schema);
  return s;
}

type Paths = Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> }; parameters: { schema: unknown }[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
const json = (doc: Doc, path: string, method: string, status: string): unknown => (doc.paths as Paths)[path]?.[method]?.responses[status]?.content?.['application/json']?.schema;

describe('OpenAPI and shared schemas (addSchema)', () => {
  it('puts every shared schema into components.schemas and points every $ref at it', async () => {
    const s = server();
    try {
      const doc = (await s.app.inject('/openapi.json')).json<Doc>();
      // Fastify itself resolves the same refs: the routes answer.
      expect((await s.app.inject('/shop/users/1')).json()).toEqual({ name: 'ada', address: { city: 'London' } });
      expect((await s.app.inject('/shop/pets')).json()).toEqual({ name: 'rex', tag: { label: 'dog' } });

      expectValid(doc);
      const schemas = (doc.components as { schemas: Doc }).schemas;
      expect(Object.keys(schemas)).toEqual(['Problem', 'Address', 'User', 'Order', 'def-0', 'def-1', 'def-2']);
      // `$id` is gone from the copies; refs between shared schemas are rewritten too.
      expect(schemas.User).toEqual({ type: 'object', properties: { name: { type: 'string', minLength: 1 }, address: { $ref: '#/components/schemas/Address' } }, required: ['name'] });
      expect(schemas.Order).toEqual({
        type: 'object',
        $defs: order.$defs,
        properties: { buyer: { $ref: '#/components/schemas/User' }, city: { $ref: '#/components/schemas/Address/properties/city' }, lines: { type: 'array', items: { $ref: '#/components/schemas/Order/$defs/line' } } },
      });
      expect(schemas['def-0']).toEqual({ type: 'object', properties: { label: { type: 'string' } } });
      expect(schemas['def-1']).toEqual({ type: 'object', properties: { name: { type: 'string' }, tag: { $ref: '#/components/schemas/def-0' } } });

      expect(json(doc, '/shop/users/{id}', 'get', '200')).toEqual({ $ref: '#/components/schemas/User' });
      expect((doc.paths as Paths)['/shop/users']?.post?.requestBody?.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/User' });
      expect(json(doc, '/shop/users', 'post', '201')).toEqual({ type: 'object', properties: { name: { $ref: '#/components/schemas/User/properties/name' } } });
      expect((doc.paths as Paths)['/shop/orders']?.get?.parameters).toEqual([{ name: 'city', in: 'query', required: false, schema: { $ref: '#/components/schemas/Address/properties/city' } }]);
      expect(json(doc, '/shop/pets', 'get', '200')).toEqual({ $ref: '#/components/schemas/def-1' });
      expect(json(doc, '/shop/pets', 'get', 'default')).toEqual({ $ref: '#/components/schemas/def-0' });
    } finally {
      await s.close();
    }
  });

  it('keeps the built-in Problem component; a shared schema with $id Problem gets another name', async () => {
    const s = server();
    try {
      const doc = (await s.app.inject('/openapi.json')).json<Doc>();
      const schemas = (doc.components as { schemas: Doc }).schemas;
      const builtIn = (buildOpenApi([], undefined, { title: 't', version: '1' }).components as { schemas: Doc }).schemas.Problem;
      expect(schemas.Problem).toEqual(builtIn);
      expect(schemas['def-2']).toEqual({ type: 'object', properties: { reason: { type: 'string' } } });
      expect(json(doc, '/shop/oops', 'get', '200')).toEqual({ $ref: '#/components/schemas/def-2' });
      // The default error responses still document the built-in Problem.
      expect((doc.paths as Paths)['/shop/oops']?.get?.responses.default?.content?.['application/problem+json']?.schema).toEqual({ $ref: '#/components/schemas/Problem' });
    } finally {
      await s.close();
    }
  });

  it('includes schemas added before listen() when the document is served by a listening server, per version', async () => {
    const s = createHttpServer({ logger: false, port: 0, host: '127.0.0.1', versioning: { type: 'uri' }, controllers: [defineController({ path: '/u', routes: [defineRoute({ method: 'GET', version: '1', schema: { response: { 200: { $ref: 'User#' } } }, handler: () => ({ name: 'a' }) })] })] });
    s.app.addSchema(address);
    s.app.addSchema(user);
    try {
      const { url } = await s.listen();
      const doc = (await (await fetch(`${url}/openapi/v1.json`)).json()) as Doc;
      expectValid(doc);
      expect(json(doc, '/v1/u', 'get', '200')).toEqual({ $ref: '#/components/schemas/User' });
      expect(Object.keys((doc.components as { schemas: Doc }).schemas)).toEqual(['Problem', 'Address', 'User']);
    } finally {
      await s.close();
    }
  });

  it('without shared schemas the document is what it was: route schemas verbatim, Problem the only component', async () => {
    const ok = { type: 'object', properties: { n: { type: 'integer' } } } as const;
    const controller = defineController({ routes: [defineRoute({ method: 'GET', path: '/x', schema: { response: { 200: ok } }, handler: () => ({ n: 1 }) })] });
    const s = createHttpServer({ logger: false, readinessPath: false, controllers: [controller] });
    try {
      const doc = (await s.app.inject('/openapi.json')).json<Doc>();
      expectValid(doc);
      // buildOpenApi without shared schemas is the generator as it was before they were supported.
      expect(doc).toEqual(buildOpenApi(compileRoutes(resolveOptions({ controllers: [controller] })), undefined, { title: 'API', version: '1.0.0' }));
      expect(Object.keys((doc.components as { schemas: Doc }).schemas)).toEqual(['Problem']);
      expect(json(doc, '/x', 'get', '200')).toEqual(ok);
    } finally {
      await s.close();
    }
  });
});

describe('sharedComponents', () => {
  const reserved = new Set(['Problem']);

  it('names: the $id when valid and free, else the first free def-<n>; refs it does not know stay as they are', () => {
    const c = sharedComponents({ 'a b': { $id: 'a b' }, 'def-0': { $id: 'def-0' }, Problem: { $id: 'Problem' }, __proto__x: { $id: 'ok.name_1-2' } }, reserved);
    expect(Object.keys(c.schemas)).toEqual(['def-1', 'def-0', 'def-2', 'ok.name_1-2']);
    expect(c.rewrite({ $ref: 'a b#' })).toEqual({ $ref: '#/components/schemas/def-1' });
    expect(c.rewrite({ allOf: [{ $ref: 'Unknown#' }, { $ref: '#/components/schemas/Problem' }, { $ref: 'ok.name_1-2' }] })).toEqual({
      allOf: [{ $ref: 'Unknown#' }, { $ref: '#/components/schemas/Problem' }, { $ref: '#/components/schemas/ok.name_1-2' }],
    });
  });

  it('resolves $anchor fragments, and leaves data keywords alone while walking every schema map', () => {
    const c = sharedComponents({ S: { $id: 'S', $defs: { named: { $anchor: 'here', type: 'string' } } } }, reserved);
    const schema = {
      properties: { default: { $ref: 'S#here' }, enum: { $ref: 'S#/$defs/named' } },
      default: { $ref: 'S#' },
      examples: [{ $ref: 'S#' }],
      const: { $ref: 'S#' },
    };
    expect(c.rewrite(schema)).toEqual({ ...schema, properties: { default: { $ref: '#/components/schemas/S/$defs/named' }, enum: { $ref: '#/components/schemas/S/$defs/named' } } });
    expect(c.rewrite({ allOf: [{ $ref: 'S#nowhere' }, { $ref: 'S#%E0' }] })).toEqual({ allOf: [{ $ref: 'S#nowhere' }, { $ref: 'S#%E0' }] });
  });

  it('without shared schemas, rewrite returns its argument unchanged', () => {
    const schema = { $ref: 'User#' };
    expect(sharedComponents({}, reserved).rewrite(schema)).toBe(schema);
    expect(sharedComponents({}, reserved).schemas).toEqual({});
  });

  it('resolves a relative ref inside a shared schema against its URL $id', () => {
    const c = sharedComponents({ a: { $id: 'http://x.test/s/a', properties: { b: { $ref: 'b#/properties/n' } } }, b: { $id: 'http://x.test/s/b', properties: { n: {} } } }, reserved);
    expect(c.schemas['def-0']).toEqual({ properties: { b: { $ref: '#/components/schemas/def-1/properties/n' } } });
    expect(c.rewrite({ $ref: 'b#' })).toEqual({ $ref: 'b#' });
  });
});
