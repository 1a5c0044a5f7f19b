import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { defineController, defineFilter, defineRoute } from './define.ts';
import { createHttpServer } from './http-server.ts';
import type { Hook, RouteDefinition } from './types.ts';

/**
 * Regression (audit 2026-12-07): README "Graceful shutdown": from the drain on, a response
 * carries `Connection: close`. Only a response the handler sent did; a request in flight when
 * the drain began that was answered before or beside its handler (a guard's 403, a hook or an
 * exception filter answering itself) said `Connection: keep-alive` although its socket is
 * closed right after it: a client reusing the connection then loses its next request.
 */

function gate<T>() {
  let release!: (value: T) => void;
  const opened = new Promise<T>((resolve) => (release = resolve));
  let entered!: () => void;
  const started = new Promise<void>((resolve) => (entered = resolve));
  return { opened, release, entered, started };
}

/** Sends `GET path` on a keep-alive connection, closes the server while it is in flight, then lets it finish. */
async function answeredWhileDraining(route: RouteDefinition, g: ReturnType<typeof gate<boolean>>, answer: boolean, filters = [] as ReturnType<typeof defineFilter>[]) {
  const server = createHttpServer({ logger: false, port: 0, drainTimeout: 3_000, timeouts: { keepAlive: 60_000 }, filters, controllers: [defineController({ routes: [route] })] });
  const { port } = await server.listen();
  const socket = connect(port, '127.0.0.1');
  let raw = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.write(`GET ${route.path} HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\n\r\n`);
  await g.started;
  const closing = server.close();
  for (let i = 0; server.app.server.listening; i += 1) {
    if (i > 1000) throw new Error('listener did not close');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  g.release(answer);
  await closed;
  const [statusLine = '', ...lines] = raw.slice(0, raw.indexOf('\r\n\r\n')).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), connection: headers['connection'], drained: (await closing).drained };
}

describe('responses of a drain say Connection: close on every path', () => {
  it('a guard that rejects while the server drains (problem document)', async () => {
    const g = gate<boolean>();
    const route = defineRoute({ method: 'GET', path: '/guarded', guards: [async () => (g.entered(), g.opened)], handler: () => ({ ok: true }) });
    expect(await answeredWhileDraining(route, g, false)).toEqual({ status: 403, connection: 'close', drained: true });
  });

  it('a hook that answers itself while the server drains', async () => {
    const g = gate<boolean>();
    const hook: Hook = async (ctx) => {
      g.entered();
      await g.opened;
      await ctx.reply.code(304).send();
    };
    const route = defineRoute({ method: 'GET', path: '/cached', hooks: { preHandler: [hook] }, handler: () => ({ ok: true }) });
    expect(await answeredWhileDraining(route, g, true)).toEqual({ status: 304, connection: 'close', drained: true });
  });

  it('an exception filter that answers itself while the server drains', async () => {
    const g = gate<boolean>();
    class Late extends Error {}
    const filter = defineFilter([Late], (_error, ctx) => ctx.reply.code(409).send({ late: true }));
    // Raised before the handler (by a guard), so no handler's send is involved.
    const late = async (): Promise<boolean> => {
      g.entered();
      await g.opened;
      throw new Late();
    };
    const route = defineRoute({ method: 'GET', path: '/late', guards: [late], handler: () => ({ ok: true }) });
    expect(await answeredWhileDraining(route, g, true, [filter])).toEqual({ status: 409, connection: 'close', drained: true });
  });
});
