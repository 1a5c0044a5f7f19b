/**
 * A request in flight when a server's drain begins, seen on the wire: the drain's
 * `Connection: close` is a header of the raw response, which `inject()` does not exercise
 * (it bypasses the listener and the socket). Shared by the drain tests of the built-in routes.
 */
import { connect } from 'node:net';
import type { HttpServer } from '../http-server.ts';

/** A promise opened from outside, and a signal that the code waiting on it was reached. */
export function gate<T>() {
  let release!: (value: T) => void;
  const opened = new Promise<T>((resolve) => (release = resolve));
  let entered!: () => void;
  const started = new Promise<void>((resolve) => (entered = resolve));
  return { opened, release, entered, started };
}

/** What the client of {@link getWhileDraining} received. */
export interface DrainAnswer {
  readonly status: number;
  readonly connection: string | undefined;
  readonly body: string;
  readonly drained: boolean;
}

/**
 * Listens, sends `GET path` on a keep-alive connection, starts `server.close()` once `started`
 * resolved (the request is in flight), waits for the listener to close (the drain began),
 * then calls `release()` and reads the answer until the server closes the socket.
 * @example
 * const g = gate<boolean>(); await getWhileDraining(server, '/openapi.json', g.started, () => g.release(true));
 */
export async function getWhileDraining(server: HttpServer, path: string, started: Promise<void>, release: () => void): Promise<DrainAnswer> {
  const { port } = await server.listen();
  const socket = connect(port, '127.0.0.1');
  let raw = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\n\r\n`);
  await started;
  const closing = server.close();
  for (let i = 0; server.app.server.listening; i += 1) {
    if (i > 1000) throw new Error('listener did not close');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  release();
  await closed;
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = raw.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), connection: headers['connection'], body: raw.slice(end + 4), drained: (await closing).drained };
}
