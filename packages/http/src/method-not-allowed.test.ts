import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { defineController, defineRoute } from './define.ts';
import { createHttpServer } from './http-server.ts';
import type { HttpServer } from './http-server.ts';
import type { HttpServerOptions } from './options.ts';
import { VERSION_NEUTRAL } from './types.ts';
import type { VersioningOptions } from './versioning.ts';

const items = defineController({
  path: '/items',
  routes: [
    defineRoute({ method: 'GET', handler: () => [] }),
    defineRoute({ method: 'POST', handler: () => ({ created: true }) }),
    defineRoute({ method: 'GET', path: '/:id', handler: (ctx) => ({ id: ctx.params.id }) }),
    defineRoute({ method: 'DELETE', path: '/:id', handler: () => undefined }),
    defineRoute({ method: 'GET', path: '/hidden/:id', handler: (ctx) => ctx.reply.callNotFound() }),
  ],
});

function server(extra: HttpServerOptions = {}): HttpServer {
  return createHttpServer({ logger: false, controllers: [items], ...extra });
}

function problem405(method: string, path: string, id: string) {
  return {
    type: 'urn:rampart:problem:HTTP_ERR_METHOD_NOT_ALLOWED',
    title: 'Method Not Allowed',
    status: 405,
    detail: `${method} is not allowed for ${path}`,
    instance: path,
    code: 'HTTP_ERR_METHOD_NOT_ALLOWED',
    requestId: id,
  };
}

describe('405 Method Not Allowed (RFC 9110 §15.5.6)', () => {
  it('answers a known path with another method 405 problem+json, Allow listing the path methods', async () => {
    const s = server();
    const res = await s.app.inject({ method: 'PUT', url: '/items', headers: { 'x-request-id': 'm1' } });
    expect(res.statusCode).toBe(405);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    expect(res.headers['x-request-id']).toBe('m1');
    expect(res.json()).toEqual(problem405('PUT', '/items', 'm1'));
    await s.close();
  });

  it('matches parametric paths and leaves the query string out of detail and instance', async () => {
    const s = server();
    const res = await s.app.inject({ method: 'PATCH', url: '/items/7?token=secret', headers: { 'x-request-id': 'm2' } });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, DELETE');
    expect(res.json()).toEqual(problem405('PATCH', '/items/7', 'm2'));
    await s.close();
  });

  it('covers the built-in probe and OpenAPI routes', async () => {
    const s = server();
    const ready = await s.app.inject({ method: 'POST', url: '/health/ready' });
    expect([ready.statusCode, ready.headers.allow]).toEqual([405, 'GET, HEAD']);
    const doc = await s.app.inject({ method: 'DELETE', url: '/openapi.json' });
    expect([doc.statusCode, doc.headers.allow]).toEqual([405, 'GET, HEAD']);
    await s.close();
  });

  it('keeps unknown paths and parameters over maxParamLength (414 for GET) 404 without Allow', async () => {
    const s = server();
    for (const url of ['/nowhere', '/items/7/more', `/items/${'x'.repeat(101)}`]) {
      const res = await s.app.inject({ method: 'PUT', url, headers: { 'x-request-id': 'n1' } });
      expect(res.statusCode).toBe(404);
      expect(res.headers.allow).toBeUndefined();
      expect(res.json()).toMatchObject({ code: 'HTTP_ERR_NOT_FOUND', detail: `No route for PUT ${url}` });
    }
    await s.close();
  });

  it('keeps a handler calling reply.callNotFound() a 404 (its own method is routable)', async () => {
    const s = server();
    const res = await s.app.inject({ method: 'GET', url: '/items/hidden/3', headers: { 'x-request-id': 'n2' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers.allow).toBeUndefined();
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_NOT_FOUND',
      title: 'Not Found',
      status: 404,
      detail: 'No route for GET /items/hidden/3',
      instance: '/items/hidden/3',
      code: 'HTTP_ERR_NOT_FOUND',
      requestId: 'n2',
    });
    await s.close();
  });

  it('answers 405 through a real socket (supertest)', async () => {
    const s = server({ port: 0 });
    const { url } = await s.listen();
    const res = await request(url).delete('/items').set('X-Request-Id', 'sock-1').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toEqual(problem405('DELETE', '/items', 'sock-1'));
    await s.close();
  });
});

