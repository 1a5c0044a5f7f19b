import { describe, expect, it } from 'vitest';
import { compileRoutes } from './compile-routes.ts';
import { defineController, defineRoute } from './define.ts';
import { buildOpenApi, openApiPath, versionsOf } from './openapi.ts';
import { resolveOptions } from './options.ts';
import { VERSION_NEUTRAL } from './types.ts';

const info = { title: 'T', version: '1.0.0' };
const handler = () => 'x';
const problem = { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

describe('OpenAPI building blocks', () => {
  it('turns route parameters into path templates', () => {
    expect(openApiPath('/a/:id/b/:slug_2')).toBe('/a/{id}/b/{slug_2}');
    expect(openApiPath('/plain')).toBe('/plain');
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
      paths: { '/x/{id}': { delete: { parameters: [], responses: { 204: { description: 'No Content' }, default: problem } } } },
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
