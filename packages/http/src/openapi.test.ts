import { describe, expect, it } from 'vitest';
import { compileRoutes } from './compile-routes.ts';
import { defineController, defineRoute } from './define.ts';
import { createHttpServer } from './http-server.ts';
import { buildOpenApi, versionsOf } from './openapi.ts';
import { openApiPath, pathParameterNames } from './openapi-parameters.ts';
import { resolveOptions } from './options.ts';
import { invalidSchemas, validateOpenApi as validate } from './test-support/openapi-validation.ts';
import { VERSION_NEUTRAL } from './types.ts';

const info = { title: 'T', version: '1.0.0' };
const handler = () => 'x';
const problem = { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

describe('OpenAPI building blocks', () => {
  it('turns route parameters into path templates', () => {
    expect(openApiPath('/a/:id/b/:slug_2')).toBe('/a/{id}/b/{slug_2}');
    expect(openApiPath('/plain')).toBe('/plain');
    // A Fastify regex constraint is not part of the template; `::` is a literal colon.
    expect(openApiPath('/a/:id(^\\d+$)/b::c/:d')).toBe('/a/{id}/b:c/{d}');
    expect(pathParameterNames('/a/:id(^\\d+$)/b::c/:d')).toEqual(['id', 'd']);
    expect(pathParameterNames('/plain::x')).toEqual([]);
  });

  it('documents every path template variable: from the params schema when given, else as a string', () => {
    const id = { type: 'integer', minimum: 1 } as const;
    const route = defineRoute({
      method: 'GET',
      path: '/o/:org/u/:id',
      // `extra` is not in the path: a params schema member without a template variable is not a path parameter.
      schema: { params: { type: 'object', properties: { id, extra: { type: 'string' } } }, querystring: { type: 'object', required: ['q'], properties: { q: { type: 'string' }, n: { type: 'integer' } } }, headers: { type: 'object', properties: { 'x-t': { type: 'string' } } } },
      handler,
    });
    const doc = buildOpenApi(compileRoutes(resolveOptions({ controllers: [defineController({ routes: [route] })] })), undefined, info);
    expect((doc.paths as Record<string, { get: { parameters: unknown } }>)['/o/{org}/u/{id}']?.get.parameters).toEqual([
      { name: 'org', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'id', in: 'path', required: true, schema: id },
      { name: 'q', in: 'query', required: true, schema: { type: 'string' } },
      { name: 'n', in: 'query', required: false, schema: { type: 'integer' } },
      { name: 'x-t', in: 'header', required: false, schema: { type: 'string' } },
    ]);
  });

  it('spells response status ranges in upper case and keeps exact statuses', () => {
    const ok = { type: 'object' } as const;
    const route = defineRoute({ method: 'GET', path: '/r', schema: { response: { 200: ok, '4xx': ok, '5XX': ok } }, handler });
    const doc = buildOpenApi(compileRoutes(resolveOptions({ controllers: [defineController({ routes: [route] })] })), undefined, info);
    const responses = (doc.paths as Record<string, { get: { responses: Record<string, { description: string }> } }>)['/r']?.get.responses ?? {};
    expect(Object.keys(responses)).toEqual(['200', '4XX', '5XX', 'default']);
    expect([responses['200']?.description, responses['4XX']?.description, responses['5XX']?.description]).toEqual(['OK', '4XX', '5XX']);
  });

  it('sorts versions numerically and keeps declared versions without routes', () => {
    const routes = compileRoutes(
      resolveOptions({
        versioning: { type: 'header' },
        controllers: [defineController({ routes: [defineRoute({ method: 'GET', version: ['10', '2'], handler }), defineRoute({ method: 'GET', path: '/n', version: VERSION_NEUTRAL, handler })] })],
      }),
    );
    expect(versionsOf(routes, ['1', '2'])).toEqual(['1', '2', '10']);
    expect(versionsOf([], [])).toEqual([]);
  });

  it('documents a bare operation: status response, Problem default, no tags, body or deprecation', () => {
    const routes = compileRoutes(resolveOptions({ controllers: [defineController({ routes: [defineRoute({ method: 'DELETE', path: '/x/:id', status: 204, handler })] })] }));
    expect(buildOpenApi(routes, undefined, info)).toEqual({
      openapi: '3.1.0',
      info,
      // A template variable is documented even without a params schema (OpenAPI 3.1 requires it).
      paths: { '/x/{id}': { delete: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 204: { description: 'No Content' }, default: problem } } } },
      components: { schemas: { Problem: expect.objectContaining({ type: 'object' }) } },
    });
  });

  it('a version document holds that version and version-neutral routes only', () => {
    const routes = compileRoutes(
      resolveOptions({
        versioning: { type: 'uri' },
        controllers: [
          defineController({
            path: '/c',
            routes: [
              defineRoute({ method: 'GET', version: '1', handler }),
              defineRoute({ method: 'POST', version: '2', deprecated: { since: new Date(0) }, handler }),
              defineRoute({ method: 'GET', path: '/n', version: VERSION_NEUTRAL, handler }),
            ],
          }),
        ],
      }),
    );
    const v2 = buildOpenApi(routes, '2', { ...info, description: 'd' });
    expect(v2.info).toEqual({ title: 'T', version: '1.0.0 (v2)', description: 'd' });
    expect(v2.paths).toEqual({
      '/v2/c': { post: { parameters: [], responses: { 201: { description: 'Created' }, default: problem }, deprecated: true } },
      '/c/n': { get: { parameters: [], responses: { 200: { description: 'OK' }, default: problem } } },
    });
  });
});

