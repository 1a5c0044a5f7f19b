import { APP, createApp, defineModule, token } from '@rampart/core';
import type { LogFn, Logger, Resolver } from '@rampart/core';
import { describe, expect, it, vi } from 'vitest';
import { Controller, Get } from './decorators.ts';
import { HttpModule, HTTP_SERVER } from './http-module.ts';
import type { HttpServer } from './http-server.ts';
import type { RouteContext } from './types.ts';

const GREETING = token<{ text: string }>('greeting');
const REQ_STATE = token<{ id: number }>('req-state');
let created = 0;

@Controller('/hi')
class Hi {
  readonly greeting: { text: string };
  readonly app: Resolver;
  constructor(greeting: { text: string }, app: Resolver) {
    this.greeting = greeting;
    this.app = app;
  }

  @Get('/')
  async hi(ctx: RouteContext) {
    const first = this.app.get(REQ_STATE);
    await new Promise((r) => setTimeout(r, 1));
    return { text: this.greeting.text, requestId: ctx.requestId, state: first.id, same: this.app.get(REQ_STATE) === first };
  }
}

@Controller('/plain')
class Plain {
  @Get('/')
  get() {
    return 'plain';
  }
}

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child() { return quiet; } };

describe('HttpModule on the core lifecycle', () => {
  it('starts after its dependencies, resolves controllers through DI, runs each request in its own request scope, stops first', async () => {
    const events: string[] = [];
    let server: HttpServer | undefined = undefined;
    const db = defineModule({
      name: 'db',
      version: '1.0.0',
      providers: [
        { provide: GREETING, useValue: { text: 'hello' } },
        { provide: REQ_STATE, scope: 'request', useFactory: () => ({ id: (created += 1) }) },
      ],
      start: () => void events.push('db:start'),
      stop: () => void events.push(`db:stop (http ${server?.state ?? 'none'})`),
    });
    const app = createApp({
      modules: [HttpModule.forRoot({ controllers: [Hi, Plain], port: 0, requires: ['db'], shutdownSignals: false }), db],
      providers: [{ provide: Hi, inject: [GREETING, APP], useFactory: (g: { text: string }, a: Resolver) => new Hi(g, a) }],
      logger: quiet,
    });
    await app.start();
    server = app.get(HTTP_SERVER);
    events.push(`http:${server.state}`);
    const a = (await server.app.inject({ url: '/hi', headers: { 'x-request-id': 'm1' } })).json();
    const b = (await server.app.inject({ url: '/hi', headers: { 'x-request-id': 'm2' } })).json();
    expect(a).toEqual({ text: 'hello', requestId: 'm1', state: a.state, same: true });
    expect(b.state).toBe(a.state + 1);
    expect((await server.app.inject('/plain')).body).toBe('plain');
    const ready = await server.app.inject('/health/ready');
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready' }]);
    expect(await app.health()).toMatchObject({ ready: true, modules: { http: { status: 'healthy' } } });
    await app.stop();
    expect(events).toEqual(['db:start', 'http:listening', 'db:stop (http closed)']);
  });

  it('SIGTERM stops the application through the lifecycle', async () => {
    const app = createApp({ modules: [HttpModule.forRoot({ controllers: [Plain], port: 0, logger: false })], logger: quiet });
    await app.start();
    const server = app.get(HTTP_SERVER);
    const before = process.listenerCount('SIGTERM');
    process.emit('SIGTERM');
    await vi.waitFor(() => expect(app.state).toBe('stopped'));
    expect(server.state).toBe('closed');
    expect(process.listenerCount('SIGTERM')).toBe(before - 1);
  });

  it('HTTP_SERVER before start is an error; readiness fails when a module is unhealthy', async () => {
    const sick = defineModule({ name: 'sick', version: '1.0.0', health: () => ({ status: 'unhealthy' }) });
    const app = createApp({ modules: [sick, HttpModule.forRoot({ controllers: [Plain], port: 0, shutdownSignals: false, logger: false })], logger: quiet });
    await app.start();
    const res = await app.get(HTTP_SERVER).app.inject('/health/ready');
    expect([res.statusCode, res.json().code, res.json().detail]).toEqual([503, 'HTTP_ERR_SERVICE_UNAVAILABLE', 'A required dependency is not ready']);
    await app.stop();
    const fresh = createApp({ modules: [HttpModule.forRoot({ port: 0, shutdownSignals: false, logger: false })], logger: quiet });
    expect(() => fresh.get(HTTP_SERVER)).toThrow();
  });
});

