/**
 * Graceful shutdown under load, end to end: SIGTERM reaches the handler
 * HttpModule installed (emitted on `process`, as Node does on the signal: a
 * real kill also reaches the test runner's own handler, and Stryker's worker
 * exits on it), the core lifecycle stops the app, and while a bounded
 * load generator keeps several keep-alive connections busy on 127.0.0.1, no
 * request the server accepted (its handler ran) is dropped or cut short.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { Agent, request as undiciRequest } from 'undici';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createApp, defineModule } from '@rampart/core';
import type { LogFn, Logger } from '@rampart/core';
import { defineController, defineRoute, HTTP_SERVER, HttpModule } from '@rampart/http';

const CONNECTIONS = 8;
/** Hard bound of the load generator: no worker sends more than this. */
const MAX_REQUESTS_PER_CONNECTION = 300;
/** Requests each worker still sends once the app has stopped (all must be refused). */
const AFTER_STOP = 3;
const HANDLER_MS = 25;
/** Large enough to need several socket writes: a cut body cannot look complete. */
const PAD = 'x'.repeat(64 * 1024);

type Outcome =
  | { kind: 'response'; status: number; contentType: string | undefined; body: string }
  | { kind: 'half'; status: number; error: string }
  | { kind: 'refused'; error: string };

function codeOf(error: unknown): string {
  const e = error as { code?: unknown; cause?: { code?: unknown } };
  if (typeof e.code === 'string') return e.code;
  if (typeof e.cause?.code === 'string') return e.cause.code;
  return String(error);
}

function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return `not JSON: ${body.slice(0, 80)}`;
  }
}

function recordingLogger(lines: [string, unknown][]): Logger {
  const info: LogFn = (obj: object | string, msg?: string) => void lines.push([msg ?? (typeof obj === 'string' ? obj : ''), obj]);
  const logger: Logger = { trace() {}, debug() {}, info, warn() {}, error() {}, fatal() {}, child: () => logger };
  return logger;
}

