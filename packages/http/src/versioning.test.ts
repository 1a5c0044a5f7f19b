import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { FakeClock } from '@rampart/mocks';
import { describe, expect, it, vi } from 'vitest';
import { Controller, Deprecated, Get, Version } from './decorators.ts';
import { defineController, defineRoute } from './define.ts';
import { deprecationHeaders } from './deprecation.ts';
import { createHttpServer } from './http-server.ts';
import type { HttpServerOptions } from './options.ts';
import { VERSION_NEUTRAL } from './types.ts';
import type { RouteContext } from './types.ts';
import type { VersioningOptions } from './versioning.ts';
import { isValidVersion, VERSION_CONSTRAINT, versionConstraint, versionExtractor } from './versioning.ts';

@Controller('/cats')
class Cats {
  @Get('/')
  @Version('1')
  v1() {
    return { v: 1 };
  }

  @Get('/')
  @Version(['2', '3'])
  v2(ctx: RouteContext) {
    return { v: ctx.version };
  }

  @Get('/ping')
  @Version(VERSION_NEUTRAL)
  ping(ctx: RouteContext) {
    return { pong: true, v: ctx.version ?? null };
  }

  @Get('/default')
  dflt() {
    return { dflt: true };
  }
}

const sunset = new Date('2030-01-01T00:00:00Z');
const since = new Date('2029-01-01T00:00:00Z');

function make(versioning: VersioningOptions, extra: HttpServerOptions = {}) {
  return createHttpServer({ logger: false, readinessPath: false, controllers: [Cats], versioning, ...extra });
}

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const unexpected = (error: unknown): never => {
  throw new Error('no extractor failure expected', { cause: error });
};

