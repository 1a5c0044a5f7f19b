import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { defineController, defineRoute } from './define.ts';
import { HTTP_REQUEST_CHANNEL } from './diagnostics.ts';
import type { HttpRequestEvent } from './diagnostics.ts';
import { ConflictException } from './exceptions.ts';
import { createHttpServer } from './http-server.ts';

const routes = defineController({
  path: '/d',
  routes: [
    defineRoute({ method: 'GET', path: '/listeners', handler: (ctx) => ({ finish: ctx.reply.raw.listenerCount('finish') }) }),
    defineRoute({
      method: 'POST',
      path: '/:id',
      handler: (ctx) => {
        throw new ConflictException(`taken ${ctx.params.id}`);
      },
    }),
  ],
});

const events: HttpRequestEvent[] = [];
const listener = (message: unknown) => void events.push(message as HttpRequestEvent);

afterEach(() => {
  unsubscribe(HTTP_REQUEST_CHANNEL, listener);
  events.length = 0;
});

describe('rampart:http.request', () => {
  it('uses the documented channel name', () => {
    expect(HTTP_REQUEST_CHANNEL).toBe('rampart:http.request');
  });

  it('publishes exactly one event when a request touched both the context and the error renderer', async () => {
    subscribe(HTTP_REQUEST_CHANNEL, listener);
    const s = createHttpServer({ logger: false, controllers: [routes] });
    await s.app.inject({ method: 'POST', url: '/d/42?secret=1', headers: { 'x-request-id': 'e1' } });
    expect(events.map(({ durationMs: _, ...rest }) => rest)).toEqual([{ requestId: 'e1', method: 'POST', route: '/d/:id', statusCode: 409 }]);
    expect(events[0]?.durationMs).toBeGreaterThanOrEqual(0);
    await s.close();
  });

  it('reports unmatched requests without a route pattern', async () => {
    subscribe(HTTP_REQUEST_CHANNEL, listener);
    const s = createHttpServer({ logger: false, controllers: [routes] });
    await s.app.inject({ method: 'GET', url: '/nowhere/7', headers: { 'x-request-id': 'e2' } });
    expect(events.map(({ durationMs: _, ...rest }) => rest)).toEqual([{ requestId: 'e2', method: 'GET', route: undefined, statusCode: 404 }]);
    await s.close();
  });

  it('arms nothing on the response while nobody subscribes', async () => {
    const s = createHttpServer({ logger: false, controllers: [routes] });
    const idle = (await s.app.inject('/d/listeners')).json<{ finish: number }>().finish;
    subscribe(HTTP_REQUEST_CHANNEL, listener);
    const observed = (await s.app.inject('/d/listeners')).json<{ finish: number }>().finish;
    expect(observed).toBe(idle + 1);
    expect(events).toHaveLength(1);
    await s.close();
  });
});
