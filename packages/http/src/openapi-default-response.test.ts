import { describe, expect, it } from 'vitest';
import { compileRoutes } from './compile-routes.ts';
import { defineController, defineRoute } from './define.ts';
import { buildOpenApi } from './openapi.ts';
import { resolveOptions } from './options.ts';

/**
 * Regression (audit 2026-12-07): a route declaring a `default` response schema (which
 * Fastify uses to serialize every status it does not list) had it replaced by the
 * Problem default in the OpenAPI document: the declared schema vanished.
 */
describe('OpenAPI default response', () => {
  it('keeps a declared default schema; routes without one still get the Problem default', () => {
    const fallback = { type: 'object', properties: { message: { type: 'string' } } } as const;
    const routes = [
      defineRoute({ method: 'GET', path: '/own', schema: { response: { 200: { type: 'object' }, default: fallback } }, handler: () => ({}) }),
      defineRoute({ method: 'GET', path: '/bare', handler: () => ({}) }),
    ];
    const doc = buildOpenApi(compileRoutes(resolveOptions({ controllers: [defineController({ routes })] })), undefined, { title: 't', version: '1' });
    const paths = doc.paths as Record<string, { get: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> } }>;
    expect(paths['/own']?.get.responses['default']?.content).toEqual({ 'application/json': { schema: fallback } });
    expect(paths['/bare']?.get.responses['default']?.content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
  });
});
