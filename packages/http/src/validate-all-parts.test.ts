import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { defineController, defineFilter, defineRoute } from './define.ts';
import { ValidationException } from './exceptions.ts';
import { createHttpServer } from './http-server.ts';
import type { FilterDefinition } from './define.ts';
import { validateAllParts } from './validate-all-parts.ts';

const schema = {
  params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
  querystring: { type: 'object', properties: { q: { type: 'string', enum: ['aa', 'bb'] } } },
  headers: { type: 'object', properties: { 'x-n': { type: 'integer' } } },
  body: { type: 'object', properties: { b: { type: 'boolean' } }, required: ['b'] },
} as const;

const routes = defineController({
  routes: [
    defineRoute({ method: 'POST', path: '/x/:id', schema, handler: () => ({ ok: true }) }),
    // No querystring or headers schema: those parts are never listed.
    defineRoute({ method: 'POST', path: '/y/:id', schema: { params: schema.params, body: schema.body }, handler: () => ({ ok: true }) }),
  ],
});

function setup(filters: FilterDefinition[] = []) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const server = createHttpServer({ logger: pino({ level: 'debug' }, stream), controllers: [routes], filters, openapi: false, readinessPath: false });
  const lines = () =>
    chunks
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string; part?: string; err?: { message: string } });
  return { server, lines };
}

function problem(instance: string, requestId: string, errors: readonly object[]) {
  return {
    type: 'urn:rampart:problem:HTTP_ERR_VALIDATION',
    title: 'Validation Failed',
    status: 400,
    detail: `${errors.length} invalid field${errors.length === 1 ? '' : 's'}`,
    instance,
    code: 'HTTP_ERR_VALIDATION',
    requestId,
    errors,
  };
}

const ID = { in: 'params', pointer: '/id', keyword: 'type', message: 'must be integer' };
const Q = { in: 'querystring', pointer: '/q', keyword: 'enum', message: 'must be equal to one of the allowed values' };
const N = { in: 'headers', pointer: '/x-n', keyword: 'type', message: 'must be integer' };
const B = { in: 'body', pointer: '/b', keyword: 'type', message: 'must be boolean' };

describe('a validation error lists the invalid fields of every part', () => {
  it('params, querystring and body fail together: one 400 lists them all, params first, body last', async () => {
    const { server } = setup();
    const res = await server.app.inject({ method: 'POST', url: '/x/abc?q=zz', payload: { b: 'no' }, headers: { 'x-request-id': 'm1' } });
    expect([res.statusCode, res.headers['content-type']]).toEqual([400, 'application/problem+json; charset=utf-8']);
    expect(res.json()).toEqual(problem('/x/abc', 'm1', [ID, Q, B]));
    await server.close();
  });

  it('all four parts fail: listed as params, querystring, headers, body', async () => {
    const { server } = setup();
    const res = await server.app.inject({ method: 'POST', url: '/x/abc?q=zz', payload: { b: 'no' }, headers: { 'x-request-id': 'm2', 'x-n': 'many' } });
    expect(res.json()).toEqual(problem('/x/abc', 'm2', [ID, Q, N, B]));
    await server.close();
  });

  it('a failure Fastify finds later (body) still gets the querystring and headers it never reached', async () => {
    const { server } = setup();
    const res = await server.app.inject({ method: 'POST', url: '/x/7?q=zz', payload: {}, headers: { 'x-request-id': 'm3', 'x-n': 'many' } });
    expect(res.json()).toEqual(problem('/x/7', 'm3', [Q, N, { in: 'body', pointer: '/b', keyword: 'required', message: "must have required property 'b'" }]));
    await server.close();
  });

  it('a querystring failure gets the headers; params and body, which passed, are not listed', async () => {
    const { server } = setup();
    const res = await server.app.inject({ method: 'POST', url: '/x/7?q=zz', payload: { b: true }, headers: { 'x-request-id': 'm4', 'x-n': 'many' } });
    expect(res.json()).toEqual(problem('/x/7', 'm4', [Q, N]));
    await server.close();
  });

  it('a failure in one part only is rendered as before', async () => {
    const { server } = setup();
    const res = await server.app.inject({ method: 'POST', url: '/x/7?q=aa', payload: { b: 'no' }, headers: { 'x-request-id': 'm5', 'x-n': '3' } });
    expect(res.json()).toEqual(problem('/x/7', 'm5', [B]));
    await server.close();
  });

  it('a part without a schema is skipped', async () => {
    const { server } = setup();
    const res = await server.app.inject({ method: 'POST', url: '/y/abc?q=zz', payload: { b: 'no' }, headers: { 'x-request-id': 'm6', 'x-n': 'many' } });
    expect(res.json()).toEqual(problem('/y/abc', 'm6', [ID, B]));
    await server.close();
  });

  it('a body without a schema for its media type is skipped; one with a schema is listed', async () => {
    const { server } = setup();
    server.app.post('/c/:id', { schema: { params: schema.params, body: { content: { 'application/json': { schema: schema.body } } } } }, () => 'ok');
    server.app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, text, done) => done(null, text));
    const json = await server.app.inject({ method: 'POST', url: '/c/abc', payload: { b: 'no' }, headers: { 'x-request-id': 'm7' } });
    expect(json.json()).toEqual(problem('/c/abc', 'm7', [ID, B]));
    const text = await server.app.inject({ method: 'POST', url: '/c/abc', payload: 'hi', headers: { 'x-request-id': 'm8', 'content-type': 'text/plain' } });
    expect(text.json()).toEqual(problem('/c/abc', 'm8', [ID]));
    const none = await server.app.inject({ method: 'POST', url: '/c/abc', headers: { 'x-request-id': 'm9' } });
    expect(none.json()).toEqual(problem('/c/abc', 'm9', [ID]));
    await server.close();
  });

  it('filters see one ValidationException with every field, caused by the Fastify error', async () => {
    const seen: unknown[] = [];
    const { server } = setup([defineFilter([ValidationException], (error) => void seen.push(error))]);
    await server.app.inject({ method: 'POST', url: '/x/abc?q=zz', payload: { b: 'no' } });
    const [error] = seen as ValidationException[];
    expect(error).toBeInstanceOf(ValidationException);
    expect([error?.errors, (error?.cause as { code: string }).code]).toEqual([[ID, Q, B], 'FST_ERR_VALIDATION']);
    await server.close();
  });

  it('a body Fastify could not parse is not a validation error and stays as it was', async () => {
    const { server } = setup();
    const res = await server.app.inject({ method: 'POST', url: '/x/abc?q=zz', payload: '{"b":', headers: { 'content-type': 'application/json', 'x-request-id': 'm10' } });
    expect([res.statusCode, res.json().code]).toEqual([400, 'HTTP_ERR_MALFORMED_JSON']);
    await server.close();
  });
});

