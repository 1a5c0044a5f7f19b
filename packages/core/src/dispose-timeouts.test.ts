/**
 * hookTimeouts.dispose: a time limit for each service instance's
 * Symbol.asyncDispose. Before it, one pool whose close() never settled kept
 * app.stop() pending forever, and no instance after it was disposed.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { Logger } from './logger.ts';
import { token } from './token.ts';

type Line = [string, Record<string, unknown>, string | undefined];

function captureLogger(lines: Line[]): Logger {
  const at = (level: string) => (obj: object | string, msg?: string) => void lines.push(typeof obj === 'string' ? [level, {}, obj] : [level, { ...(obj as Record<string, unknown>) }, msg]);
  const logger: Logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), child: () => logger };
  return logger;
}

const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));
const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

class Pool {
  readonly name: string;
  readonly log: string[];
  readonly close: () => Promise<void>;
  constructor(name: string, log: string[], close: () => Promise<void>) {
    this.name = name;
    this.log = log;
    this.close = close;
  }
  async [Symbol.asyncDispose](): Promise<void> {
    this.log.push(`closing ${this.name}`);
    await this.close();
    this.log.push(`closed ${this.name}`);
  }
}

const FIRST = token<Pool>('first');
const HUNG = token<Pool>('hung');
const LAST = token<Pool>('last');

function threePools(log: string[], hung: () => Promise<void>) {
  const done = () => Promise.resolve();
  return [
    { provide: FIRST, useFactory: () => new Pool('first', log, done) },
    { provide: HUNG, inject: [FIRST], useFactory: () => new Pool('hung', log, hung) },
    { provide: LAST, inject: [HUNG], useFactory: () => new Pool('last', log, done) },
  ];
}

describe('hookTimeouts.dispose', () => {
  it('a disposal past its limit is logged and left running; stop resolves and the instances after it are disposed', async () => {
    const log: string[] = [];
    const lines: Line[] = [];
    const app = createApp({ logger: captureLogger(lines), hookTimeouts: { dispose: 30 }, providers: threePools(log, () => new Promise<void>(() => undefined)) });
    await app.start();
    app.get(LAST);
    await app.stop();
    expect(app.state).toBe('stopped');
    // Reverse creation order: last, hung (left running), first.
    expect(log).toEqual(['closing last', 'closed last', 'closing hung', 'closing first', 'closed first']);
    expect(lines.filter(([level]) => level === 'error')).toEqual([['error', { service: 'Pool', timeoutMs: 30 }, 'service disposal did not settle within 30 ms; it was left running']]);
  });

  it('a disposal left running that fails later is logged at error, never an unhandled rejection', async () => {
    const lines: Line[] = [];
    const late = new Error('socket reset');
    const app = createApp({ logger: captureLogger(lines), hookTimeouts: { dispose: 20 }, providers: threePools([], async () => { await sleep(60); throw late; }) });
    await app.start();
    app.get(LAST);
    await app.stop();
    await sleep(80);
    expect(lines.filter(([level, fields]) => level === 'error' && fields.err === late)).toEqual([['error', { err: late, service: 'Pool' }, 'service disposal failed after its time limit']]);
  });

  it('a disposal that fails in time is logged once as failed, not as late, and leaves no timer', async () => {
    const lines: Line[] = [];
    const boom = new Error('already closed');
    const before = timers();
    const app = createApp({ logger: captureLogger(lines), hookTimeouts: { dispose: 60_000 }, providers: threePools([], () => Promise.reject(boom)) });
    await app.start();
    app.get(LAST);
    await app.stop();
    await sleep(5);
    expect(lines.filter(([level]) => level === 'error')).toEqual([['error', { err: boom, service: 'Pool' }, 'service disposal failed']]);
    // At most as many as before: a timer another test left may end meanwhile, one of ours must not remain.
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('without a dispose limit, a slow disposal is awaited to the end', async () => {
    const log: string[] = [];
    const app = createApp({ hookTimeouts: { stop: 10 }, providers: threePools(log, () => sleep(40)) });
    await app.start();
    app.get(LAST);
    await app.stop();
    expect(log).toEqual(['closing last', 'closed last', 'closing hung', 'closed hung', 'closing first', 'closed first']);
  });

  it('also bounds releaseTenant and the rollback of a failed start', async () => {
    const TENANT_POOL = token<Pool>('tenantPool');
    const log: string[] = [];
    const hang = () => new Promise<void>(() => undefined);
    const app = createApp({
      logger: captureLogger([]),
      hookTimeouts: { dispose: 20 },
      providers: [{ provide: TENANT_POOL, scope: 'tenant', useFactory: () => new Pool('tenant', log, hang) }],
    });
    await app.start();
    app.runInTenant('acme', () => app.get(TENANT_POOL));
    await app.releaseTenant('acme');
    expect(log).toEqual(['closing tenant']);
    await app.stop();

    const failing = createApp({
      logger: captureLogger([]),
      hookTimeouts: { dispose: 20 },
      providers: [{ provide: HUNG, useFactory: () => new Pool('hung', log, hang) }],
      modules: [{ name: 'web', version: '1.0.0', start: (ctx) => { ctx.get(HUNG); throw new Error('port in use'); } }],
    });
    await expect(failing.start()).rejects.toMatchObject({ code: 'CORE_ERR_START_FAILED' });
    expect(log).toEqual(['closing tenant', 'closing hung']);
    expect(failing.state).toBe('failed');
  });

  it('bounds the wait for an async build still pending: a start hook that timed out on it rolls back and start() rejects', async () => {
    const DB = token<Promise<object>>('db');
    const lines: Line[] = [];
    const app = createApp({
      logger: captureLogger(lines),
      hookTimeouts: { start: 20, dispose: 20 },
      providers: [{ provide: DB, useFactory: () => new Promise<object>(() => undefined) }],
      modules: [{ name: 'web', version: '1.0.0', start: async (ctx) => void (await ctx.get(DB)) }],
    });
    // Before: the rollback waited for the hung build forever, so start() never settled.
    await expect(app.start()).rejects.toMatchObject({ code: 'CORE_ERR_START_FAILED', cause: { code: 'CORE_ERR_HOOK_TIMEOUT' } });
    expect(app.state).toBe('failed');
    expect(lines.filter(([, , msg]) => msg?.startsWith('an async service build') === true)).toEqual([
      ['error', { timeoutMs: 20 }, 'an async service build did not settle within 20 ms; it was left running, and what it builds is not disposed'],
    ]);
  });

  it('stop() reports a pending build once, goes on, and still disposes a build that settles in time', async () => {
    const HUNG_BUILD = token<Promise<object>>('hungBuild');
    const SLOW_BUILD = token<Promise<object>>('slowBuild');
    const ALIAS = token<Promise<object>>('alias');
    const log: string[] = [];
    const lines: Line[] = [];
    const before = timers();
    const app = createApp({
      logger: captureLogger(lines),
      hookTimeouts: { dispose: 100 },
      providers: [
        { provide: HUNG_BUILD, useFactory: () => new Promise<object>(() => undefined) },
        // The same pending promise under a second token is waited for, and reported, once.
        { provide: ALIAS, inject: [HUNG_BUILD], useFactory: (p: Promise<object>) => p },
        { provide: SLOW_BUILD, useFactory: async () => { await sleep(5); return new Pool('slow', log, () => Promise.resolve()); } },
      ],
    });
    await app.start();
    void app.get(ALIAS);
    void app.get(SLOW_BUILD);
    await app.stop();
    expect(app.state).toBe('stopped');
    expect(log).toEqual(['closing slow', 'closed slow']);
    expect(lines.filter(([level]) => level === 'error').map(([, , msg]) => msg)).toEqual(['an async service build did not settle within 100 ms; it was left running, and what it builds is not disposed']);
    // At most as many as before: a timer another test left may end meanwhile, one of ours must not remain.
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('a pending build that rejects within the limit is skipped without a time-limit line', async () => {
    const FLAKY = token<Promise<object>>('flaky');
    const lines: Line[] = [];
    let fail: ((error: Error) => void) | undefined;
    const app = createApp({ logger: captureLogger(lines), hookTimeouts: { dispose: 60_000 }, providers: [{ provide: FLAKY, useFactory: () => new Promise<object>((_resolve, reject) => (fail = reject)) }] });
    await app.start();
    const build = app.get(FLAKY);
    const stopping = app.stop();
    fail?.(new Error('refused'));
    await expect(build).rejects.toThrow('refused');
    await stopping;
    expect(lines.filter(([level]) => level === 'error')).toEqual([]);
  });

  it('names no class for plain objects, only for instances of a class of their own', async () => {
    const lines: Line[] = [];
    const PLAIN = token<object>('plain');
    const app = createApp({
      logger: captureLogger(lines),
      providers: [{ provide: PLAIN, useFactory: () => ({ [Symbol.asyncDispose]: () => Promise.reject(new Error('x')) }) }],
    });
    await app.start();
    app.get(PLAIN);
    await app.stop();
    expect(lines.filter(([level]) => level === 'error')).toEqual([['error', { err: new Error('x') }, 'service disposal failed']]);
  });

  it('refuses a dispose limit that is not a positive number of ms', () => {
    expect(() => createApp({ hookTimeouts: { dispose: 0 } })).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_OPTIONS', details: { option: 'hookTimeouts.dispose' } }));
  });
});
