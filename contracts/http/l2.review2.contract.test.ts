/**
 * L2 contract of @rampart/http: fixes of a second review. An exception filter
 * that answers with a stream keeps its reply; a hook that answers with a stream
 * ends the request (the handler does not run); global filters see the 404 and
 * 405 of unmatched requests; a malformed request pipelined behind a streaming
 * response is never answered inside that response's body.
 */
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createHttpServer, defineController, defineFilter, defineRoute, NotFoundException } from '@rampart/http';
import type { RouteContext } from '@rampart/http';

async function* parts(first: string, second: string): AsyncGenerator<string> {
  yield first;
  await new Promise((resolve) => setTimeout(resolve, 50));
  yield second;
}

describe('@rampart/http L2: exception filters', () => {
  it('a filter that sends a streamed reply keeps it: no problem document goes out over it', async () => {
    const streamed = defineFilter([], (_error, ctx) => void ctx.reply.code(418).type('text/plain').send(Readable.from(parts('hello ', 'world'))));
    const boom = defineRoute({ method: 'GET', path: '/boom', handler: () => { throw new Error('boom'); } });
    for (const compression of [false, undefined] as const) {
      const server = createHttpServer({ logger: false, port: 0, filters: [streamed], controllers: [defineController({ routes: [boom] })], ...(compression === false ? { compression } : {}) });
      const { url } = await server.listen();
      const res = await fetch(`${url}/boom`);
      expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([418, 'text/plain', 'hello world']);
      await server.close();
    }
  });

  it('global filters see the 404 and 405 of requests no route matched', async () => {
    const seen: string[] = [];
    const spy = defineFilter([], (error) => void seen.push((error as { code: string }).code));
    const page = defineFilter([NotFoundException], (_error, ctx) => ctx.reply.code(404).type('text/html').send('<h1>not here</h1>'));
    const server = createHttpServer({ logger: false, filters: [spy, page], controllers: [defineController({ routes: [defineRoute({ method: 'GET', path: '/x', handler: () => 'x' })] })] });
    const missing = await server.app.inject({ url: '/nope', headers: { 'x-request-id': 'r2-404' } });
    expect([missing.statusCode, missing.headers['content-type'], missing.body, missing.headers['x-request-id']]).toEqual([404, 'text/html', '<h1>not here</h1>', 'r2-404']);
    const wrong = await server.app.inject({ method: 'POST', url: '/x' });
    expect([wrong.statusCode, wrong.headers.allow, wrong.json().code]).toEqual([405, 'GET, HEAD', 'HTTP_ERR_METHOD_NOT_ALLOWED']);
    expect(seen).toEqual(['HTTP_ERR_NOT_FOUND', 'HTTP_ERR_METHOD_NOT_ALLOWED']);
    await server.close();
  });
});

describe('@rampart/http L2: hooks that answer', () => {
  it('an onRequest or preHandler hook that sends a stream ends the request: the handler does not run', async () => {
    let handled = 0;
    const deny = (ctx: RouteContext) => void ctx.reply.code(401).type('text/plain').send(Readable.from(parts('denied ', 'by hook')));
    const routes = [
      defineRoute({ method: 'GET', path: '/early', hooks: { onRequest: [deny] }, handler: () => ((handled += 1), 'secret') }),
      defineRoute({ method: 'POST', path: '/late', hooks: { preHandler: [deny] }, handler: () => ((handled += 1), 'secret') }),
    ];
    for (const compression of [false, undefined] as const) {
      const server = createHttpServer({ logger: false, port: 0, controllers: [defineController({ routes })], ...(compression === false ? { compression } : {}) });
      const { url } = await server.listen();
      for (const [method, path] of [['GET', '/early'], ['POST', '/late']] as const) {
        const res = await fetch(`${url}${path}`, { method });
        expect([res.status, await res.text()]).toEqual([401, 'denied by hook']);
      }
      await server.close();
    }
    expect(handled).toBe(0);
  });
});

describe('@rampart/http L2: protocol errors', () => {
  it('a malformed request pipelined behind a streaming response is not answered inside that response', async () => {
    const stream = defineRoute({ method: 'GET', path: '/s', handler: (ctx) => void ctx.reply.type('text/plain').send(Readable.from(parts('part-1;', 'part-2;'))) });
    const server = createHttpServer({ logger: false, port: 0, compression: false, controllers: [defineController({ routes: [stream] })] });
    const { port } = await server.listen();
    const socket = connect(port, '127.0.0.1');
    let raw = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk));
    socket.on('error', () => {});
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('GET /s HTTP/1.1\r\nHost: t\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.write('GARBAGE\r\n\r\n');
    await closed;
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw).not.toContain('HTTP/1.1 400');
    await server.close();
  });
});
