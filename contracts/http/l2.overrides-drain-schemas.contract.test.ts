/**
 * L2 contract of @rampart/http: a subclass's route decorator on an overridden
 * method replaces the parent's routes of that method (its guards stay);
 * `validateResponses` resolves `$ref`s to schemas added with
 * `server.app.addSchema()`; a request answered by a guard while the server
 * drains says `Connection: close`. Locked: never modified, only added to.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Controller, Get, UseGuards, controllerOf, createHttpServer, defineController, defineRoute } from '@rampart/http';
import type { Guard } from '@rampart/http';

describe('@rampart/http L2: route method overrides', () => {
  const guard: Guard = () => true;

  @Controller('/items')
  class Base {
    @Get('/')
    @UseGuards(guard)
    list(): unknown {
      return ['base'];
    }
  }

  class Sub extends Base {
    @Get('/')
    override list(): unknown {
      return ['sub'];
    }
  }

  it('the override redeclares the route (one GET /items, answered by the subclass, guards kept)', async () => {
    expect(controllerOf(Sub)?.routes.map((r) => [r.method, r.path, r.guards])).toEqual([['GET', '/', [guard]]]);
    const server = createHttpServer({ logger: false, controllers: [Sub] });
    const res = await server.app.inject('/items');
    expect([res.statusCode, res.json()]).toEqual([200, ['sub']]);
    await server.close();
  });
});

describe('@rampart/http L2: response validation with shared schemas', () => {
  it('a response schema may $ref a schema added with server.app.addSchema(); bodies are checked against it', async () => {
    const server = createHttpServer({
      logger: false,
      validateResponses: true,
      controllers: [
        defineController({
          routes: [
            defineRoute({ method: 'GET', path: '/good', schema: { response: { 200: { $ref: 'Pet#' } } }, handler: () => ({ name: 'rex' }) }),
            defineRoute({ method: 'GET', path: '/bad', schema: { response: { 200: { $ref: 'Pet#' } } }, handler: () => ({ label: 'rex' }) }),
          ],
        }),
      ],
    });
    server.app.addSchema({ $id: 'Pet', type: 'object', properties: { name: { type: 'string' } }, required: ['name'] });
    await server.app.ready();
    const good = await server.app.inject('/good');
    const bad = await server.app.inject('/bad');
    expect([good.statusCode, good.json()]).toEqual([200, { name: 'rex' }]);
    expect([bad.statusCode, bad.json().code]).toEqual([500, 'HTTP_ERR_RESPONSE_VALIDATION']);
    await server.close();
  });
});

describe('@rampart/http L2: responses during the drain', () => {
  it('a guard that refuses a request in flight after close() began answers 403 with Connection: close', async () => {
    let entered!: () => void;
    const started = new Promise<void>((resolve) => (entered = resolve));
    let release!: (allowed: boolean) => void;
    const decided = new Promise<boolean>((resolve) => (release = resolve));
    const route = defineRoute({ method: 'GET', path: '/slow-guard', guards: [async () => (entered(), decided)], handler: () => ({ ok: true }) });
    const server = createHttpServer({ logger: false, port: 0, drainTimeout: 3_000, timeouts: { keepAlive: 60_000 }, controllers: [defineController({ routes: [route] })] });
    const { port } = await server.listen();
    const socket = connect(port, '127.0.0.1');
    let raw = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('GET /slow-guard HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\n\r\n');
    await started;
    const closing = server.close();
    for (let i = 0; server.app.server.listening; i += 1) {
      if (i > 1000) throw new Error('listener did not close');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    release(false);
    await closed;
    const head = raw.slice(0, raw.indexOf('\r\n\r\n')).split('\r\n');
    expect(head[0]).toMatch(/^HTTP\/1\.1 403 /);
    expect(head.map((line) => line.toLowerCase())).toContain('connection: close');
    expect((await closing).drained).toBe(true);
  });
});
