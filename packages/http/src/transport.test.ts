import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { defineController, defineRoute } from './define.ts';
import { createHttpServer } from './http-server.ts';
import type { HttpServerOptions } from './options.ts';
import { resolveOptions } from './options.ts';
import { isValidRequestId, requestIdGenerator } from './request-id.ts';

const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item-${i}` })) };
const routes = defineController({
  routes: [
    defineRoute({ method: 'GET', path: '/big', handler: () => big }),
    defineRoute({ method: 'GET', path: '/small', handler: () => ({ ok: true }) }),
    defineRoute({
      method: 'GET',
      path: '/png',
      handler: (ctx) => ctx.reply.type('image/png').send(Buffer.alloc(4096, 7)),
    }),
    defineRoute({ method: 'POST', path: '/echo', handler: (ctx) => ctx.body }),
    defineRoute({
      method: 'GET',
      path: '/shape',
      schema: { response: { 200: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } } },
      handler: (ctx) => (ctx.query.bad === '1' ? { m: 1 } : { n: 1 }),
    }),
  ],
});

function make(options: HttpServerOptions = {}) {
  return createHttpServer({ logger: false, controllers: [routes], ...options });
}

describe('compression', () => {
  it('negotiates brotli and gzip above the threshold, leaves small and already-compressed bodies alone', async () => {
    const s = make();
    const br = await s.app.inject({ url: '/big', headers: { 'accept-encoding': 'br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(big);
    const gz = await s.app.inject({ url: '/big', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(big);
    expect((await s.app.inject({ url: '/small', headers: { 'accept-encoding': 'gzip' } })).headers['content-encoding']).toBeUndefined();
    expect((await s.app.inject({ url: '/png', headers: { 'accept-encoding': 'gzip' } })).headers['content-encoding']).toBeUndefined();
    await s.close();
  });

  it('honours threshold and encodings options', async () => {
    const s = make({ compression: { threshold: 0, encodings: ['gzip'] } });
    const small = await s.app.inject({ url: '/small', headers: { 'accept-encoding': 'gzip' } });
    expect([small.headers['content-encoding'], JSON.parse(gunzipSync(small.rawPayload).toString())]).toEqual(['gzip', { ok: true }]);
    expect((await s.app.inject({ url: '/big', headers: { 'accept-encoding': 'br' } })).headers['content-encoding']).toBeUndefined();
    await s.close();
  });

  it('offers zstd when the runtime has it and can be disabled', async () => {
    const s = make();
    const zstd = await s.app.inject({ url: '/big', headers: { 'accept-encoding': 'zstd' } });
    expect(zstd.headers['content-encoding']).toBe(typeof process.versions.zstd === 'string' ? 'zstd' : undefined);
    await s.close();
    const off = make({ compression: false });
    expect((await off.app.inject({ url: '/big', headers: { 'accept-encoding': 'gzip' } })).headers['content-encoding']).toBeUndefined();
    await off.close();
  });
});

describe('limits and parsing', () => {
  it('oversized bodies answer 413 problem+json', async () => {
    const s = make({ bodyLimit: 64 });
    const res = await s.app.inject({ method: 'POST', url: '/echo', payload: { x: 'y'.repeat(100) }, headers: { 'x-request-id': 'big' } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_PAYLOAD_TOO_LARGE',
      title: 'Payload Too Large',
      status: 413,
      detail: 'Request body is too large',
      instance: '/echo',
      code: 'HTTP_ERR_PAYLOAD_TOO_LARGE',
      requestId: 'big',
    });
    await s.close();
  });

  it('malformed JSON and unsupported media types have their own codes', async () => {
    const s = make();
    const bad = await s.app.inject({ method: 'POST', url: '/echo', payload: '{"a":', headers: { 'content-type': 'application/json' } });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'HTTP_ERR_MALFORMED_JSON']);
    const xml = await s.app.inject({ method: 'POST', url: '/echo', payload: '<a/>', headers: { 'content-type': 'application/xml' } });
    expect([xml.statusCode, xml.json().code]).toEqual([415, 'HTTP_ERR_UNSUPPORTED_MEDIA_TYPE']);
    await s.close();
  });

  it('validates responses against schema.response when enabled', async () => {
    const s = make({ validateResponses: true, production: true });
    expect((await s.app.inject('/shape')).json()).toEqual({ n: 1 });
    const bad = await s.app.inject({ url: '/shape?bad=1', headers: { 'x-request-id': 'rv' } });
    expect(bad.statusCode).toBe(500);
    expect(bad.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_RESPONSE_VALIDATION',
      title: 'Response Validation Failed',
      status: 500,
      detail: 'An unexpected error occurred.',
      instance: '/shape',
      code: 'HTTP_ERR_RESPONSE_VALIDATION',
      requestId: 'rv',
    });
    await s.close();
  });
});

describe('request ids', () => {
  it('accepts short token ids, replaces anything else', () => {
    expect(isValidRequestId('a1:b2.c3_d-4')).toBe(true);
    expect(isValidRequestId('x'.repeat(128))).toBe(true);
    expect(isValidRequestId('x'.repeat(129))).toBe(false);
    expect(isValidRequestId('')).toBe(false);
    expect(isValidRequestId('a b')).toBe(false);
    expect(isValidRequestId(['a'])).toBe(false);
    const gen = requestIdGenerator('X-Request-Id', () => 'fresh');
    expect(gen({ headers: { 'x-request-id': 'ok-1' } })).toBe('ok-1');
    expect(gen({ headers: { 'x-request-id': '"><script>' } })).toBe('fresh');
    expect(gen({ headers: {} })).toBe('fresh');
  });

  it('generates a UUID when none is sent and echoes it on 404s too', async () => {
    const s = make({ requestIdHeader: 'X-Correlation-Id' });
    const res = await s.app.inject('/nope');
    const id = res.headers['x-correlation-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_NOT_FOUND',
      title: 'Not Found',
      status: 404,
      detail: 'No route for GET /nope',
      instance: '/nope',
      code: 'HTTP_ERR_NOT_FOUND',
      requestId: id,
    });
    await s.close();
  });
});

describe('options', () => {
  it('applies defaults', () => {
    const o = resolveOptions({});
    expect([o.host, o.port, o.bodyLimit, o.requestIdHeader, o.problemTypeBase, o.drainTimeout]).toEqual([
      '127.0.0.1',
      3000,
      1048576,
      'x-request-id',
      'urn:rampart:problem:',
      10000,
    ]);
    expect(o.timeouts).toEqual({ headers: 10000, request: 30000, keepAlive: 5000, checkInterval: 1000 });
    expect(o.compression).toMatchObject({ threshold: 1024, brotliQuality: 4 });
  });

  it.each([
    [{ bodyLimit: 0 }, 'bodyLimit must be a positive integer, got 0'],
    [{ port: -1 }, 'port must be a non-negative integer, got -1'],
    [{ timeouts: { headers: 1.5 } }, 'timeouts.headers must be a positive integer, got 1.5'],
    [{ timeouts: { headers: 5000, request: 1000 } }, 'timeouts.headers must not exceed timeouts.request'],
    [{ compression: { brotliQuality: 12 } }, 'compression.brotliQuality must be 0..11, got 12'],
  ] as [HttpServerOptions, string][])('rejects %j', (options, message) => {
    expect(() => resolveOptions(options)).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_OPTIONS', message }));
  });
});
