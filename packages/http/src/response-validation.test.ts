import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createResponseValidator } from './response-validation.ts';
import type { JsonSchema } from './schema-types.ts';

const n = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } as const;
const s = { type: 'object', properties: { s: { type: 'string' } }, required: ['s'] } as const;
const request = {} as FastifyRequest;
const reply = (statusCode: number) => ({ statusCode }) as FastifyReply;

function hookFor(response: Record<string, JsonSchema>) {
  const hook = createResponseValidator().forRoute(response);
  if (hook === undefined) throw new Error('expected a hook');
  return (status: number, payload: unknown) => hook(request, reply(status), payload);
}

describe('response validation', () => {
  it('adds no hook to a route without response schemas', () => {
    expect(createResponseValidator().forRoute(undefined)).toBeUndefined();
  });

  it('picks the exact status, then the status class (any case), then default', async () => {
    const check = hookFor({ 201: n, '2XX': s, default: { type: 'array' } });
    await expect(check(201, { n: 1 })).resolves.toEqual({ n: 1 });
    await expect(check(201, { s: 'x' })).rejects.toThrow("Response does not match its schema: / must have required property 'n'");
    await expect(check(200, { s: 'x' })).resolves.toEqual({ s: 'x' });
    await expect(check(200, { n: 1 })).rejects.toThrow("Response does not match its schema: / must have required property 's'");
    await expect(check(302, [])).resolves.toEqual([]);
    await expect(check(399, {})).rejects.toThrow('Response does not match its schema: / must be array');
  });

  it('accepts schemas with annotations ajv does not know (Fastify accepts them too)', async () => {
    const check = hookFor({ 200: { type: 'object', 'x-internal': true, example: { n: 1 } } });
    await expect(check(200, { n: 1 })).resolves.toEqual({ n: 1 });
  });

  it('passes error responses (400 and up) and statuses without a schema through unchecked', async () => {
    const check = hookFor({ 200: n });
    await expect(check(400, { oops: true })).resolves.toEqual({ oops: true });
    await expect(check(204, 'anything')).resolves.toBe('anything');
  });

  it('lists every violation with its pointer and the HTTP_ERR_RESPONSE_VALIDATION code', async () => {
    const check = hookFor({ 200: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string' } } } });
    await expect(check(200, { a: 'x', b: 2 })).rejects.toMatchObject({
      code: 'HTTP_ERR_RESPONSE_VALIDATION',
      status: 500,
      message: 'Response does not match its schema: /a must be integer; /b must be string',
    });
  });
});
