import { channel } from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { defineController, defineRoute } from './define.ts';
import { createHttpServer } from './http-server.ts';
import type { HttpServer } from './http-server.ts';

function readUntilClosed(socket: Socket): Promise<string> {
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (data += chunk));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', () => resolve(data));
  });
}

function head(raw: string): { status: number; headers: Record<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = raw.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: raw.slice(end + 4) };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; !condition(); i += 1) {
    if (i > 1000) throw new Error('condition not met within 1000 turns');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A gate a handler waits on, and a signal that the handler started. */
function gates() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const started = new Promise<void>((resolve) => (entered = resolve));
  return { gate, release, entered, started };
}

// keepAliveTimeout far above drainTimeout: a socket kept open after its response would
// hold close() until the drain timeout (drained: false), so `drained: true` proves it was closed.
const slowClose = { logger: false as const, port: 0, drainTimeout: 3_000, timeouts: { keepAlive: 60_000 } };

async function busyKeepAliveSocket(server: HttpServer, path: string): Promise<{ socket: Socket; received: Promise<string> }> {
  const { port } = await server.listen();
  const socket = connect(port, '127.0.0.1');
  const received = readUntilClosed(socket);
  socket.write(`GET ${path} HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\n\r\n`);
  return { socket, received };
}

describe('graceful close of keep-alive connections (regression: close waited for keepAliveTimeout)', () => {
  it('a response sent while draining says Connection: close and its socket is closed, so close() drains', async () => {
    const { gate, release, entered, started } = gates();
    const slow = defineRoute({ method: 'GET', path: '/slow', handler: async () => (entered(), await gate, { done: true }) });
    const server = createHttpServer({ ...slowClose, controllers: [defineController({ routes: [slow] })] });
    const { received } = await busyKeepAliveSocket(server, '/slow');
    await started;
    const closing = server.close();
    await until(() => !server.app.server.listening);
    release();
    const response = head(await received);
    expect([response.status, response.headers.connection, response.body]).toEqual([200, 'close', '{"done":true}']);
    expect(await closing).toEqual({ drained: true });
  });

  it('a socket whose response began before the close is closed once that response finished', async () => {
    const { gate, release, entered, started } = gates();
    const stream = defineRoute({
      method: 'GET',
      path: '/stream',
      handler: (ctx) => {
        const body = new PassThrough();
        body.write('he');
        void gate.then(() => body.end('llo'));
        void ctx.reply.type('text/plain').header('content-length', 5).send(body);
        entered();
      },
    });
    const server = createHttpServer({ ...slowClose, controllers: [defineController({ routes: [stream] })] });
    const { received } = await busyKeepAliveSocket(server, '/stream');
    await started;
    const closing = server.close();
    await until(() => !server.app.server.listening);
    // Another server's responses finishing meanwhile are not this server's business.
    const other = createServer((_req, res) => res.end('other'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as { port: number };
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('other');
    release();
    const response = head(await received);
    expect([response.status, response.headers.connection, response.body]).toEqual([200, 'keep-alive', 'hello']);
    expect(await closing).toEqual({ drained: true });
    // Subscribed only while draining.
    expect(channel('http.server.response.finish').hasSubscribers).toBe(false);
    other.closeAllConnections();
    await new Promise((resolve) => other.close(resolve));
  });
});

describe('during readinessGrace', () => {
  it('responses keep their connection: only once the listener closes do they say Connection: close', async () => {
    const { gate, release, entered, started } = gates();
    const routes = [
      defineRoute({ method: 'GET', path: '/quick', handler: () => ({ quick: true }) }),
      defineRoute({ method: 'GET', path: '/slow', handler: async () => (entered(), await gate, { done: true }) }),
    ];
    const server = createHttpServer({ ...slowClose, readinessGrace: 500, controllers: [defineController({ routes })] });
    const { received } = await busyKeepAliveSocket(server, '/slow');
    await started;
    const closing = server.close();
    const { port } = server.app.server.address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    const quick = new Promise<string>((resolve) => {
      let raw = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => {
        raw += chunk;
        if (raw.endsWith('{"quick":true}')) resolve(raw);
      });
    });
    socket.write('GET /quick HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\n\r\n');
    const during = head(await quick);
    expect([server.state, during.status, during.headers.connection]).toEqual(['draining', 200, 'keep-alive']);
    await until(() => !server.app.server.listening);
    release();
    expect(head(await received).headers.connection).toBe('close');
    expect(await closing).toEqual({ drained: true });
    socket.destroy();
  });
});

describe('close() called more than once (regression: a second caller was told drained: true at once)', () => {
  it('every caller gets the one close: same promise, same outcome', async () => {
    const { entered, started } = gates();
    const hang = defineRoute({ method: 'GET', path: '/hang', handler: () => (entered(), new Promise(() => undefined)) });
    const server = createHttpServer({ logger: false, port: 0, drainTimeout: 50, controllers: [defineController({ routes: [hang] })] });
    const { url } = await server.listen();
    const pending = fetch(`${url}/hang`).catch(() => 'cut');
    await started;
    const first = server.close();
    const second = server.close();
    expect(second).toBe(first);
    expect(await Promise.all([first, second])).toEqual([{ drained: false }, { drained: false }]);
    expect(await server.close()).toEqual({ drained: false });
    expect(await pending).toBe('cut');
  });
});

describe('close() while listen() is pending (regression: the listener stayed open in state listening)', () => {
  it('listen() rejects HTTP_ERR_LISTEN_ABORTED, close() waits for the bind and closes it', async () => {
    const server = createHttpServer({ logger: false, port: 0 });
    const listening = server.listen().catch((error: unknown) => error);
    expect(server.state).toBe('idle');
    const closed = await server.close();
    expect(closed).toEqual({ drained: true });
    expect(await listening).toMatchObject({ code: 'HTTP_ERR_LISTEN_ABORTED', message: 'close() was called before listen() finished; the server was closed instead' });
    expect([server.state, server.ready, server.app.server.listening]).toEqual(['closed', false, false]);
  });

  it('a second listen() while the first is pending is HTTP_ERR_ALREADY_LISTENING', async () => {
    const server = createHttpServer({ logger: false, port: 0 });
    const first = server.listen();
    await expect(server.listen()).rejects.toMatchObject({ code: 'HTTP_ERR_ALREADY_LISTENING', message: 'Cannot listen in state starting' });
    expect((await first).port).toBeGreaterThan(0);
    expect(server.state).toBe('listening');
    await server.close();
  });

  it('a listen() that fails leaves close() to finish; the failure goes to listen() callers', async () => {
    const taken = createHttpServer({ logger: false, port: 0 });
    const { port } = await taken.listen();
    const server = createHttpServer({ logger: false, port });
    // A failed listen() leaves the server idle: it can be tried again.
    await expect(server.listen()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(server.state).toBe('idle');
    const listening = server.listen().catch((error: unknown) => error);
    expect(await server.close()).toEqual({ drained: true });
    expect(await listening).toMatchObject({ code: 'EADDRINUSE' });
    expect(server.state).toBe('closed');
    await taken.close();
  });
});
