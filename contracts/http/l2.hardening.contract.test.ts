/**
 * L2 contract of @rampart/http: hardening of documented behaviour. A throwing
 * custom version extractor, a hostile `Accept` header, a self-sent streamed
 * reply, clashes with built-in routes, graceful close of keep-alive
 * connections, repeated and early close(), response validation of text bodies,
 * registry titles and typed startup errors.
 */
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createHttpServer, defineController, defineRoute, HTTP_ERRORS, HttpException } from '@rampart/http';
import type { ExceptionFilter } from '@rampart/http';

const v1 = defineController({ version: '1', routes: [defineRoute({ method: 'GET', path: '/x', handler: () => ({ v: 1 }) })] });

describe('@rampart/http L2: versioning never takes the server down', () => {
  it('a custom extract() that throws means "no version": the default version answers, the message is not sent', async () => {
    const extract = (): string => {
      throw new Error('secret token=abc');
    };
    const server = createHttpServer({ logger: false, production: true, controllers: [v1], versioning: { type: 'custom', defaultVersion: '1', extract } });
    const ok = await server.app.inject('/x');
    expect([ok.statusCode, ok.json()]).toEqual([200, { v: 1 }]);
    const missing = await server.app.inject('/nope');
    expect([missing.statusCode, missing.json().code, missing.body.includes('secret')]).toEqual([404, 'HTTP_ERR_NOT_FOUND', false]);
    await server.close();
  });

  it('media-type versioning reads the first 1024 bytes of Accept and answers a 64 KiB hostile header with the default version', async () => {
    const server = createHttpServer({ logger: false, controllers: [v1, defineController({ version: '2', routes: [defineRoute({ method: 'GET', path: '/x', handler: () => ({ v: 2 }) })] })], versioning: { type: 'media-type', defaultVersion: '1' } });
    expect((await server.app.inject({ url: '/x', headers: { accept: 'vnd.'.repeat(16_384) } })).json()).toEqual({ v: 1 });
    expect((await server.app.inject({ url: '/x', headers: { accept: `application/vnd.acme.v2+json, ${'vnd.'.repeat(16_384)}` } })).json()).toEqual({ v: 2 });
    expect((await server.app.inject({ url: '/x', headers: { accept: `${'a'.repeat(1024)}, application/json;v=2` } })).json()).toEqual({ v: 1 });
    await server.close();
  });
});

describe('@rampart/http L2: replies a handler sends itself', () => {
  it('a streamed reply sent by the handler is kept (no 204), with or without compression', async () => {
    const stream = defineRoute({ method: 'GET', path: '/s', handler: (ctx) => void ctx.reply.type('text/plain').send(Readable.from(['hello ', 'world'])) });
    for (const compression of [false, undefined] as const) {
      const server = createHttpServer({ logger: false, port: 0, controllers: [defineController({ routes: [stream] })], ...(compression === false ? { compression } : {}) });
      const { url } = await server.listen();
      const res = await fetch(`${url}/s`);
      expect([res.status, await res.text()]).toEqual([200, 'hello world']);
      await server.close();
    }
  });
});

describe('@rampart/http L2: route clashes are startup errors', () => {
  it('a route on the readiness or OpenAPI path is HTTP_ERR_DUPLICATE_ROUTE unless the built-in route is disabled', () => {
    for (const path of ['/health/ready', '/openapi.json']) {
      const controllers = [defineController({ routes: [defineRoute({ method: 'GET', path, handler: () => 'mine' })] })];
      expect(() => createHttpServer({ logger: false, controllers })).toThrow(expect.objectContaining({ code: 'HTTP_ERR_DUPLICATE_ROUTE' }));
      expect(() => createHttpServer({ logger: false, controllers, readinessPath: false, openapi: false })).not.toThrow();
    }
  });

  it('a route Fastify refuses as a duplicate rejects listen() with HTTP_ERR_DUPLICATE_ROUTE', async () => {
    const server = createHttpServer({ logger: false, port: 0, controllers: [defineController({ routes: [defineRoute({ method: 'GET', path: '/x', handler: () => 'x' })] })] });
    server.app.get('/x', () => 'raw');
    await expect(server.listen()).rejects.toMatchObject({ code: 'HTTP_ERR_DUPLICATE_ROUTE' });
    await server.close();
  });
});

describe('@rampart/http L2: graceful close', () => {
  it('an in-flight keep-alive request gets Connection: close and close() drains without waiting for keepAliveTimeout', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const started = new Promise<void>((resolve) => (entered = resolve));
    const slow = defineRoute({ method: 'GET', path: '/slow', handler: async () => (entered(), await gate, { done: true }) });
    const server = createHttpServer({ logger: false, port: 0, drainTimeout: 3_000, timeouts: { keepAlive: 60_000 }, controllers: [defineController({ routes: [slow] })] });
    const { port } = await server.listen();
    const socket = connect(port, '127.0.0.1');
    let raw = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk));
    const socketClosed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('GET /slow HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\n\r\n');
    await started;
    const closing = server.close();
    expect(server.close()).toBe(closing);
    setTimeout(release, 20);
    expect(await closing).toEqual({ drained: true });
    await socketClosed;
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw.toLowerCase()).toContain('\r\nconnection: close\r\n');
  });

  it('close() during a pending listen() closes the server; that listen() rejects with HTTP_ERR_LISTEN_ABORTED', async () => {
    expect(HTTP_ERRORS.HTTP_ERR_LISTEN_ABORTED).toEqual({ status: 500, title: 'Listen Aborted', category: 'lifecycle' });
    const server = createHttpServer({ logger: false, port: 0 });
    const listening = server.listen();
    expect(await server.close()).toEqual({ drained: true });
    await expect(listening).rejects.toMatchObject({ code: 'HTTP_ERR_LISTEN_ABORTED' });
    expect([server.state, server.app.server.listening]).toEqual(['closed', false]);
  });
});

describe('@rampart/http L2: errors', () => {
  it('validateResponses checks text and Buffer bodies; the problem keeps the registry title', async () => {
    const response = { 200: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] } } as const;
    const routes = [
      defineRoute({ method: 'GET', path: '/text', schema: { response }, handler: () => 'db=prod' }),
      defineRoute({ method: 'GET', path: '/bytes', schema: { response }, handler: () => Buffer.from('raw') }),
    ];
    const server = createHttpServer({ logger: false, production: true, validateResponses: true, controllers: [defineController({ routes })] });
    for (const url of ['/text', '/bytes']) {
      const res = await server.app.inject(url);
      expect([res.statusCode, res.json().code, res.json().title, res.body.includes('db=prod')]).toEqual([500, 'HTTP_ERR_RESPONSE_VALIDATION', 'Response Validation Failed', false]);
    }
    await server.close();
  });

  it('a filter without catch() is HTTP_ERR_INVALID_CONTROLLER; an HttpException outside 400..599 is HTTP_ERR_INVALID_OPTIONS', () => {
    class NoCatch {}
    expect(() => createHttpServer({ logger: false, filters: [NoCatch as unknown as new () => ExceptionFilter] })).toThrow(
      expect.objectContaining({ code: 'HTTP_ERR_INVALID_CONTROLLER', message: 'Exception filter NoCatch has no catch() method' }),
    );
    expect(() => new HttpException(302)).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_OPTIONS' }));
  });
});