const cats = defineController({
  path: '/cats',
  routes: [
    defineRoute({ method: 'GET', version: '1', handler: () => ({ v: 1 }) }),
    defineRoute({ method: 'PUT', version: '2', handler: () => ({ v: 2 }) }),
    defineRoute({ method: 'GET', path: '/ping', version: VERSION_NEUTRAL, handler: () => ({ pong: true }) }),
  ],
});

function versioned(versioning: VersioningOptions): HttpServer {
  return createHttpServer({ logger: false, openapi: false, readinessPath: false, controllers: [cats], versioning });
}

async function answer(s: HttpServer, method: 'POST' | 'PUT' | 'GET', url: string, headers: Record<string, string> = {}) {
  const res = await s.app.inject({ method, url, headers });
  return [res.statusCode, res.headers.allow ?? null];
}

describe('405 per API version', () => {
  it('URI: the allowed methods are those of the version in the path', async () => {
    const s = versioned({ type: 'uri' });
    expect(await answer(s, 'POST', '/v1/cats')).toEqual([405, 'GET, HEAD']);
    expect(await answer(s, 'POST', '/v2/cats')).toEqual([405, 'PUT']);
    expect(await answer(s, 'POST', '/v3/cats')).toEqual([404, null]);
    expect(await answer(s, 'POST', '/cats/ping')).toEqual([405, 'GET, HEAD']);
    await s.close();
  });

  it('header: the allowed methods are those of the requested version, neutral routes for any version', async () => {
    const s = versioned({ type: 'header', defaultVersion: '1' });
    expect(await answer(s, 'POST', '/cats', { 'x-api-version': '1' })).toEqual([405, 'GET, HEAD']);
    expect(await answer(s, 'POST', '/cats', { 'x-api-version': '2' })).toEqual([405, 'PUT']);
    expect(await answer(s, 'POST', '/cats')).toEqual([405, 'GET, HEAD']);
    expect(await answer(s, 'GET', '/cats', { 'x-api-version': '2' })).toEqual([405, 'PUT']);
    expect(await answer(s, 'POST', '/cats', { 'x-api-version': '3' })).toEqual([404, null]);
    expect(await answer(s, 'POST', '/cats/ping', { 'x-api-version': '3' })).toEqual([405, 'GET, HEAD']);
    await s.close();
  });

  it('header without a default: a request naming no version sees only version-neutral routes', async () => {
    const s = versioned({ type: 'header' });
    expect(await answer(s, 'POST', '/cats')).toEqual([404, null]);
    expect(await answer(s, 'POST', '/cats/ping')).toEqual([405, 'GET, HEAD']);
    await s.close();
  });

  it('media-type: the version comes from Accept', async () => {
    const s = versioned({ type: 'media-type', vendor: 'acme' });
    expect(await answer(s, 'POST', '/cats', { accept: 'application/vnd.acme.v2+json' })).toEqual([405, 'PUT']);
    expect(await answer(s, 'POST', '/cats', { accept: 'application/json;v=1' })).toEqual([405, 'GET, HEAD']);
    await s.close();
  });

  it('custom: the version comes from the extractor', async () => {
    const extract = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://x').searchParams.get('api') ?? undefined;
    const s = versioned({ type: 'custom', extract });
    expect(await answer(s, 'POST', '/cats?api=2')).toEqual([405, 'PUT']);
    expect(await answer(s, 'PUT', '/cats?api=1')).toEqual([405, 'GET, HEAD']);
    await s.close();
  });
});
