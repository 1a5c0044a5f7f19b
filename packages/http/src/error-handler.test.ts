import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { defineController, defineFilter, defineRoute } from './define.ts';
import type { FilterDefinition } from './define.ts';
import { ConflictException, GoneException, HttpException, InternalServerException, NotFoundException } from './exceptions.ts';
import { createHttpServer } from './http-server.ts';
import type { FilterContext } from './types.ts';

class Teapot extends Error {}

let next: unknown;
const routes = defineController({
  routes: [
    defineRoute({
      method: 'GET',
      path: '/throw',
      handler: () => {
        throw next;
      },
    }),
  ],
});

type Line = Record<string, unknown> & { level: number; msg: string };

function setup(filters: FilterDefinition[] = []) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const server = createHttpServer({ logger: pino({ level: 'debug' }, stream), production: true, controllers: [routes], filters, openapi: false, readinessPath: false });
  const lines = () =>
    chunks
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line)
      .filter((l) => l.msg !== 'incoming request' && l.msg !== 'request completed');
  const call = async (error: unknown) => {
    next = error;
    return server.app.inject({ url: '/throw', headers: { 'x-request-id': 'eh' } });
  };
  return { server, lines, call };
}

describe('error handler logging', () => {
  it('a client error is logged at debug with its code and status, nothing at error level', async () => {
    const { server, lines, call } = setup();
    expect((await call(new NotFoundException('gone fishing'))).statusCode).toBe(404);
    expect(lines().map(({ level, msg, code, status, requestId }) => ({ level, msg, code, status, requestId }))).toEqual([
      { level: 20, msg: 'request rejected', code: 'HTTP_ERR_NOT_FOUND', status: 404, requestId: 'eh' },
    ]);
    await server.close();
  });

  it('a server fault is logged at error with the full error and its code', async () => {
    const { server, lines, call } = setup();
    await call(new Error('disk full'));
    const [line] = lines();
    expect([lines().length, line?.level, line?.msg, line?.code, (line?.err as { message: string }).message]).toEqual([1, 50, 'request failed', 'HTTP_ERR_INTERNAL', 'disk full']);
    await server.close();
  });
});

describe('exception filters', () => {
  it('see the raw unknown error, the mapped exception for library errors, and the request context', async () => {
    const seen: unknown[] = [];
    const spy = defineFilter([], (error, ctx: FilterContext) => void seen.push(error, ctx.requestId, ctx.request.url, ctx.log === ctx.request.log, ctx.reply.sent));
    const { server, call } = setup([spy]);
    const raw = new Error('raw');
    await call(raw);
    const lib = Object.assign(new Error('lib'), { statusCode: 404 });
    await call(lib);
    expect(seen.slice(0, 5)).toEqual([raw, 'eh', '/throw', true, false]);
    expect(seen[5]).toBeInstanceOf(HttpException);
    expect([(seen[5] as HttpException).code, (seen[5] as HttpException).cause]).toEqual(['HTTP_ERR_NOT_FOUND', lib]);
    await server.close();
  });

  it('skip filters that do not catch the error and use the next one', async () => {
    const teapots = defineFilter([Teapot], () => new GoneException('teapot filter'));
    const rest = defineFilter([], () => new ConflictException('fallback filter'));
    const { server, call } = setup([teapots, rest]);
    expect((await call(new TypeError('t'))).json()).toMatchObject({ status: 409, detail: 'fallback filter' });
    expect((await call(new Teapot('t'))).json()).toMatchObject({ status: 410, detail: 'teapot filter' });
    await server.close();
  });

  it('a filter listing several classes catches an instance of any of them', async () => {
    const { server, call } = setup([defineFilter([Teapot, RangeError], () => new GoneException('either'))]);
    expect((await call(new RangeError('r'))).json()).toMatchObject({ status: 410, detail: 'either' });
    await server.close();
  });

  it('a throwing filter is logged with the original error and answers with what it threw', async () => {
    const thrown = new ConflictException('from filter');
    const original = new Teapot('original');
    const { server, lines, call } = setup([
      defineFilter([], () => {
        throw thrown;
      }),
    ]);
    const res = await call(original);
    expect([res.statusCode, res.json().detail]).toEqual([409, 'from filter']);
    const failed = lines().find((l) => l.msg === 'exception filter threw');
    expect([failed?.level, (failed?.err as { message: string }).message, (failed?.original as { message: string }).message]).toEqual([50, 'from filter', 'original']);
    await server.close();
  });

  it('keeps a swapped server fault visible in the log, but not a swapped client error', async () => {
    const swap = defineFilter([], () => new ConflictException('swapped'));
    const { server, lines, call } = setup([swap]);
    await call(new Error('db down'));
    await call(new InternalServerException('broke'));
    await call(new NotFoundException('missing'));
    await call(new HttpException(499, 'closed'));
    const filtered = lines().filter((l) => l.msg === 'request failed (filtered)');
    expect(filtered.map((l) => [l.level, (l.err as { message: string }).message])).toEqual([
      [50, 'db down'],
      [50, 'broke'],
    ]);
    expect(lines().filter((l) => l.msg === 'request rejected')).toHaveLength(4);
    await server.close();
  });

  it('a filter returning the error it got renders that error, unlogged as a swap', async () => {
    const same = defineFilter([], (error) => error);
    const { server, lines, call } = setup([same]);
    const res = await call(new GoneException('same'));
    expect([res.statusCode, res.json().detail]).toEqual([410, 'same']);
    expect(lines().map((l) => l.msg)).toEqual(['request rejected']);
    await server.close();
  });
});

