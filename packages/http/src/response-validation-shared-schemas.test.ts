import { describe, expect, it } from 'vitest';
import { defineController, defineRoute } from './define.ts';
import { createHttpServer } from './http-server.ts';

/**
 * Regression (audit 2026-12-07): with `validateResponses: true`, a response schema that
 * `$ref`s a schema added with Fastify's `server.app.addSchema()` made listen() reject with
 * ajv's "can't resolve reference User#", although Fastify itself serializes it fine.
 */
describe('response validation and shared schemas', () => {
  const user = { $id: 'User', type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
  const routes = defineController({
    path: '/users',
    routes: [
      defineRoute({ method: 'GET', path: '/ok', schema: { response: { 200: { $ref: 'User#' } } }, handler: () => ({ name: 'ada' }) }),
      defineRoute({ method: 'GET', path: '/broken', schema: { response: { 200: { $ref: 'User#' } } }, handler: () => ({ nom: 'ada' }) }),
    ],
  });

  it('resolves $ref to schemas added on server.app, and still checks against them', async () => {
    const server = createHttpServer({ logger: false, validateResponses: true, controllers: [routes] });
    server.app.addSchema(user);
    try {
      await server.app.ready();
      const ok = await server.app.inject('/users/ok');
      expect([ok.statusCode, ok.json()]).toEqual([200, { name: 'ada' }]);
      const broken = await server.app.inject('/users/broken');
      expect([broken.statusCode, broken.json().code]).toEqual([500, 'HTTP_ERR_RESPONSE_VALIDATION']);
    } finally {
      await server.close();
    }
  });
});