describe('validators from custom compilers', () => {
  // params fails the ajv way; the other parts answer the way the test names.
  function withCompiler(behaviour: (part: string) => unknown) {
    const { server, lines } = setup();
    server.app.post(
      '/v/:id',
      {
        schema: { params: {}, querystring: {}, headers: {}, body: {} },
        validatorCompiler: ({ httpPart }) => {
          const validate = Object.assign((): unknown => (httpPart === 'params' ? false : behaviour(String(httpPart))), {
            errors: [{ instancePath: `/${String(httpPart)}`, keyword: 'custom', message: 'is wrong' }],
          });
          return validate as never;
        },
      },
      () => 'ok',
    );
    const call = async () => (await server.app.inject({ method: 'POST', url: '/v/1', payload: {}, headers: { 'x-request-id': 'c' } })).json<{ status: number; errors: unknown }>();
    return { server, lines, call };
  }
  const field = (part: string) => ({ in: part, pointer: `/${part}`, keyword: 'custom', message: 'is wrong' });

  it('a validator returning false lists its errors', async () => {
    const { server, call } = withCompiler(() => false);
    expect((await call()).errors).toEqual([field('params'), field('querystring'), field('headers'), field('body')]);
    await server.close();
  });

  it('an async validator resolving false, or rejecting with ajv errors, is listed', async () => {
    const { server, call } = withCompiler((part) =>
      part === 'body' ? Promise.resolve(false) : Promise.reject(Object.assign(new Error('invalid'), { errors: [{ instancePath: '/r', keyword: 'async', message: 'is late' }] })),
    );
    const late = (part: string) => ({ in: part, pointer: '/r', keyword: 'async', message: 'is late' });
    expect((await call()).errors).toEqual([field('params'), late('querystring'), late('headers'), field('body')]);
    await server.close();
  });

  it('a result without a field list ({ error }, { value }, true) is not listed', async () => {
    const answers: Record<string, unknown> = { body: { error: new Error('no') }, querystring: { value: {} }, headers: true };
    const { server, call } = withCompiler((part) => answers[part]);
    expect((await call()).errors).toEqual([field('params')]);
    await server.close();
  });

  it('a throwing validator is logged at error level; the 400 keeps the fields it has', async () => {
    const { server, lines, call } = withCompiler((part) => {
      if (part === 'body') throw new Error('validator bug');
      return part === 'headers' ? Promise.reject(new Error('async bug')) : false;
    });
    const body = await call();
    expect([body.status, body.errors]).toEqual([400, [field('params'), field('querystring')]]);
    const broken = lines().filter((l) => l.msg === 'validator threw while listing invalid fields');
    expect(broken.map((l) => [l.level, l.part, l.err?.message])).toEqual([
      [50, 'body', 'validator bug'],
      [50, 'headers', 'async bug'],
    ]);
    await server.close();
  });
});

describe('validateAllParts', () => {
  it('returns anything that is not a Fastify validation error unchanged', async () => {
    const request = {} as never;
    const plain = new Error('x');
    const unknownPart = Object.assign(new Error('v'), { validation: [], validationContext: 'cookies' });
    const notAnError = { validation: [], validationContext: 'params' };
    expect([await validateAllParts(plain, request), await validateAllParts(unknownPart, request), await validateAllParts(notAnError, request)]).toEqual([plain, unknownPart, notAnError]);
  });
});