describe('router failures (frameworkErrors)', () => {
  it('keep the original Fastify error as the logged cause, not in the body', async () => {
    const { server, lines } = setup();
    const res = await server.app.inject({ url: '/%E0%A4%A?token=secret', headers: { 'x-request-id': 'fw1' } });
    expect([res.statusCode, res.json().detail]).toEqual([400, 'The URL path is not valid percent-encoded UTF-8']);
    expect(res.body).not.toContain('secret');
    expect(lines().map(({ level, msg, code, status, requestId }) => ({ level, msg, code, status, requestId }))).toEqual([
      { level: 20, msg: 'request rejected', code: 'HTTP_ERR_BAD_REQUEST', status: 400, requestId: 'fw1' },
    ]);
    await server.close();
  });

  it('other router failures (an async constraint that fails) render as a 500 problem with the request id', async () => {
    const { server, lines } = setup();
    const store = new Map<string, unknown>();
    // find-my-way treats a 3-argument deriveConstraint as async; Fastify's types only describe the sync form.
    const failing = {
      name: 'tenant',
      storage: () => ({ get: (k: string) => store.get(k) ?? null, set: (k: string, v: unknown) => void store.set(k, v) }),
      deriveConstraint: (_req: unknown, _ctx: unknown, done: (err: Error | null, value?: string) => void) => done(new Error('tenant lookup failed')),
      validate: () => undefined,
    };
    server.app.addConstraintStrategy(failing as unknown as Parameters<typeof server.app.addConstraintStrategy>[0]);
    server.app.get('/t', { constraints: { tenant: 'a' } }, () => 'x');
    const res = await server.app.inject({ url: '/t', headers: { 'x-request-id': 'fw2' } });
    expect([res.statusCode, res.headers['content-type'], res.headers['x-request-id']]).toEqual([500, 'application/problem+json; charset=utf-8', 'fw2']);
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_INTERNAL',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
      instance: '/t',
      code: 'HTTP_ERR_INTERNAL',
      requestId: 'fw2',
    });
    const [line] = lines();
    expect([line?.level, line?.msg, (line?.err as { code: string }).code]).toEqual([50, 'request failed', 'FST_ERR_ASYNC_CONSTRAINT']);
    await server.close();
  });
});
