import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { defineController, defineFilter, defineRoute } from './define.ts';
import { HTTP_REQUEST_CHANNEL } from './diagnostics.ts';
import { HttpException, NotFoundException, ValidationException } from './exceptions.ts';
import { createHttpServer } from './http-server.ts';
import type { FilterContext } from './types.ts';

const create = defineRoute({
  method: 'POST',
  schema: { body: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } },
  handler: (ctx) => ({ n: ctx.body.n }),
});
const routes = defineController({
  path: '/n',
  routes: [
    create,
    defineRoute({ method: 'GET', path: '/limited', handler: () => { throw new HttpException(429, 'slow down', { headers: { 'retry-after': '5' } }); } }),
    defineRoute({ method: 'GET', path: '/down', handler: () => { throw new HttpException(503, 'maintenance'); } }),
  ],
});

/**
 * Regressions found by an audit (2026-12-06): each test failed before its fix.
 */
describe('error responses', () => {
  it('a filter answering an error raised before the handler still returns X-Request-Id and publishes rampart:http.request', async () => {
    // README "Request ids": "The id is returned on every response (including 404s and errors)"; "Observability": one event per finished request).
    // Before the fix: when the error happened before the handler (validation, 413, 415) and a filter answered itself, neither the header nor the event was emitted.
    const events: unknown[] = [];
    const listener = (m: unknown) => void events.push(m);
    subscribe(HTTP_REQUEST_CHANNEL, listener);
    const custom = defineFilter([ValidationException], (_e, ctx: FilterContext) => ctx.reply.code(422).send({ invalid: true }));
    const s = createHttpServer({ logger: false, controllers: [routes], filters: [custom] });
    try {
      const res = await s.app.inject({ method: 'POST', url: '/n', payload: {}, headers: { 'x-request-id': 'req-42' } });
      expect(res.statusCode).toBe(422);
      expect(res.headers['x-request-id']).toBe('req-42');
      expect(events).toHaveLength(1);
    } finally {
      unsubscribe(HTTP_REQUEST_CHANNEL, listener);
      await s.close();
    }
  });

  it('an HttpException without a code takes the code and type its status has in the registry', async () => {
    // RFC 9457 §3.1.1: `type` identifies the problem type; README error table: 429 → HTTP_ERR_TOO_MANY_REQUESTS, 503 → HTTP_ERR_SERVICE_UNAVAILABLE).
    // Before the fix: a 429 problem said type/code HTTP_ERR_BAD_REQUEST, a 503 HTTP_ERR_INTERNAL, contradicting its own status and title.
    const s = createHttpServer({ logger: false, controllers: [routes] });
    try {
      const limited = (await s.app.inject('/n/limited')).json();
      const down = (await s.app.inject('/n/down')).json();
      expect([limited.status, limited.code, limited.type]).toEqual([429, 'HTTP_ERR_TOO_MANY_REQUESTS', 'urn:rampart:problem:HTTP_ERR_TOO_MANY_REQUESTS']);
      expect([down.status, down.code, down.type]).toEqual([503, 'HTTP_ERR_SERVICE_UNAVAILABLE', 'urn:rampart:problem:HTTP_ERR_SERVICE_UNAVAILABLE']);
    } finally {
      await s.close();
    }
  });
});

/**
 * Regressions found by a second review (2026-12-07): each test failed before its fix.
 */
describe('exception filters (second review)', () => {
  it('a filter that answers with a stream keeps its reply: no problem is sent over it', async () => {
    // README "Exception filters": "A filter may send its own response". Fastify reports `reply.sent` only once the
    // response ended. Before the fix: a streamed reply was still unsent when the filter returned, so a 500 problem
    // went out instead and the stream was cut ("stream closed prematurely").
    const streamed = defineFilter([], (_e, ctx: FilterContext) => void ctx.reply.code(418).type('text/plain').send(Readable.from(slowParts())));
    const s = createHttpServer({ logger: false, compression: false, filters: [streamed], controllers: [defineController({ routes: [defineRoute({ method: 'GET', path: '/boom', handler: () => { throw new Error('boom'); } })] })] });
    try {
      const res = await s.app.inject('/boom');
      expect([res.statusCode, res.headers['content-type'], res.body]).toEqual([418, 'text/plain', 'hello world']);
    } finally {
      await s.close();
    }
  });

  it('global filters see the 404 and 405 of requests no route matched, like the 400 and 414 Fastify meets before routing', async () => {
    // README "Errors": "Failures Fastify meets before any route matched are problems too ... global filters see them";
    // NestJS global filters catch the NotFoundException of an unmatched route too.
    // Before the fix: the not-found handler rendered the problem directly; no filter ever saw a 404 or 405.
    const seen: string[] = [];
    const notFound = defineFilter([NotFoundException], (_e, ctx: FilterContext) => ctx.reply.code(404).type('text/html').send('<h1>nothing here</h1>'));
    const spy = defineFilter([], (e) => void seen.push((e as HttpException).code));
    const s = createHttpServer({ logger: false, filters: [spy, notFound], controllers: [routes] });
    try {
      const missing = await s.app.inject({ url: '/nope', headers: { 'x-request-id': 'req-404' } });
      expect([missing.statusCode, missing.headers['content-type'], missing.body, missing.headers['x-request-id']]).toEqual([404, 'text/html', '<h1>nothing here</h1>', 'req-404']);
      const wrongMethod = await s.app.inject({ method: 'DELETE', url: '/n' });
      expect([wrongMethod.statusCode, wrongMethod.json().code, wrongMethod.headers.allow]).toEqual([405, 'HTTP_ERR_METHOD_NOT_ALLOWED', 'POST']);
      expect(seen).toEqual(['HTTP_ERR_NOT_FOUND', 'HTTP_ERR_METHOD_NOT_ALLOWED']);
    } finally {
      await s.close();
    }
  });
});

async function* slowParts(): AsyncGenerator<string> {
  yield 'hello ';
  await new Promise((resolve) => setTimeout(resolve, 20));
  yield 'world';
}
