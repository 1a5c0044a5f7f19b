import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineController, defineRoute } from './define.ts';
import { HttpException, NotFoundException, ValidationException } from './exceptions.ts';
import { createHttpServer } from './http-server.ts';
import { renderProblem } from './problem-details.ts';

class CustomError extends Error {}

const thrown = fc.oneof(
  fc.string().map((m) => new Error(m)),
  fc.string().map((m) => new TypeError(m)),
  fc.string().map((m) => new CustomError(m)),
  fc.integer({ min: 400, max: 599 }).map((s) => new HttpException(s, 'x')),
  fc.constant(new NotFoundException()),
  fc.constant(new ValidationException([])),
  fc.record({ statusCode: fc.integer(), message: fc.string() }),
  fc.record({ status: fc.integer(), code: fc.string() }),
  fc.object(),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(Symbol('s')),
  fc.bigInt(),
);

function wellFormed(body: Record<string, unknown>, requestId: string): void {
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(body.instance).toBe('/p');
  expect(typeof body.code).toBe('string');
  expect(body.requestId).toBe(requestId);
  expect(Number.isInteger(body.status)).toBe(true);
  expect(body.status).toBeGreaterThanOrEqual(400);
  expect(body.status).toBeLessThanOrEqual(599);
}

describe('problem details', () => {
  it('any thrown value renders as a well-formed problem with status in 400..599', () => {
    fc.assert(
      fc.property(thrown, fc.boolean(), (value, production) => {
        const { body } = renderProblem(value, { requestId: 'r', instance: '/p', production, typeBase: 'urn:t:' });
        wellFormed(body, 'r');
        expect(JSON.parse(JSON.stringify(body))).toEqual(body);
      }),
    );
  });

  it('any value thrown by a handler reaches the client as problem+json with status in 400..599', async () => {
    let next: unknown;
    const route = defineRoute({
      method: 'GET',
      path: '/p',
      handler: () => {
        throw next;
      },
    });
    const s = createHttpServer({ logger: false, production: true, controllers: [defineController({ routes: [route] })] });
    await fc.assert(
      fc.asyncProperty(thrown, async (value) => {
        next = value;
        const res = await s.app.inject({ url: '/p', headers: { 'x-request-id': 'prop' } });
        expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(res.statusCode).toBe(res.json().status);
        wellFormed(res.json(), 'prop');
      }),
      { numRuns: 150 },
    );
    await s.close();
  });
});