describe('versioning strategies', () => {
  it('header versioning passes its constraint through routerOptions: no Fastify deprecation warning', async () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const s = make({ type: 'header', defaultVersion: '1' });
      expect((await s.app.inject({ url: '/cats', headers: { 'x-api-version': '1' } })).json()).toEqual({ v: 1 });
      const codes = emit.mock.calls.map((call) => JSON.stringify(call));
      expect(codes.filter((text) => text.includes('FSTDEP'))).toEqual([]);
    } finally {
      emit.mockRestore();
    }
  });

  it('URI: /v1, /v2, neutral routes unprefixed, default version applied to unversioned routes', async () => {
    const s = make({ type: 'uri', defaultVersion: '1' });
    expect((await s.app.inject('/v1/cats')).json()).toEqual({ v: 1 });
    expect((await s.app.inject('/v3/cats')).json()).toEqual({ v: '3' });
    expect((await s.app.inject('/cats/ping')).json()).toEqual({ pong: true, v: null });
    expect((await s.app.inject('/v1/cats/default')).json()).toEqual({ dflt: true });
    expect((await s.app.inject('/v4/cats')).statusCode).toBe(404);
    expect(s.routes.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /v1/cats',
      'GET /v2/cats',
      'GET /v3/cats',
      'GET /cats/ping',
      'GET /v1/cats/default',
    ]);
    await s.close();
  });

  it('header: configurable name, default version when absent, neutral for any version', async () => {
    const s = make({ type: 'header', header: 'X-Version', defaultVersion: '1' });
    expect((await s.app.inject({ url: '/cats', headers: { 'x-version': '2' } })).json()).toEqual({ v: '2' });
    expect((await s.app.inject({ url: '/cats' })).json()).toEqual({ v: 1 });
    expect((await s.app.inject({ url: '/cats/ping', headers: { 'x-version': '3' } })).json()).toEqual({ pong: true, v: null });
    const missing = await s.app.inject({ url: '/cats', headers: { 'x-version': '9' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('HTTP_ERR_NOT_FOUND');
    await s.close();
  });

  it('media type: vnd form and ;v= parameter', async () => {
    const s = make({ type: 'media-type', vendor: 'acme', defaultVersion: '1' });
    expect((await s.app.inject({ url: '/cats', headers: { accept: 'application/vnd.acme.v2+json' } })).json()).toEqual({ v: '2' });
    expect((await s.app.inject({ url: '/cats', headers: { accept: 'application/json;v=3' } })).json()).toEqual({ v: '3' });
    expect((await s.app.inject({ url: '/cats', headers: { accept: 'application/vnd.other.v2+json' } })).json()).toEqual({ v: 1 });
    await s.close();
  });

  it('media type, any vendor: a vendor holding `.v` routes by the last `.v` segment', async () => {
    // Regression: `vnd.acme.vision.v2` was read as version `ision.v2`, which no route serves (404).
    const s = make({ type: 'media-type', defaultVersion: '1' });
    const res = await s.app.inject({ url: '/cats', headers: { accept: 'application/vnd.acme.vision.v2+json' } });
    expect([res.statusCode, res.json()]).toEqual([200, { v: '2' }]);
    expect((await s.app.inject({ url: '/cats', headers: { accept: 'application/vnd.acme.vision+json; v=3' } })).json()).toEqual({ v: '3' });
    await s.close();
  });

  it('custom extractor', async () => {
    const s = make({ type: 'custom', extract: (r) => new URL(r.url ?? '/', 'http://x').searchParams.get('api') ?? undefined });
    expect((await s.app.inject({ url: '/cats?api=2' })).json()).toEqual({ v: '2' });
    expect((await s.app.inject({ url: '/cats' })).statusCode).toBe(404);
    await s.close();
  });

  it('extractors reject malformed versions', () => {
    expect(versionExtractor({ type: 'header' })(req({ 'x-api-version': '2' }))).toBe('2');
    expect(versionExtractor({ type: 'header' })(req({ 'x-api-version': '../../etc' }))).toBeUndefined();
    expect(versionExtractor({ type: 'media-type', key: 'version' })(req({ accept: 'application/json; version=4' }))).toBe('4');
    expect(versionExtractor({ type: 'media-type' })(req({}))).toBeUndefined();
    expect(versionExtractor({ type: 'uri' })(req({ 'x-api-version': '2', accept: 'application/json;v=2' }))).toBeUndefined();
  });

  it('declaring a version without versioning is a startup error', () => {
    expect(() => createHttpServer({ logger: false, controllers: [Cats] })).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_CONTROLLER' }));
  });
});

describe('deprecation and sunset', () => {
  it('formats RFC 9745 / RFC 8594 headers', () => {
    expect(deprecationHeaders({ since, sunset, link: 'https://docs.example/migrate' })).toEqual({
      headers: {
        deprecation: '@1861920000',
        sunset: 'Tue, 01 Jan 2030 00:00:00 GMT',
        link: '<https://docs.example/migrate>; rel="deprecation"; type="text/html", <https://docs.example/migrate>; rel="sunset"; type="text/html"',
      },
      sunsetAt: sunset.getTime(),
      link: 'https://docs.example/migrate',
    });
    expect(deprecationHeaders({ since })).toEqual({ headers: { deprecation: '@1861920000' }, sunsetAt: undefined, link: undefined });
    expect(deprecationHeaders({ since, link: 'https://d' })?.headers).toEqual({ deprecation: '@1861920000', link: '<https://d>; rel="deprecation"; type="text/html"' });
    expect(deprecationHeaders(undefined)).toBeUndefined();
  });

  it('a deprecated version answers normally with headers, then 410 problem after its sunset', async () => {
    const clock = new FakeClock(Date.parse('2029-06-01T00:00:00Z'));
    const s = make({ type: 'uri', versions: { '1': { deprecated: { since, sunset, link: 'https://docs.example/v2' } } } }, { clock });
    const before = await s.app.inject({ url: '/v1/cats', headers: { 'x-request-id': 's1' } });
    expect(before.statusCode).toBe(200);
    expect(before.headers.deprecation).toBe('@1861920000');
    expect(before.headers.sunset).toBe('Tue, 01 Jan 2030 00:00:00 GMT');
    expect((await s.app.inject('/v2/cats')).headers.deprecation).toBeUndefined();
    clock.set(sunset.getTime());
    const after = await s.app.inject({ url: '/v1/cats', headers: { 'x-request-id': 's2' } });
    expect(after.statusCode).toBe(410);
    expect(after.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(after.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_GONE',
      title: 'Gone',
      status: 410,
      detail: 'This endpoint was retired on Tue, 01 Jan 2030 00:00:00 GMT',
      instance: '/v1/cats',
      code: 'HTTP_ERR_GONE',
      requestId: 's2',
      migration: 'https://docs.example/v2',
    });
    await s.close();
  });

  it('@Deprecated on a route', async () => {
    @Controller('/old')
    class Old {
      @Get('/')
      @Deprecated({ since })
      get() {
        return 'x';
      }
    }
    const s = createHttpServer({ logger: false, controllers: [Old] });
    const res = await s.app.inject('/old');
    expect(res.headers.deprecation).toBe('@1861920000');
    expect(res.headers.sunset).toBeUndefined();
    await s.close();
  });
});

describe('OpenAPI 3.1 per version', () => {
  it('serves one document per version with neutral routes in each', async () => {
    const s = make({ type: 'uri', defaultVersion: '1', versions: { '1': { deprecated: { since } } } }, { openapi: { path: '/docs', info: { title: 'Cats', version: '1.0.0' } } });
    const v1 = (await s.app.inject('/docs/v1.json')).json();
    expect(v1.openapi).toBe('3.1.0');
    expect(v1.info).toEqual({ title: 'Cats', version: '1.0.0 (v1)' });
    expect(Object.keys(v1.paths)).toEqual(['/v1/cats', '/cats/ping', '/v1/cats/default']);
    expect(v1.paths['/v1/cats'].get.deprecated).toBe(true);
    const v2 = (await s.app.inject('/docs/v2.json')).json();
    expect(Object.keys(v2.paths)).toEqual(['/v2/cats', '/cats/ping']);
    expect(v2.paths['/v2/cats'].get.responses.default.content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    await s.close();
  });

  it('describes params, query, headers, body and responses of an unversioned API', async () => {
    const route = defineRoute({
      method: 'POST',
      path: '/items/:id',
      summary: 'Create item',
      tags: ['items'],
      schema: {
        params: { type: 'object', properties: { id: { type: 'string' } } },
        querystring: { type: 'object', properties: { dry: { type: 'boolean' } }, required: ['dry'] },
        headers: { type: 'object', properties: { 'x-tenant': { type: 'string' } } },
        body: { type: 'object', properties: { name: { type: 'string' } } },
        response: { 201: { type: 'object', properties: { id: { type: 'string' } } } },
      },
      handler: (ctx) => ({ id: ctx.params.id }),
    });
    const s = createHttpServer({ logger: false, controllers: [defineController({ routes: [route] })] });
    const doc = (await s.app.inject('/openapi.json')).json();
    expect(doc.paths['/items/{id}'].post).toEqual({
      summary: 'Create item',
      tags: ['items'],
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'dry', in: 'query', required: true, schema: { type: 'boolean' } },
        { name: 'x-tenant', in: 'header', required: false, schema: { type: 'string' } },
      ],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } } },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } } } },
        default: { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
    });
    await s.close();
  });
});

