/**
 * Wiring between the HTTP server and what it is handed: the request id that
 * reaches core's request scope, the shutdown signals HttpModule listens to,
 * and the brotli quality given to the compression plugin.
 */
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from 'node:zlib';
import { createApp } from '@rampart/core';
import type { Application } from '@rampart/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineController, defineRoute } from './define.ts';
import { HTTP_SERVER, HttpModule } from './http-module.ts';
import { createHttpServer } from './http-server.ts';
import type { HttpServer } from './http-server.ts';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child() { return quiet; } };

let running: Application | undefined;
afterEach(async () => {
  // A failed assertion must not leave a started app (and its signal listeners) behind.
  if (running?.state === 'started') await running.stop();
  running = undefined;
});

describe('HttpModule hands the request id to core request scope', () => {
  it('app.currentRequestId() inside a handler is the id the response carries, generated or incoming', async () => {
    const probe = defineController({
      routes: [
        defineRoute({
          method: 'GET',
          path: '/scope',
          handler: async (ctx) => {
            const first = app.currentRequestId();
            // Still the same id after an await: the scope follows the async chain.
            await new Promise((resolve) => setTimeout(resolve, 1));
            return { scoped: first ?? null, afterAwait: app.currentRequestId() ?? null, ctx: ctx.requestId };
          },
        }),
      ],
    });
    const app = (running = createApp({ modules: [HttpModule.forRoot({ controllers: [probe], port: 0, shutdownSignals: false, logger: false })], logger: quiet }));
    await app.start();
    const server = app.get(HTTP_SERVER);

    const incoming = await server.app.inject({ url: '/scope', headers: { 'x-request-id': 'client-id-42' } });
    expect(incoming.statusCode).toBe(200);
    expect(incoming.headers['x-request-id']).toBe('client-id-42');
    expect(incoming.json()).toEqual({ scoped: 'client-id-42', afterAwait: 'client-id-42', ctx: 'client-id-42' });

    const generated = await server.app.inject({ url: '/scope' });
    const id = generated.headers['x-request-id'];
    expect(typeof id).toBe('string');
    expect(id).not.toBe('client-id-42');
    expect(generated.json()).toEqual({ scoped: id, afterAwait: id, ctx: id });

    // Outside a request there is no scope.
    expect(app.currentRequestId()).toBeUndefined();
  });
});

describe('HttpModule shutdownSignals', () => {
  it('a custom list installs exactly those signals: SIGUSR2 stops the app, SIGTERM and SIGINT get no listener', async () => {
    const count = () => [process.listenerCount('SIGUSR2'), process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')];
    const before = count();
    const app = (running = createApp({ modules: [HttpModule.forRoot({ port: 0, logger: false, shutdownSignals: ['SIGUSR2'] })], logger: quiet }));
    await app.start();
    const server = app.get(HTTP_SERVER);
    expect(count()).toEqual([before[0]! + 1, before[1], before[2]]);
    process.emit('SIGUSR2');
    await vi.waitFor(() => expect(app.state).toBe('stopped'));
    expect(server.state).toBe('closed');
    expect(count()).toEqual(before);
  });

  it('false installs no signal listener at all', async () => {
    const count = () => [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')];
    const before = count();
    const app = (running = createApp({ modules: [HttpModule.forRoot({ port: 0, logger: false, shutdownSignals: false })], logger: quiet }));
    await app.start();
    expect(count()).toEqual(before);
    await app.stop();
    expect(count()).toEqual(before);
  });
});

describe('brotli quality reaches the compression plugin', () => {
  // Repetitive but not trivially so: brotli qualities 1, 4 and 11 give clearly different sizes.
  const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const items = Array.from({ length: 400 }, (_, i) => ({
    id: i,
    name: `${words[Math.floor(next() * 8)]!}-${Math.floor(next() * 1000)}`,
    tags: [words[Math.floor(next() * 8)]!, words[Math.floor(next() * 8)]!],
  }));
  const payload = Buffer.from(JSON.stringify({ items }));
  const big = defineController({ routes: [defineRoute({ method: 'GET', path: '/big', handler: () => ({ items }) })] });
  const at = (quality: number) => brotliCompressSync(payload, { params: { [zlib.BROTLI_PARAM_QUALITY]: quality } });

  let server: HttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function brotliBody(compression?: { brotliQuality: number }): Promise<Buffer> {
    server = createHttpServer({ controllers: [big], logger: false, ...(compression === undefined ? {} : { compression }) });
    const res = await server.app.inject({ url: '/big', headers: { 'accept-encoding': 'br' } });
    expect([res.statusCode, res.headers['content-encoding']]).toEqual([200, 'br']);
    const raw = res.rawPayload;
    // Decodes to exactly the JSON the handler returned.
    expect(brotliDecompressSync(raw).equals(payload)).toBe(true);
    return raw;
  }

  it('the sample payload tells the qualities apart', () => {
    const sizes = [1, 4, 11].map((q) => at(q).length);
    expect(new Set(sizes).size).toBe(3);
  });

  it.each([1, 11])('brotliQuality %i is the quality the response is compressed with', async (quality) => {
    const raw = await brotliBody({ brotliQuality: quality });
    expect(raw.length).toBe(at(quality).length);
    expect(raw.equals(at(quality))).toBe(true);
    expect(raw.length).not.toBe(at(4).length);
  });

  it('without an option the quality is the documented default 4', async () => {
    const raw = await brotliBody();
    expect(raw.equals(at(4))).toBe(true);
  });
});
