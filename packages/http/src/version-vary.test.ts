import type { FastifyReply } from 'fastify';
import { describe, expect, it } from 'vitest';
import { Controller, Get, Post, Version } from './decorators.ts';
import { HttpException } from './exceptions.ts';
import { createHttpServer } from './http-server.ts';
import type { HttpServerOptions } from './options.ts';
import type { RouteContext } from './types.ts';
import { VERSION_NEUTRAL } from './types.ts';
import { appendVary } from './vary.ts';
import { versionVary } from './versioning.ts';
import type { VersioningOptions } from './versioning.ts';

@Controller('/cats')
class Cats {
  @Get('/')
  @Version('1')
  v1() {
    return { v: 1 };
  }

  @Get('/')
  @Version('2')
  v2(ctx: RouteContext) {
    ctx.reply.header('vary', 'Origin');
    return { v: 2 };
  }

  @Get('/ping')
  @Version(VERSION_NEUTRAL)
  ping() {
    return { pong: true };
  }

  @Post('/')
  @Version('1')
  create() {
    throw new HttpException(409, 'exists');
  }
}

function make(versioning: VersioningOptions, extra: HttpServerOptions = {}) {
  return createHttpServer({ logger: false, readinessPath: false, openapi: false, controllers: [Cats], versioning, ...extra });
}

describe('Vary under header-based versioning', () => {
  // Was: no Vary at all, so a shared cache stored the v1 answer for GET /cats and served it to v2 clients.
  it('header versioning names its header in Vary on versioned, neutral, error and 404 answers', async () => {
    const s = make({ type: 'header', header: 'X-Api-Version', defaultVersion: '1' });
    const answers = await Promise.all([
      s.app.inject({ url: '/cats', headers: { 'x-api-version': '1' } }),
      s.app.inject({ url: '/cats/ping' }),
      s.app.inject({ method: 'POST', url: '/cats', headers: { 'x-api-version': '1' } }),
      s.app.inject({ url: '/cats', headers: { 'x-api-version': '9' } }),
      s.app.inject({ url: '/nowhere' }),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 409, 404, 404]);
    for (const a of answers) expect(a.headers.vary).toBe('x-api-version');
  });

  it('media-type versioning varies on Accept', async () => {
    const s = make({ type: 'media-type' });
    const a = await s.app.inject({ url: '/cats', headers: { accept: 'application/vnd.acme.v1+json' } });
    expect([a.statusCode, a.headers.vary]).toEqual([200, 'accept']);
  });

  it("adds to the handler's own Vary instead of replacing it", async () => {
    const s = make({ type: 'header' });
    const a = await s.app.inject({ url: '/cats', headers: { 'x-api-version': '2' } });
    expect([a.statusCode, a.headers.vary]).toEqual([200, 'Origin, x-api-version']);
  });

  it('keeps one Vary with Accept-Encoding when the answer is compressed', async () => {
    const s = make({ type: 'header' }, { compression: { threshold: 0 } });
    const a = await s.app.inject({ url: '/cats', headers: { 'x-api-version': '1', 'accept-encoding': 'gzip' } });
    expect(a.headers['content-encoding']).toBe('gzip');
    expect(String(a.headers.vary).toLowerCase().split(', ').sort()).toEqual(['accept-encoding', 'x-api-version']);
  });

  it('custom versioning varies on the headers it names in `vary`, and on nothing without it', async () => {
    const extract = (req: { headers: Record<string, unknown> }) => (typeof req.headers['x-v'] === 'string' ? req.headers['x-v'] : undefined);
    const named = make({ type: 'custom', extract, vary: ['X-V', 'x-tenant'] });
    expect((await named.app.inject({ url: '/cats', headers: { 'x-v': '1' } })).headers.vary).toBe('x-v, x-tenant');
    const silent = make({ type: 'custom', extract });
    const a = await silent.app.inject({ url: '/cats', headers: { 'x-v': '1' } });
    expect([a.statusCode, a.headers.vary]).toEqual([200, undefined]);
  });

  it('URI versioning adds no Vary: the version is in the path', async () => {
    const s = make({ type: 'uri' });
    const a = await s.app.inject({ url: '/v1/cats' });
    expect([a.statusCode, a.headers.vary]).toEqual([200, undefined]);
  });
});

describe('versionVary', () => {
  it.each([
    [{ type: 'uri' }, undefined],
    [{ type: 'header' }, 'x-api-version'],
    [{ type: 'header', header: 'API-Version' }, 'api-version'],
    [{ type: 'media-type', vendor: 'acme' }, 'accept'],
    [{ type: 'custom', extract: () => undefined }, undefined],
    [{ type: 'custom', extract: () => undefined, vary: ['A', 'a', 'b'] }, 'a, b'],
  ] as [VersioningOptions, string | undefined][])('%j → %s', (options, expected) => {
    expect(versionVary(options)).toBe(expected);
  });

  it.each([
    [{ type: 'header', header: '' }, 'versioning header must be HTTP header names (RFC 9110 tokens), got ""'],
    [{ type: 'header', header: 'x api' }, 'versioning header must be HTTP header names (RFC 9110 tokens), got "x api"'],
    [{ type: 'header', header: 'x-v\r\nset-cookie: a=b' }, 'versioning header must be HTTP header names (RFC 9110 tokens), got "x-v\\r\\nset-cookie: a=b"'],
    [{ type: 'custom', extract: () => undefined, vary: [] }, 'versioning.vary must be a non-empty array of header names'],
    [{ type: 'custom', extract: () => undefined, vary: 'x-v' }, 'versioning.vary must be a non-empty array of header names'],
    [{ type: 'custom', extract: () => undefined, vary: ['x-v', 7] }, 'versioning vary must be HTTP header names (RFC 9110 tokens), got "7"'],
  ] as unknown as [VersioningOptions, string][])('refuses %j at construction', (versioning, message) => {
    expect(() => make(versioning)).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_OPTIONS', message }));
  });
});

describe('appendVary', () => {
  const replyWith = (vary: unknown) => {
    const headers: Record<string, unknown> = vary === undefined ? {} : { vary };
    const reply = {
      getHeader: (name: string) => headers[name],
      header: (name: string, value: unknown) => {
        headers[name] = value;
        return reply;
      },
    };
    return { reply: reply as unknown as FastifyReply, headers };
  };

  it.each([
    [undefined, 'x-api-version', 'x-api-version'],
    ['Origin', 'x-api-version', 'Origin, x-api-version'],
    ['X-API-Version', 'x-api-version', 'X-API-Version'],
    ['origin , X-Api-Version', 'x-api-version, accept', 'origin , X-Api-Version, accept'],
    ['*', 'accept', '*'],
    ['Origin, *', 'accept', 'Origin, *'],
    ['', 'accept', 'accept'],
    ['  ', 'x-a, x-b', 'x-a, x-b'],
    ['Origin', 'x-a, x-b', 'Origin, x-a, x-b'],
    [['Origin', 'Accept'], 'x-v', 'Origin,Accept, x-v'],
  ])('Vary %j + %s → %s', (prior, fields, expected) => {
    const { reply, headers } = replyWith(prior);
    appendVary(reply, fields);
    expect(headers.vary).toBe(expected);
  });

  it('leaves a Vary that already lists every field untouched', () => {
    const prior = ['Origin', 'Accept'];
    const { reply, headers } = replyWith(prior);
    appendVary(reply, 'accept');
    expect(headers.vary).toBe(prior);
  });
});