describe('version extraction details', () => {
  it('accepts version labels of 1..32 characters from [A-Za-z0-9._-]', () => {
    expect([isValidVersion('1'), isValidVersion('2024-10-01'), isValidVersion('v2.1_beta'), isValidVersion('x'.repeat(32))]).toEqual([true, true, true, true]);
    expect([isValidVersion(''), isValidVersion('x'.repeat(33)), isValidVersion('1 2'), isValidVersion('1/2'), isValidVersion('a\n')]).toEqual([false, false, false, false, false]);
  });

  it('header: default name x-api-version, custom names matched case-insensitively', () => {
    expect(versionExtractor({ type: 'header' })(req({ 'x-version': '2' }))).toBeUndefined();
    expect(versionExtractor({ type: 'header', header: 'X-Version' })(req({ 'x-version': '2' }))).toBe('2');
  });

  it('media type: vendor is literal, matching is case-insensitive, any vendor without one', () => {
    const acme = versionExtractor({ type: 'media-type', vendor: 'ac.me' });
    expect(acme(req({ accept: 'application/vnd.ac.me.v2+json' }))).toBe('2');
    expect(acme(req({ accept: 'application/vnd.acxme.v2+json' }))).toBeUndefined();
    expect(acme(req({ accept: 'APPLICATION/VND.AC.ME.V7+JSON' }))).toBe('7');
    const any = versionExtractor({ type: 'media-type' });
    expect(any(req({ accept: 'application/vnd.other.v3+json' }))).toBe('3');
    expect(any(req({ accept: 'text/html, application/json;  v=4' }))).toBe('4');
    expect(any(req({ accept: 'application/json;version=4' }))).toBeUndefined();
    expect(any(req({ accept: 'application/json' }))).toBeUndefined();
    expect(versionExtractor({ type: 'media-type', key: 'api.v' })(req({ accept: 'application/json;apixv=4' }))).toBeUndefined();
  });

  it('custom: only well-formed strings count', () => {
    const values: unknown[] = ['2', 'bad version', 3, undefined];
    const extract = versionExtractor({ type: 'custom', extract: () => values.shift() as string | undefined });
    expect([extract(req({})), extract(req({})), extract(req({})), extract(req({}))]).toEqual(['2', undefined, undefined, undefined]);
  });

  it('the router constraint derives the requested version, falls back to defaultVersion, stores per version', () => {
    const strategy = versionConstraint({ type: 'header', defaultVersion: '1' }, unexpected);
    expect([strategy.name, strategy.mustMatchWhenDerived]).toEqual([VERSION_CONSTRAINT, false]);
    expect([strategy.deriveConstraint(req({ 'x-api-version': '3' })), strategy.deriveConstraint(req({}))]).toEqual(['3', '1']);
    expect(versionConstraint({ type: 'header' }, unexpected).deriveConstraint(req({}))).toBeUndefined();
    const store = strategy.storage<string>();
    store.set('2', 'two');
    expect([store.get('2'), store.get('3')]).toEqual(['two', null]);
  });
});