type Operation = { parameters: { name: string; in: string }[] };

/** Template variables of every path equal the operation's `in: path` parameters (not expressible in the JSON Schema). */
function pathParametersMismatches(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
    const template = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      const declared = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      if (JSON.stringify(declared) !== JSON.stringify(template)) out.push(`${method} ${path}: ${declared.join(',')} vs ${template.join(',')}`);
    }
  }
  return out;
}

describe('OpenAPI documents against the official OpenAPI 3.1 JSON Schema', () => {

  const user = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string', minLength: 1 } } } as const;
  const routes = [
    defineRoute({ method: 'GET', path: '/:id', version: ['1', '2'], summary: 'One user', operationId: 'getUser', tags: ['users'], schema: { params: { type: 'object', properties: { id: { type: 'integer' } } }, response: { 200: user, '4xx': { type: 'object' } } }, handler }),
    defineRoute({ method: 'GET', path: '/', version: '2', description: 'List', schema: { querystring: { type: 'object', required: ['limit'], properties: { limit: { type: 'integer', maximum: 100 }, cursor: { type: 'string' } } }, response: { '2xx': { type: 'array', items: user } } }, handler }),
    defineRoute({ method: 'POST', path: '/', version: '1', deprecated: { since: new Date(0), sunset: new Date(4102444800000), link: 'https://example.com/v2' }, schema: { body: user, headers: { type: 'object', properties: { 'x-tenant': { type: 'string' } } }, response: { 201: user } }, handler }),
    defineRoute({ method: 'DELETE', path: '/:id/notes/:note', version: '2', status: 204, handler }),
    defineRoute({ method: 'PUT', path: '/:id(^\\d+$)', version: '2', schema: { body: user }, handler }),
    defineRoute({ method: 'GET', path: '/health', version: VERSION_NEUTRAL, handler }),
  ];
  const options = { logger: false, readinessPath: false, openapi: { info: { title: 'Users', version: '3.0.0', description: 'd' } } } as const;

  it.each([
    ['uri', '/openapi/v1.json'],
    ['uri', '/openapi/v2.json'],
    ['header', '/openapi/v1.json'],
    ['header', '/openapi/v2.json'],
  ] as const)('%s versioning: %s is a valid OpenAPI 3.1 document', async (type, url) => {
    const server = createHttpServer({ ...options, versioning: { type }, controllers: [defineController({ path: '/users', routes })] });
    const doc = (await server.app.inject(url)).json<Record<string, unknown>>();
    await server.close();
    // Guard against a vacuous pass: the document must hold the routes of its version.
    expect(Object.keys(doc.paths as object).length).toBeGreaterThanOrEqual(3);
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(pathParametersMismatches(doc)).toEqual([]);
    expect(invalidSchemas(doc)).toEqual([]);
  });

  it('an unversioned document is valid too', async () => {
    const plain = routes.map((r) => ({ ...r, version: undefined, deprecated: undefined }));
    const server = createHttpServer({ ...options, controllers: [defineController({ path: '/users', routes: plain.filter((r) => r.method !== 'POST') })] });
    const doc = (await server.app.inject('/openapi.json')).json<Record<string, unknown>>();
    await server.close();
    expect(Object.keys(doc.paths as object)).toEqual(['/users/{id}', '/users', '/users/{id}/notes/{note}', '/users/health']);
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(pathParametersMismatches(doc)).toEqual([]);
    expect(invalidSchemas(doc)).toEqual([]);
  });

  it('the validator rejects what the generator used to emit (lower-case ranges, undeclared path parameters)', () => {
    const ok = { openapi: '3.1.0', info, paths: { '/x': { get: { responses: { '2XX': { description: 'ok' } } } } } };
    const range = { ...ok, paths: { '/x': { get: { responses: { '2xx': { description: 'ok' } } } } } };
    const undeclared = { ...ok, paths: { '/x/{id}': { get: { parameters: [], responses: { 200: { description: 'ok' } } } } } };
    const badSchema = { ...ok, paths: { '/x': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'strin' } } } } } } } }, components: { schemas: {} } };
    expect([validate(ok), validate(range), pathParametersMismatches(undeclared), invalidSchemas(badSchema)]).toEqual([true, false, ['get /x/{id}:  vs id'], [{ type: 'strin' }]]);
  });
});
