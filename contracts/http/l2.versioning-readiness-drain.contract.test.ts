/**
 * L2 contract of @rampart/http: media-type versioning reads the version after
 * the last `.v` of a vendor media type (a vendor may hold `v`, dots and `.v`),
 * an explicit parameter winning within a media range; a readiness check that
 * throws or rejects answers 503 with the problem document and never its
 * message; the built-in routes say `Connection: close` during the drain like
 * every other response; an OpenAPI document expands `params`, `querystring`
 * and `headers` schemas that `$ref` an `addSchema()` schema into `parameters`.
 * Locked: never modified, only added to.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CONTENT_TYPE, createHttpServer, defineController, defineRoute } from '@rampart/http';
import type { HttpServer, HttpServerOptions } from '@rampart/http';

const cats = defineController({
  routes: [
    defineRoute({ method: 'GET', path: '/cats', version: '1', handler: () => ({ v: 1 }) }),
    defineRoute({ method: 'GET', path: '/cats', version: '2', handler: () => ({ v: 2 }) }),
  ],
});
const versioned = (versioning: HttpServerOptions['versioning']) => createHttpServer({ logger: false, readinessPath: false, openapi: false, controllers: [cats], versioning });

/** GET `path` on a keep-alive socket; close() starts once `started` resolved, then `release()`. */
async function getWhileDraining(server: HttpServer, path: string, started: Promise<void>, release: () => void) {
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
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).split('\r\n');
  return { status: Number(head[0]?.split(' ')[1]), closes: head.some((line) => line.toLowerCase() === 'connection: close'), drained: (await closing).drained };
}

const drainOptions = { logger: false, port: 0, drainTimeout: 3_000, timeouts: { keepAlive: 60_000 }, compression: false } as const;

describe('@rampart/http L2: media-type versioning with vendors holding `.v`', () => {
  it('any vendor: the version is what follows the last `.v`', async () => {
    const server = versioned({ type: 'media-type', defaultVersion: '1' });
    const answers = [];
    for (const accept of ['application/vnd.acme.vision.v2+json', 'application/vnd.dev.v2+json', 'application/vnd.acme2.vendor9.v2+json', 'application/vnd.acme.v1.v2+json']) {
      const res = await server.app.inject({ url: '/cats', headers: { accept } });
      answers.push([res.statusCode, res.json()]);
    }
    expect(answers).toEqual(Array.from({ length: 4 }, () => [200, { v: 2 }]));
    await server.close();
  });

  it('a configured vendor matches itself only, not a longer vendor holding `.v`; a parameter wins within a media range', async () => {
    const acme = versioned({ type: 'media-type', vendor: 'acme', defaultVersion: '1' });
    const vision = versioned({ type: 'media-type', vendor: 'acme.vision', defaultVersion: '1' });
    const answers = [];
    for (const [server, accept] of [
      [vision, 'application/vnd.acme.vision.v2+json'],
      [vision, 'application/vnd.acme.v2+json'],
      [acme, 'application/vnd.acme.v2+json'],
      [acme, 'application/vnd.acme.vision.v2+json'],
      [acme, 'application/vnd.acme.vision+json; v=2'],
    ] as const) {
      const res = await server.app.inject({ url: '/cats', headers: { accept } });
      answers.push([res.statusCode, res.json()]);
    }
    expect(answers).toEqual([
      [200, { v: 2 }],
      [200, { v: 1 }],
      [200, { v: 2 }],
      [200, { v: 1 }],
      [200, { v: 2 }],
    ]);
    await acme.close();
    await vision.close();
  });
});

describe('@rampart/http L2: a readiness check that fails', () => {
  it('a check that throws or rejects answers 503 HTTP_ERR_SERVICE_UNAVAILABLE without its message', async () => {
    const failing = [
      () => {
        throw new Error('db password is hunter2');
      },
      () => Promise.reject(new Error('db password is hunter2')),
    ];
    for (const readinessCheck of failing) {
      const server = createHttpServer({ logger: false, port: 0, production: false, readinessCheck });
      await server.listen();
      const res = await server.app.inject({ url: '/health/ready', headers: { 'x-request-id': 'probe-1' } });
      expect([res.statusCode, res.headers['content-type']]).toEqual([503, PROBLEM_CONTENT_TYPE]);
      expect(res.json()).toEqual({
        type: 'urn:rampart:problem:HTTP_ERR_SERVICE_UNAVAILABLE',
        title: 'Service Unavailable',
        status: 503,
        detail: 'A required dependency is not ready',
        instance: '/health/ready',
        code: 'HTTP_ERR_SERVICE_UNAVAILABLE',
        requestId: 'probe-1',
      });
      await server.close();
    }
  });
});

describe('@rampart/http L2: built-in routes during the drain', () => {
  it('the OpenAPI document in flight when close() began says Connection: close', async () => {
    let entered!: () => void;
    const started = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const server = createHttpServer(drainOptions);
    server.app.addHook('onRequest', async () => {
      entered();
      await released;
    });
    expect(await getWhileDraining(server, '/openapi.json', started, release)).toEqual({ status: 200, closes: true, drained: true });
  });

  it('a readiness probe whose check passes after close() began answers 503 with Connection: close', async () => {
    let entered!: () => void;
    const started = new Promise<void>((resolve) => (entered = resolve));
    let release!: (ready: boolean) => void;
    const checked = new Promise<boolean>((resolve) => (release = resolve));
    const server = createHttpServer({ ...drainOptions, readinessCheck: () => (entered(), checked) });
    expect(await getWhileDraining(server, '/health/ready', started, () => release(true))).toEqual({ status: 503, closes: true, drained: true });
  });
});

describe('@rampart/http L2: OpenAPI parameters from shared schemas', () => {
  it('params, querystring and headers that $ref an addSchema() schema are expanded into parameters', async () => {
    const route = defineRoute({ method: 'GET', path: '/users/:id', schema: { params: { $ref: 'UserParams#' }, querystring: { $ref: 'UserQuery#' }, headers: { $ref: 'UserHeaders#' } }, handler: () => ({}) });
    const server = createHttpServer({ logger: false, readinessPath: false, controllers: [defineController({ routes: [route] })] });
    server.app.addSchema({ $id: 'UserParams', type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] });
    server.app.addSchema({ $id: 'UserQuery', type: 'object', properties: { fields: { type: 'string' } } });
    server.app.addSchema({ $id: 'UserHeaders', type: 'object', properties: { 'x-tenant': { type: 'string' } }, required: ['x-tenant'] });
    const doc = (await server.app.inject('/openapi.json')).json();
    expect(doc.paths['/users/{id}'].get.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
      { name: 'fields', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'x-tenant', in: 'header', required: true, schema: { type: 'string' } },
    ]);
    await server.close();
  });
});
