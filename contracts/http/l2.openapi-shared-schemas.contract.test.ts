/**
 * L2 contract of @rampart/http: the served OpenAPI document carries schemas
 * added with `server.app.addSchema()` as `components.schemas` and points
 * route `$ref`s (`'Pet#'`) at them; the built-in `Problem` component stays;
 * a route's own `schema.response.default` is kept. Locked: never modified,
 * only added to.
 */
import { describe, expect, it } from 'vitest';
import { createHttpServer, defineController, defineRoute } from '@rampart/http';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components: { schemas: Record<string, unknown> } };

describe('@rampart/http L2: OpenAPI and shared schemas', () => {
  it('addSchema() schemas become components, route refs point there, Problem stays built-in, an own default is kept', async () => {
    const fallback = { type: 'object', properties: { message: { type: 'string' } } };
    const server = createHttpServer({
      logger: false,
      controllers: [
        defineController({
          routes: [
            defineRoute({ method: 'GET', path: '/pets', schema: { response: { 200: { type: 'array', items: { $ref: 'Pet#' } } } }, handler: () => [{ name: 'rex' }] }),
            defineRoute({ method: 'GET', path: '/own', schema: { response: { 200: { type: 'object' }, default: fallback } }, handler: () => ({}) }),
          ],
        }),
      ],
    });
    server.app.addSchema({ $id: 'Pet', type: 'object', properties: { name: { type: 'string' } } });
    server.app.addSchema({ $id: 'Problem', type: 'string' });
    await server.app.ready();
    const doc = (await server.app.inject('/openapi.json')).json<Doc>();
    const pets = doc.paths['/pets']?.get?.responses['200']?.content?.['application/json']?.schema;
    expect(pets).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Pet' } });
    expect(doc.components.schemas['Pet']).toEqual({ type: 'object', properties: { name: { type: 'string' } } });
    expect(doc.components.schemas['Problem']).not.toEqual({ type: 'string' });
    expect(Object.values(doc.components.schemas)).toContainEqual({ type: 'string' });
    expect(doc.paths['/own']?.get?.responses['default']?.content).toEqual({ 'application/json': { schema: fallback } });
    expect(JSON.stringify(doc)).not.toContain('"Pet#"');
    await server.close();
  });
});