describe('a custom extract() that throws (regression: one request crashed the process)', () => {
  const secret = new Error('db password=hunter2');
  const extract = (r: IncomingMessage): string | undefined => {
    if (r.headers['x-tenant'] === 'boom') throw secret;
    return r.headers['x-tenant'] as string | undefined;
  };

  it('the constraint treats it as "no version": defaultVersion, and the error is reported', () => {
    const reported: unknown[] = [];
    const strategy = versionConstraint({ type: 'custom', defaultVersion: '1', extract }, (error) => void reported.push(error));
    expect([strategy.deriveConstraint(req({ 'x-tenant': 'boom' })), strategy.deriveConstraint(req({ 'x-tenant': '2' }))]).toEqual(['1', '2']);
    expect(reported).toEqual([secret]);
  });

  it('on a real socket the server survives: default-version route, 404 problem without the message, one warning per request', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        cb();
      },
    });
    const s = createHttpServer({
      logger: pino({ level: 'debug' }, stream),
      production: true,
      port: 0,
      readinessPath: false,
      controllers: [Cats],
      versioning: { type: 'custom', defaultVersion: '1', extract },
    });
    const { url } = await s.listen();
    const routed = await fetch(`${url}/cats`, { headers: { 'x-tenant': 'boom', 'x-request-id': 'b1' } });
    expect([routed.status, await routed.json()]).toEqual([200, { v: 1 }]);
    const missing = await fetch(`${url}/nope`, { headers: { 'x-tenant': 'boom', 'x-request-id': 'b2' } });
    expect(missing.status).toBe(404);
    const text = await missing.text();
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text)).toMatchObject({ code: 'HTTP_ERR_NOT_FOUND', requestId: 'b2' });
    // Still serving after both.
    expect((await fetch(`${url}/cats`, { headers: { 'x-tenant': '2' } })).status).toBe(200);
    const warnings = lines.filter((l) => l.msg === 'versioning extract() threw; the request falls back to the default version');
    expect(warnings.map((l) => [l.level, (l.err as { message: string }).message])).toEqual([
      [40, 'db password=hunter2'],
      [40, 'db password=hunter2'],
    ]);
    // The 404 path derives the version a second time (for the Allow header): logged at debug only.
    const again = lines.filter((l) => l.msg === 'versioning extract() threw again while listing allowed methods');
    expect(again.map((l) => [l.level, (l.err as { message: string }).message])).toEqual([[20, 'db password=hunter2']]);
    expect(await s.close()).toEqual({ drained: true });
  });

  it('without a defaultVersion only version-neutral routes answer', async () => {
    const s = make({ type: 'custom', extract }, { production: true });
    expect((await s.app.inject({ url: '/cats/ping', headers: { 'x-tenant': 'boom' } })).json()).toEqual({ pong: true, v: null });
    const res = await s.app.inject({ url: '/cats', headers: { 'x-tenant': 'boom' } });
    expect([res.statusCode, res.json().code, res.body.includes('hunter2')]).toEqual([404, 'HTTP_ERR_NOT_FOUND', false]);
    await s.close();
  });
});

describe('media-type versioning on hostile Accept headers (regression: quadratic regex)', () => {
  const hostile = [
    'vnd.'.repeat(16_384),
    'application/vnd.a.v1'.repeat(3277),
    `application/vnd.${'.v1'.repeat(21_845)}+json`,
    `application/vnd.${'a.v'.repeat(21_845)}+json`,
    ';v'.repeat(32_768),
  ];

  it.each(hostile.map((h, i) => [i, h] as const))('64 KiB header #%i is answered with the default version', async (_i, accept) => {
    expect(accept.length).toBeGreaterThanOrEqual(64 * 1024 - 8);
    const s = make({ type: 'media-type', defaultVersion: '1' });
    const res = await s.app.inject({ url: '/cats', headers: { accept } });
    expect([res.statusCode, res.json()]).toEqual([200, { v: 1 }]);
    await s.close();
  });

  it('a version in the first range of a long header is still read', async () => {
    const s = make({ type: 'media-type', defaultVersion: '1' });
    const res = await s.app.inject({ url: '/cats', headers: { accept: `application/vnd.acme.v2+json, ${'vnd.'.repeat(16_384)}` } });
    expect(res.json()).toEqual({ v: '2' });
    await s.close();
  });
});
