import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { defineController, defineRoute } from './define.ts';
import { HTTP_REQUEST_CHANNEL } from './diagnostics.ts';
import type { HttpRequestEvent } from './diagnostics.ts';
import { createHttpServer } from './http-server.ts';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits what a server wrote on one connection into responses (all carry Content-Length here). */
function parseResponses(raw: string): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = raw;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length']);
    out.push({ status: Number(statusLine.split(' ')[1]), headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}

function readUntilClosed(socket: Socket): Promise<string> {
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (data += chunk));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', () => resolve(data));
  });
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; !condition(); i += 1) {
    if (i > 1000) throw new Error('condition not met within 1000 turns');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * A server with one slow request in flight on a keep-alive connection, closing:
 * server.close() keeps that busy socket open, so a second request written on it
 * reaches the server while it drains (what a client pipelining or reusing a
 * pooled connection does).
 */
async function drainingWithBusySocket(logLines: Record<string, unknown>[] = []) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inFlight = new Promise<void>((resolve) => (entered = resolve));
  // The response starts (status, headers, first bytes) before the close and ends after
  // the late request arrived: the socket is busy, and the response predates the drain.
  const slow = defineRoute({
    method: 'GET',
    path: '/slow',
    handler: (ctx) => {
      const body = new PassThrough();
      body.write('{"slow":');
      void gate.then(() => body.end('true}'));
      void ctx.reply.type('application/json').header('content-length', 13).send(body);
      entered();
    },
  });
  const hello = defineRoute({ method: 'GET', path: '/hello', handler: () => ({ hello: 'world' }) });
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  });
  const server = createHttpServer({ logger: pino({ level: 'info' }, stream), controllers: [defineController({ routes: [slow, hello] })], port: 0 });
  const { port } = await server.listen();
  const socket = connect(port, '127.0.0.1');
  const received = readUntilClosed(socket);
  socket.write('GET /slow HTTP/1.1\r\nHost: t\r\nX-Request-Id: slow-1\r\n\r\n');
  await inFlight;
  const closing = server.close();
  // The listener is closed once Fastify's preClose hooks ran.
  await until(() => !server.app.server.listening);
  /** Writes a request on the busy socket, waits until the server received it, then lets /slow finish. */
  const sendWhileDraining = async (request: string) => {
    const arrived = new Promise((resolve) => server.app.server.once('request', resolve));
    socket.write(request);
    await arrived;
    release();
    return { responses: parseResponses(await received), closing: await closing };
  };
  return { server, sendWhileDraining };
}

describe('requests arriving while the server drains', () => {
  it('get 503 problem+json with the request id and Connection: close; the in-flight request finishes', async () => {
    const logs: Record<string, unknown>[] = [];
    const { server, sendWhileDraining } = await drainingWithBusySocket(logs);
    const { responses, closing } = await sendWhileDraining('GET /hello?token=secret HTTP/1.1\r\nHost: t\r\nX-Request-Id: late-1\r\n\r\n');
    expect(closing).toEqual({ drained: true });
    expect(server.state).toBe('closed');
    expect(responses.map((r) => r.status)).toEqual([200, 503]);
    const [first, refused] = responses as [RawResponse, RawResponse];
    expect([first.headers['x-request-id'], JSON.parse(first.body)]).toEqual(['slow-1', { slow: true }]);
    expect([refused.headers['content-type'], refused.headers.connection, refused.headers['x-request-id']]).toEqual(['application/problem+json; charset=utf-8', 'close', 'late-1']);
    expect(JSON.parse(refused.body)).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_SERVICE_UNAVAILABLE',
      title: 'Service Unavailable',
      status: 503,
      detail: 'Server is shutting down',
      instance: '/hello',
      code: 'HTTP_ERR_SERVICE_UNAVAILABLE',
      requestId: 'late-1',
    });
    const line = logs.find((l) => l.msg === 'request refused: server is shutting down');
    expect([line?.level, line?.requestId, line?.code]).toEqual([30, 'late-1', 'HTTP_ERR_SERVICE_UNAVAILABLE']);
  });

  it('generate a request id when none (or an invalid one) is sent; header and body agree', async () => {
    const { sendWhileDraining } = await drainingWithBusySocket();
    const { responses } = await sendWhileDraining('POST /nowhere HTTP/1.1\r\nHost: t\r\nX-Request-Id: bad id\r\nContent-Length: 2\r\n\r\n{}');
    const refused = responses[1] as RawResponse;
    const problem = JSON.parse(refused.body) as { requestId: string; status: number; instance: string };
    expect([refused.status, problem.status, problem.instance]).toEqual([503, 503, '/nowhere']);
    expect(problem.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(refused.headers['x-request-id']).toBe(problem.requestId);
  });

  it('are published on the rampart:http.request channel like any finished request', async () => {
    const events: HttpRequestEvent[] = [];
    const listener = (message: unknown) => void events.push(message as HttpRequestEvent);
    subscribe(HTTP_REQUEST_CHANNEL, listener);
    try {
      const { sendWhileDraining } = await drainingWithBusySocket();
      await sendWhileDraining('DELETE /hello HTTP/1.1\r\nHost: t\r\nX-Request-Id: late-2\r\n\r\n');
      const refused = events.find((e) => e.requestId === 'late-2');
      expect(refused).toEqual({ requestId: 'late-2', method: 'DELETE', route: undefined, statusCode: 503, durationMs: expect.any(Number) });
      expect(refused?.durationMs).toBeGreaterThanOrEqual(0);
    } finally {
      unsubscribe(HTTP_REQUEST_CHANNEL, listener);
    }
  });
});