describe('graceful shutdown under load through SIGTERM and the core lifecycle', () => {
  it('drops no accepted request, refuses the rest cleanly, flips readiness before closing the listener and stops modules after the drain', async () => {
    const events: string[] = [];
    const entered = new Set<string>();
    let inFlight = 0;
    let responded = 0;
    let atStop: { entered: number; responded: number; inFlight: number } | undefined;

    const work = defineController({
      routes: [
        defineRoute({
          method: 'GET',
          path: '/work',
          handler: async (ctx) => {
            entered.add(ctx.requestId);
            inFlight += 1;
            await delay(HANDLER_MS);
            inFlight -= 1;
            return { id: ctx.requestId, pad: PAD };
          },
        }),
      ],
    });
    const db = defineModule({
      name: 'db',
      version: '1.0.0',
      start: () => void events.push('db:start'),
      stop: () => {
        atStop = { entered: entered.size, responded, inFlight };
        events.push('db:stop');
      },
    });
    const cache = defineModule({
      name: 'cache',
      version: '1.0.0',
      requires: ['db'],
      start: () => void events.push('cache:start'),
      stop: () => void events.push('cache:stop'),
    });
    const logLines: [string, unknown][] = [];
    const sigtermBefore = process.listenerCount('SIGTERM');
    const app = createApp({
      modules: [
        HttpModule.forRoot({
          controllers: [work],
          port: 0,
          requires: ['cache'],
          logger: false,
          readinessGrace: 150,
          drainTimeout: 10_000,
          hooks: { onResponse: [() => void (responded += 1)] },
        }),
        cache,
        db,
      ],
      logger: recordingLogger(logLines),
    });
    const agent = new Agent({ connections: CONNECTIONS, pipelining: 1 });
    let workers: Promise<void>[] = [];
    let stopped = false;
    // Teardown even when an assertion fails midway: no started app, signal listener or socket left behind.
    onTestFinished(async () => {
      stopped = true;
      if (app.state === 'started') await app.stop();
      await Promise.allSettled(workers);
      await agent.close();
    });
    await app.start();
    const server = app.get(HTTP_SERVER);
    const listener = server.app.server;
    const { port } = listener.address() as { port: number };
    const url = `http://127.0.0.1:${port}`;
    // The only instrumentation: note when Fastify closes the listening socket.
    const closeListener = listener.close.bind(listener);
    listener.close = (callback?: (err?: Error) => void) => {
      events.push(`listener:close (server ready: ${String(server.ready)})`);
      return closeListener(callback);
    };

    // The module's handler must be the one receiving the signal, or Node's default would kill the worker.
    expect(process.listenerCount('SIGTERM')).toBe(sigtermBefore + 1);
    const readyBefore = await undiciRequest(`${url}/health/ready`);
    expect([readyBefore.statusCode, await readyBefore.body.json()]).toEqual([200, { status: 'ready' }]);

    const sent: string[] = [];
    const outcomes = new Map<string, Outcome>();
    const worker = async (c: number): Promise<void> => {
      let leftAfterStop = AFTER_STOP;
      for (let i = 0; i < MAX_REQUESTS_PER_CONNECTION && leftAfterStop > 0; i++) {
        if (stopped) leftAfterStop -= 1;
        const id = `c${c}-r${i}`;
        sent.push(id);
        let res;
        try {
          res = await undiciRequest(`${url}/work`, { dispatcher: agent, headers: { 'x-request-id': id } });
        } catch (error) {
          outcomes.set(id, { kind: 'refused', error: codeOf(error) });
          // Bounded back-off: a closed port refuses at once.
          await delay(2);
          continue;
        }
        try {
          const body = await res.body.text();
          const type = res.headers['content-type'];
          outcomes.set(id, { kind: 'response', status: res.statusCode, contentType: typeof type === 'string' ? type : undefined, body });
        } catch (error) {
          outcomes.set(id, { kind: 'half', status: res.statusCode, error: codeOf(error) });
        }
      }
    };
    workers = Array.from({ length: CONNECTIONS }, (_, c) => worker(c));

    // Signal only once every connection has a request inside its handler.
    await vi.waitFor(() => expect(inFlight).toBe(CONNECTIONS), { timeout: 5_000, interval: 1 });
    const inFlightAtSignal = inFlight;
    const acceptedBeforeSignal = entered.size;
    events.push('SIGTERM');
    process.emit('SIGTERM');

    // Readiness, probed on fresh connections while the grace period keeps the listener open.
    let readiness: { status: number; body: unknown } | undefined;
    for (let i = 0; i < 1000 && readiness === undefined; i++) {
      const probe = await undiciRequest(`${url}/health/ready`, { reset: true });
      const body = await probe.body.json();
      if (probe.statusCode === 503) {
        readiness = { status: probe.statusCode, body };
        events.push('readiness:503');
      } else {
        await delay(2);
      }
    }

    await vi.waitFor(() => expect(app.state).toBe('stopped'), { timeout: 15_000, interval: 5 });
    stopped = true;
    events.push('app:stopped');
    await Promise.all(workers);

    // Lifecycle order: readiness first, then the listener, then modules in reverse start order.
    expect(events).toEqual([
      'db:start',
      'cache:start',
      'SIGTERM',
      'readiness:503',
      'listener:close (server ready: false)',
      'cache:stop',
      'db:stop',
      'app:stopped',
    ]);
    expect(readiness?.body).toMatchObject({ status: 503, code: 'HTTP_ERR_SERVICE_UNAVAILABLE', detail: 'Server is shutting down' });
    expect(server.state).toBe('closed');
    expect(logLines).toContainEqual(['http server closed', { drained: true }]);
    expect(process.listenerCount('SIGTERM')).toBe(sigtermBefore);

    // Modules stopped only after the drain: every accepted request had been answered.
    expect(inFlightAtSignal).toBe(CONNECTIONS);
    expect(atStop).toEqual({ entered: entered.size, responded: entered.size, inFlight: 0 });

    // Every request sent has exactly one recorded outcome.
    expect(outcomes.size).toBe(sent.length);
    expect(sent.length).toBeLessThanOrEqual(CONNECTIONS * MAX_REQUESTS_PER_CONNECTION);
    expect(entered.size).toBeGreaterThan(acceptedBeforeSignal);
    expect([...entered].filter((id) => !outcomes.has(id))).toEqual([]);

    // Accepted = handler ran: each one completed with 200 and its full body.
    const acceptedFailures = [...entered].flatMap((id) => {
      const o = outcomes.get(id);
      const ok = o?.kind === 'response' && o.status === 200 && o.body === JSON.stringify({ id, pad: PAD });
      return ok ? [] : [{ id, outcome: o?.kind === 'response' ? { ...o, body: `${o.body.length} chars` } : o }];
    });
    expect(acceptedFailures).toEqual([]);

    // Not accepted: refused at the connection, or answered a complete 503 problem document
    // carrying the request's own id (a request reaching a draining keep-alive socket); never half-answered.
    const refusal = (id: string) => ({
      type: 'urn:rampart:problem:HTTP_ERR_SERVICE_UNAVAILABLE',
      title: 'Service Unavailable',
      status: 503,
      detail: 'Server is shutting down',
      instance: '/work',
      code: 'HTTP_ERR_SERVICE_UNAVAILABLE',
      requestId: id,
    });
    const rejected = sent.filter((id) => !entered.has(id)).map((id) => ({ id, o: outcomes.get(id) as Outcome }));
    const unclean = rejected.filter(
      ({ id, o }) =>
        !(o.kind === 'refused' && ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(o.error)) &&
        !(o.kind === 'response' && o.status === 503 && o.contentType === 'application/problem+json; charset=utf-8' && isDeepStrictEqual(parsed(o.body), refusal(id))),
    );
    expect(unclean).toEqual([]);
    expect(rejected.filter(({ o }) => o.kind === 'refused').length).toBeGreaterThanOrEqual(CONNECTIONS * AFTER_STOP);
    const answered200 = [...outcomes.values()].filter((o) => o.kind === 'response' && o.status === 200).length;
    expect(answered200).toBe(entered.size);
  });
});
