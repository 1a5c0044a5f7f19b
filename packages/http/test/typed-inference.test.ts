/**
 * Type-level tests of the typed inference from route schemas. The type
 * assertions are checked by the typecheck gate (`tsc -p tsconfig.json`, which
 * includes every packages/<name>/test): an `expectTypeOf` mismatch or an unused
 * `@ts-expect-error` is a compile error there. The runtime test at the end
 * shows the inferred types describe what the handler really receives.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createHttpServer, defineController, defineRoute } from '@rampart/http';
import type { FromSchema, RouteContext } from '@rampart/http';

const person = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' }, nickname: { type: 'string' } },
  required: ['name', 'age'],
  additionalProperties: false,
} as const;

describe('FromSchema', () => {
  it('maps the keywords APIs use daily', () => {
    expectTypeOf<FromSchema<typeof person>>().toEqualTypeOf<{ name: string; age: number; nickname?: string }>();
    expectTypeOf<FromSchema<{ type: 'integer' }>>().toEqualTypeOf<number>();
    expectTypeOf<FromSchema<{ type: 'number' }>>().toEqualTypeOf<number>();
    expectTypeOf<FromSchema<{ type: 'boolean' }>>().toEqualTypeOf<boolean>();
    expectTypeOf<FromSchema<{ type: readonly ['string', 'null'] }>>().toEqualTypeOf<string | null>();
    expectTypeOf<FromSchema<{ enum: readonly ['asc', 'desc'] }>>().toEqualTypeOf<'asc' | 'desc'>();
    expectTypeOf<FromSchema<{ const: 42 }>>().toEqualTypeOf<42>();
    expectTypeOf<FromSchema<{ anyOf: readonly [{ type: 'string' }, { type: 'integer' }] }>>().toEqualTypeOf<string | number>();
    expectTypeOf<FromSchema<{ oneOf: readonly [{ type: 'boolean' }, { type: 'null' }] }>>().toEqualTypeOf<boolean | null>();
    expectTypeOf<FromSchema<{ type: 'array'; items: { type: 'string' } }>>().toEqualTypeOf<string[]>();
    expectTypeOf<FromSchema<{ type: 'array' }>>().toEqualTypeOf<unknown[]>();
    // An object without declared properties stays an open record.
    expectTypeOf<FromSchema<{ type: 'object' }>>().toEqualTypeOf<Record<string, unknown>>();
    // Nested objects and arrays of objects.
    expectTypeOf<FromSchema<{ type: 'object'; properties: { tags: { type: 'array'; items: typeof person } }; required: ['tags'] }>>().toEqualTypeOf<{
      tags: { name: string; age: number; nickname?: string }[];
    }>();
    // Keywords the mapper does not know widen to unknown instead of lying.
    expectTypeOf<FromSchema<{ not: { type: 'string' } }>>().toEqualTypeOf<unknown>();
    expectTypeOf<FromSchema<unknown>>().toEqualTypeOf<unknown>();
  });
});

const order = {
  params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, line: { type: 'integer' } }, required: ['id', 'line'] },
  querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1 }, sort: { enum: ['asc', 'desc'] } }, required: ['sort'] },
  headers: { type: 'object', properties: { 'x-tenant': { type: 'string' } }, required: ['x-tenant'] },
  body: person,
} as const;

/** Type assertions live inside handlers: `defineRoute` infers the schema literal without `as const`. */
const typed = defineController({
  path: '/typed',
  routes: [
    defineRoute({
      method: 'POST',
      path: '/people',
      schema: {
        body: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'] },
      },
      handler: (ctx) => {
        expectTypeOf(ctx.body).toEqualTypeOf<{ name: string; age: number }>();
        // @ts-expect-error a property the schema does not declare is not on the body
        void ctx.body.email;
        // @ts-expect-error age is a number, not a string
        const _age: string = ctx.body.age;
        return { name: ctx.body.name, next: ctx.body.age + 1 };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/orders/:id/lines/:line',
      schema: order,
      handler: (ctx) => {
        expectTypeOf(ctx.params).toEqualTypeOf<{ id: string; line: number }>();
        expectTypeOf(ctx.query).toEqualTypeOf<{ sort: 'asc' | 'desc'; page?: number }>();
        expectTypeOf(ctx.headers).toEqualTypeOf<{ 'x-tenant': string }>();
        expectTypeOf(ctx.body).toEqualTypeOf<{ name: string; age: number; nickname?: string }>();
        // @ts-expect-error sort is an enum, not any string
        const _sort: 'up' = ctx.query.sort;
        // @ts-expect-error no such param
        void ctx.params.other;
        return { id: ctx.params.id, line: ctx.params.line, sort: ctx.query.sort, page: ctx.query.page ?? null, tenant: ctx.headers['x-tenant'], who: ctx.body.name };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/untyped',
      handler: (ctx) => {
        // No schema: the body is unknown (must be narrowed), params are strings, query is an open record.
        expectTypeOf(ctx.body).toEqualTypeOf<unknown>();
        expectTypeOf(ctx.params).toEqualTypeOf<Record<string, string>>();
        expectTypeOf(ctx.query).toEqualTypeOf<Record<string, unknown>>();
        expectTypeOf(ctx.headers).toEqualTypeOf<Record<string, string | string[] | undefined>>();
        // @ts-expect-error unknown cannot be dereferenced without narrowing
        void ctx.body.name;
        return { received: typeof ctx.body };
      },
    }),
  ],
});

describe('RouteContext for the decorator form', () => {
  it('types ctx from the schema given as a type argument; parts without a schema keep their defaults', () => {
    type Ctx = RouteContext<{ body: typeof person }>;
    expectTypeOf<Ctx['body']>().toEqualTypeOf<{ name: string; age: number; nickname?: string }>();
    expectTypeOf<Ctx['params']>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<Ctx['query']>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<RouteContext['body']>().toEqualTypeOf<unknown>();
  });
});

describe('the inferred types describe what the handler receives', () => {
  it('typed routes answer with the values their types promise', async () => {
    const server = createHttpServer({ controllers: [typed], logger: false });
    try {
      const people = await server.app.inject({ method: 'POST', url: '/typed/people', payload: { name: 'ada', age: 36 } });
      expect([people.statusCode, people.json()]).toEqual([201, { name: 'ada', next: 37 }]);
      const put = await server.app.inject({
        method: 'PUT',
        url: '/typed/orders/8f14e45f-ceea-4e7a-9b3c-1d2e3f4a5b6c/lines/2?sort=asc&page=3',
        headers: { 'x-tenant': 'acme' },
        payload: { name: 'ada', age: 36 },
      });
      expect([put.statusCode, put.json()]).toEqual([
        200,
        { id: '8f14e45f-ceea-4e7a-9b3c-1d2e3f4a5b6c', line: 2, sort: 'asc', page: 3, tenant: 'acme', who: 'ada' },
      ]);
      const untyped = await server.app.inject({ method: 'POST', url: '/typed/untyped', payload: { name: 'x' } });
      expect([untyped.statusCode, untyped.json()]).toEqual([201, { received: 'object' }]);
    } finally {
      await server.close();
    }
  });
});
