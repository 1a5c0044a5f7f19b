import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { contextOf, inScope, watchSend } from './context.ts';
import { defineController, defineRoute } from './define.ts';
import { createHttpServer } from './http-server.ts';
import type { RouteContext } from './types.ts';

describe('route context', () => {
  it('is one object per request, shared by hooks, guards and the handler, exposing the request', async () => {
    const seen: RouteContext[] = [];
    const keep = (ctx: RouteContext) => void seen.push(ctx);
    const route = defineRoute({
      method: 'POST',
      path: '/c/:id',
      hooks: { onRequest: [keep], preHandler: [keep] },
      guards: [(ctx) => (keep(ctx), true)],
      handler: (ctx) => {
        keep(ctx);
        return {
          id: ctx.params.id,
          q: ctx.query.q,
          body: ctx.body,
          header: ctx.headers['x-h'],
          requestId: ctx.requestId,
          sameLog: ctx.log === ctx.request.log,
          sameReply: ctx.reply.request === ctx.request,
          version: ctx.version ?? null,
        };
      },
    });
    const s = createHttpServer({ logger: false, controllers: [defineController({ routes: [route] })] });
    const res = await s.app.inject({ method: 'POST', url: '/c/5?q=x', payload: { a: 1 }, headers: { 'x-h': 'v', 'x-request-id': 'ctx-1' } });
    expect(res.json()).toEqual({ id: '5', q: 'x', body: { a: 1 }, header: 'v', requestId: 'ctx-1', sameLog: true, sameReply: true, version: null });
    expect(res.headers['x-request-id']).toBe('ctx-1');
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(1);
    await s.close();
  });

  it('stamps the request id header with the configured name once, when first created', () => {
    const headers: [string, unknown][] = [];
    const request = { id: 'r-9' } as FastifyRequest;
    const reply = { header: (name: string, value: unknown) => void headers.push([name, value]) } as unknown as FastifyReply;
    const first = contextOf(request, reply, '2', 'x-trace');
    const again = contextOf(request, reply, '3', 'x-trace');
    expect(again).toBe(first);
    expect([first.version, first.requestId, first.request, first.reply]).toEqual(['2', 'r-9', request, reply]);
    expect(headers).toEqual([['x-trace', 'r-9']]);
  });
});

describe('request scope', () => {
  it('inScope runs the function directly without a runner', () => {
    const als = new AsyncLocalStorage<string>();
    expect(inScope({ id: 'plain' } as FastifyRequest, undefined, () => als.getStore() ?? 'none')).toBe('none');
  });

  it('enters the scope once per request, on first use, and re-enters that same scope later', async () => {
    const als = new AsyncLocalStorage<{ id: string; n: number }>();
    const entered: string[] = [];
    let n = 0;
    const runner = <R>(id: string, fn: () => R): R => {
      entered.push(id);
      return als.run({ id, n: (n += 1) }, fn);
    };
    const request = { id: 'scoped' } as FastifyRequest;
    const first = inScope(request, runner, () => als.getStore());
    // A later stage runs from an event created outside the scope (as Fastify's body parsing does).
    const later = await new Promise((resolve) => setImmediate(() => resolve(inScope(request, runner, () => als.getStore()))));
    expect(first).toEqual({ id: 'scoped', n: 1 });
    expect(later).toBe(first);
    const other = inScope({ id: 'other' } as FastifyRequest, runner, () => als.getStore());
    expect(other).toEqual({ id: 'other', n: 2 });
    expect(entered).toEqual(['scoped', 'other']);
    expect(als.getStore()).toBeUndefined();
  });
});

describe('watchSend', () => {
  it('notes a send while watching, forwards it to the reply, and puts the previous send back on stop()', () => {
    const sent: unknown[] = [];
    const reply = {
      send(this: { sent: unknown[] }, payload?: unknown) {
        this.sent.push(payload);
        return this;
      },
      sent,
    };
    const watch = watchSend(reply as unknown as FastifyReply);
    expect(watch.started).toBe(false);
    expect(reply.send({ a: 1 })).toBe(reply);
    expect([watch.started, sent]).toEqual([true, [{ a: 1 }]]);
    const later = watchSend(reply as unknown as FastifyReply);
    later.stop();
    reply.send('after stop');
    expect([later.started, sent]).toEqual([false, [{ a: 1 }, 'after stop']]);
  });
});
