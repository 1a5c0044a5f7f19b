/**
 * L2 contract of @rampart/http: caches and content codings. Header and
 * media-type versioning name the header they route by in `Vary` on every
 * response (custom versioning the headers it lists in `vary`), added to the
 * handler's own `Vary`; a compressed JSON request body answers 415 with
 * `Accept-Encoding: identity`, and `refuseEncodedBody` gives a parser of your
 * own the same answer.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createHttpServer, defineController, defineRoute, refuseEncodedBody } from '@rampart/http';
import type { HttpServerOptions } from '@rampart/http';

const routes = defineController({
  routes: [
    defineRoute({ method: 'GET', path: '/cats', version: '1', handler: () => ({ v: 1 }) }),
    defineRoute({ method: 'GET', path: '/cats', version: '2', handler: (ctx) => void ctx.reply.header('vary', 'Origin').send({ v: 2 }) }),
  ],
});
const make = (options: HttpServerOptions) => createHttpServer({ logger: false, readinessPath: false, openapi: false, controllers: [routes], ...options });

describe('@rampart/http L2: Vary under versioning', () => {
  it('header versioning: each answer of a versioned URL, and the 404 of an unserved version, varies on the header', async () => {
    const server = make({ versioning: { type: 'header', header: 'Api-Version', defaultVersion: '1' } });
    const v1 = await server.app.inject({ url: '/cats', headers: { 'api-version': '1' } });
    const v2 = await server.app.inject({ url: '/cats', headers: { 'api-version': '2' } });
    const v7 = await server.app.inject({ url: '/cats', headers: { 'api-version': '7' } });
    expect([v1.statusCode, v1.json(), v1.headers.vary]).toEqual([200, { v: 1 }, 'api-version']);
    expect([v2.statusCode, v2.json(), v2.headers.vary]).toEqual([200, { v: 2 }, 'Origin, api-version']);
    expect([v7.statusCode, v7.headers.vary]).toEqual([404, 'api-version']);
    await server.close();
  });

  it('media-type versioning varies on Accept; custom on its `vary` list; URI versioning on nothing', async () => {
    const media = make({ versioning: { type: 'media-type', defaultVersion: '1' } });
    expect((await media.app.inject({ url: '/cats', headers: { accept: 'application/json;v=2' } })).headers.vary).toBe('Origin, accept');
    const custom = make({ versioning: { type: 'custom', defaultVersion: '1', extract: (req) => req.headers['x-v'] as string | undefined, vary: ['X-V'] } });
    expect((await custom.app.inject({ url: '/cats', headers: { 'x-v': '1' } })).headers.vary).toBe('x-v');
    const uri = make({ versioning: { type: 'uri' } });
    const res = await uri.app.inject({ url: '/v1/cats' });
    expect([res.statusCode, res.headers.vary]).toEqual([200, undefined]);
    await Promise.all([media.close(), custom.close(), uri.close()]);
  });

  it('a versioning header name that is not an HTTP token is refused at construction', () => {
    expect(() => make({ versioning: { type: 'header', header: 'api version' } })).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_OPTIONS' }));
    expect(() => make({ versioning: { type: 'custom', extract: () => undefined, vary: [] } })).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_OPTIONS' }));
  });
});

describe('@rampart/http L2: compressed request bodies', () => {
  it('a gzip JSON body answers 415 HTTP_ERR_UNSUPPORTED_MEDIA_TYPE with Accept-Encoding: identity; identity is parsed', async () => {
    const server = createHttpServer({ logger: false, controllers: [defineController({ routes: [defineRoute({ method: 'POST', path: '/echo', handler: (ctx) => ({ got: ctx.body }) })] })] });
    const gz = await server.app.inject({ method: 'POST', url: '/echo', payload: gzipSync('{"a":1}'), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    expect([gz.statusCode, gz.json().code, gz.headers['accept-encoding']]).toEqual([415, 'HTTP_ERR_UNSUPPORTED_MEDIA_TYPE', 'identity']);
    const plain = await server.app.inject({ method: 'POST', url: '/echo', payload: '{"a":1}', headers: { 'content-type': 'application/json', 'content-encoding': 'identity' } });
    expect([plain.statusCode, plain.json()]).toEqual([201, { got: { a: 1 } }]);
    await server.close();
  });

  it('refuseEncodedBody throws the same 415 for any coding but identity', () => {
    expect(() => refuseEncodedBody({ 'content-encoding': 'br' })).toThrow(expect.objectContaining({ status: 415, code: 'HTTP_ERR_UNSUPPORTED_MEDIA_TYPE', headers: { 'accept-encoding': 'identity' } }));
    expect(() => refuseEncodedBody({})).not.toThrow();
    expect(() => refuseEncodedBody({ 'content-encoding': 'identity' })).not.toThrow();
  });
});
