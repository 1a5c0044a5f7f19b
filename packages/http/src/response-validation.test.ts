import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { defineController, defineRoute } from './define.ts';
import { createHttpServer } from './http-server.ts';
import { createResponseValidator } from './response-validation.ts';
import type { JsonSchema } from './schema-types.ts';

const n = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } as const;
const s = { type: 'object', properties: { s: { type: 'string' } }, required: ['s'] } as const;
const request = {} as FastifyRequest;
const reply = (statusCode: number) => ({ statusCode }) as FastifyReply;

function checksFor(response: Record<string, JsonSchema>) {
  const checks = createResponseValidator().forRoute(response);
  if (checks === undefined) throw new Error('expected checks');
  return checks;
}

function hookFor(response: Record<string, JsonSchema>) {
  const { preSerialization } = checksFor(response);
  return (status: number, payload: unknown) => preSerialization(request, reply(status), payload);
}

const typed = (statusCode: number, contentType?: string) => ({ statusCode, getHeader: () => contentType }) as unknown as FastifyReply;

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

describe('response validation of strings and Buffers (regression: Fastify skips preSerialization for them)', () => {
  const { raw } = checksFor({ 200: n, 201: { type: 'string', minLength: 2 } });

  it('checks text as the string it is, Buffers as their UTF-8 text', () => {
    expect(raw(typed(201), 'ok')).toBeUndefined();
    expect(raw(typed(201), Buffer.from('ok'))).toBeUndefined();
    expect(raw(typed(201, 'text/plain'), 'x')).toMatchObject({ code: 'HTTP_ERR_RESPONSE_VALIDATION', message: 'Response does not match its schema: / must NOT have fewer than 2 characters' });
    expect(raw(typed(200), 'internal: db=prod')).toMatchObject({ code: 'HTTP_ERR_RESPONSE_VALIDATION', message: 'Response does not match its schema: / must be object' });
    expect(raw(typed(200), Buffer.from('raw bytes'))?.code).toBe('HTTP_ERR_RESPONSE_VALIDATION');
  });

  it('parses a body declared JSON; one that does not parse is a violation', () => {
    expect(raw(typed(200, 'application/json; charset=utf-8'), '{"n":1}')).toBeUndefined();
    expect(raw(typed(200, 'application/problem+json'), Buffer.from('{"n":"x"}'))?.message).toBe('Response does not match its schema: /n must be integer');
    expect(raw(typed(200, 'application/json'), '{"n":')?.message).toBe('Response does not match its schema: body declared JSON is not JSON');
  });

  it('leaves objects (preSerialization checks them), streams, error statuses and statuses without a schema alone', () => {
    expect([raw(typed(200), { wrong: true }), raw(typed(200), null), raw(typed(200), undefined)]).toEqual([undefined, undefined, undefined]);
    expect(raw(typed(200), new Readable())).toBeUndefined();
    expect([raw(typed(500), 'oops'), raw(typed(202), 'anything')]).toEqual([undefined, undefined]);
  });

  it('end to end: a text or Buffer body breaking an object schema answers 500, a valid text body passes', async () => {
    const response = { 200: n } as const;
    const routes = [
      defineRoute({ method: 'GET', path: '/string', schema: { response }, handler: () => 'internal: db=prod password=hunter2' }),
      defineRoute({ method: 'GET', path: '/buffer', schema: { response }, handler: () => Buffer.from('raw bytes') }),
      defineRoute({ method: 'GET', path: '/sent', schema: { response }, handler: (ctx) => void ctx.reply.type('application/json').send('{"n":"no"}') }),
      defineRoute({ method: 'GET', path: '/json-text', schema: { response }, handler: (ctx) => ctx.reply.type('application/json').send('{"n":7}') }),
      defineRoute({ method: 'GET', path: '/text', schema: { response: { 200: { type: 'string' } } }, handler: () => 'fine' }),
    ];
    const server = createHttpServer({ logger: false, production: true, validateResponses: true, controllers: [defineController({ routes })] });
    for (const path of ['/string', '/buffer', '/sent']) {
      const res = await server.app.inject({ url: path, headers: { 'x-request-id': 'rv' } });
      expect([path, res.statusCode, res.headers['content-type']]).toEqual([path, 500, 'application/problem+json; charset=utf-8']);
      expect(res.json()).toEqual({
        type: 'urn:rampart:problem:HTTP_ERR_RESPONSE_VALIDATION',
        title: 'Response Validation Failed',
        status: 500,
        detail: 'An unexpected error occurred.',
        instance: path,
        code: 'HTTP_ERR_RESPONSE_VALIDATION',
        requestId: 'rv',
      });
    }
    expect((await server.app.inject('/json-text')).json()).toEqual({ n: 7 });
    const text = await server.app.inject('/text');
    expect([text.statusCode, text.body]).toEqual([200, 'fine']);
    await server.close();
  });
});