describe('HttpModule before start', () => {
  it('reports unhealthy and refuses to hand out the server', () => {
    const def = HttpModule.forRoot({ name: 'api', requires: ['db'] });
    expect([def.name, def.requires]).toEqual(['api', ['db']]);
    expect(def.health?.({} as never)).toEqual({ status: 'unhealthy', message: 'http server is not created' });
    const provider = def.providers?.[0] as { useFactory: () => unknown };
    expect(() => provider.useFactory()).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_OPTIONS' }));
  });
});

describe('HttpModule logging and defaults', () => {
  function recorder() {
    const lines: [string, unknown, string | undefined][] = [];
    const log =
      (level: string): LogFn =>
      (obj: object | string, msg?: string) =>
        void lines.push([level, obj, msg]);
    const logger: Logger = { trace() {}, debug() {}, info: log('info'), warn() {}, error: log('error'), fatal() {}, child: () => logger };
    return { lines, logger };
  }

  it('is named http by default, logs where it listens and how it closed, and stop before start is harmless', async () => {
    const { lines, logger } = recorder();
    const def = HttpModule.forRoot({ controllers: [Plain], port: 0, shutdownSignals: false, logger: false });
    expect([def.name, def.version, def.coreVersion, 'requires' in def]).toEqual(['http', '0.1.0', '0.1.0', false]);
    await def.stop?.({ logger } as never);
    expect(lines).toEqual([['info', { drained: true }, 'http server closed']]);
    const app = createApp({ modules: [def], logger });
    await app.start();
    const server = app.get(HTTP_SERVER);
    const { port } = server.app.server.address() as { port: number };
    expect(lines).toContainEqual(['info', { url: `http://127.0.0.1:${port}` }, 'http server listening']);
    expect(def.health?.({} as never)).toEqual({ status: 'healthy' });
    await app.stop();
    expect(def.health?.({} as never)).toEqual({ status: 'unhealthy', message: 'http server is closed' });
    expect(lines.filter(([, , msg]) => msg === 'http server closed')).toEqual([
      ['info', { drained: true }, 'http server closed'],
      ['info', { drained: true }, 'http server closed'],
    ]);
  });

  it('logs requests through the core logger unless given its own, and refuses a context without the core Application', async () => {
    const { lines, logger } = recorder();
    const app = createApp({ modules: [HttpModule.forRoot({ controllers: [Plain], port: 0, shutdownSignals: false })], logger });
    await app.start();
    await app.get(HTTP_SERVER).app.inject('/plain');
    await app.stop();
    expect(lines.some(([level, , msg]) => level === 'info' && msg === 'incoming request')).toBe(true);
    const def = HttpModule.forRoot({ port: 0, shutdownSignals: false, logger: false });
    const start = def.start?.({ get: () => ({ runInRequestScope: () => undefined, health: () => undefined }), logger } as never);
    await expect(start).rejects.toMatchObject({ code: 'HTTP_ERR_INVALID_OPTIONS', message: 'HttpModule needs the core Application under the APP token' });
  });

  it('installs SIGTERM and SIGINT handlers by default and removes them on stop', async () => {
    const before: [number, number] = [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')];
    const app = createApp({ modules: [HttpModule.forRoot({ port: 0, logger: false })], logger: quiet });
    await app.start();
    expect([process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')]).toEqual([before[0] + 1, before[1] + 1]);
    await app.stop();
    expect([process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')]).toEqual(before);
  });
});
