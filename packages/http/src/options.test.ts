import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultEncodings, resolveOptions } from './options.ts';
import type { HttpServerOptions } from './options.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('resolveOptions defaults', () => {
  it('fills every documented default', () => {
    vi.stubEnv('NODE_ENV', 'test');
    const o = resolveOptions({});
    expect({ ...o, instantiate: undefined, readinessCheck: undefined }).toEqual({
      controllers: [],
      instantiate: undefined,
      host: '127.0.0.1',
      port: 3000,
      logger: { level: 'info' },
      production: false,
      requestIdHeader: 'x-request-id',
      problemTypeBase: 'urn:rampart:problem:',
      bodyLimit: 1048576,
      timeouts: { headers: 10000, request: 30000, keepAlive: 5000, checkInterval: 1000 },
      compression: { threshold: 1024, brotliQuality: 4, encodings: defaultEncodings() },
      versioning: undefined,
      openapi: { path: '/openapi', info: { title: 'API', version: '1.0.0' } },
      validateResponses: false,
      guards: [],
      interceptors: [],
      filters: [],
      hooks: {},
      readinessPath: '/health/ready',
      drainTimeout: 10000,
      readinessGrace: 0,
      clock: Date,
      trustProxy: undefined,
      requestScope: undefined,
      readinessCheck: undefined,
    });
    expect(o.readinessCheck()).toBe(true);
    class Made {}
    expect(o.instantiate(Made)).toBeInstanceOf(Made);
  });

  it('production follows NODE_ENV unless set', () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect([resolveOptions({}).production, resolveOptions({ production: false }).production]).toEqual([true, false]);
  });

  it('keeps given values: lower-cased request id header, OpenAPI path and info, compression', () => {
    const info = { title: 'Shop', version: '2.0.0' };
    const o = resolveOptions({ requestIdHeader: 'X-Trace-Id', openapi: { path: '/docs', info }, compression: { threshold: 0, brotliQuality: 11, encodings: ['gzip'] } });
    expect([o.requestIdHeader, o.openapi, o.compression]).toEqual(['x-trace-id', { path: '/docs', info }, { threshold: 0, brotliQuality: 11, encodings: ['gzip'] }]);
    expect([resolveOptions({ openapi: { path: '/d' } }).openapi, resolveOptions({ openapi: false }).openapi]).toEqual([
      { path: '/d', info: { title: 'API', version: '1.0.0' } },
      false,
    ]);
    expect(resolveOptions({ compression: false }).compression).toBe(false);
  });

  it('offers zstd first only when the runtime has it', () => {
    expect(defaultEncodings({ zstd: '1.5.6' })).toEqual(['zstd', 'br', 'gzip', 'deflate']);
    expect(defaultEncodings({})).toEqual(['br', 'gzip', 'deflate']);
    expect(defaultEncodings()).toEqual(typeof process.versions.zstd === 'string' ? ['zstd', 'br', 'gzip', 'deflate'] : ['br', 'gzip', 'deflate']);
  });
});

describe('resolveOptions boundaries', () => {
  it.each([
    [{ port: 0 }, 'port', 0],
    [{ readinessGrace: 0 }, 'readinessGrace', 0],
    [{ bodyLimit: 1 }, 'bodyLimit', 1],
    [{ drainTimeout: 1 }, 'drainTimeout', 1],
  ] as [HttpServerOptions, keyof HttpServerOptions, number][])('accepts %j', (options, key, value) => {
    expect(resolveOptions(options)[key]).toBe(value);
  });

  it('accepts equal header and request timeouts and brotli quality 0', () => {
    expect(resolveOptions({ timeouts: { headers: 1000, request: 1000 } }).timeouts).toMatchObject({ headers: 1000, request: 1000 });
    expect(resolveOptions({ timeouts: { headers: 30000 } }).timeouts.headers).toBe(30000);
    expect(resolveOptions({ compression: { brotliQuality: 0 } }).compression).toMatchObject({ brotliQuality: 0 });
  });

  it.each([
    [{ drainTimeout: 0 }, 'drainTimeout must be a positive integer, got 0'],
    [{ readinessGrace: -1 }, 'readinessGrace must be a non-negative integer, got -1'],
    [{ timeouts: { keepAlive: 0 } }, 'timeouts.keepAlive must be a positive integer, got 0'],
    [{ timeouts: { checkInterval: Number.NaN } }, 'timeouts.checkInterval must be a positive integer, got NaN'],
    [{ timeouts: { request: 0, headers: 0 } }, 'timeouts.headers must be a positive integer, got 0'],
    [{ timeouts: { headers: 30001 } }, 'timeouts.headers must not exceed timeouts.request'],
    [{ timeouts: { request: 9999 } }, 'timeouts.headers must not exceed timeouts.request'],
    [{ compression: { threshold: -1 } }, 'compression.threshold must be a non-negative integer, got -1'],
    [{ compression: { brotliQuality: -1 } }, 'compression.brotliQuality must be a non-negative integer, got -1'],
  ] as [HttpServerOptions, string][])('rejects %j', (options, message) => {
    expect(() => resolveOptions(options)).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_OPTIONS', message }));
  });
});
