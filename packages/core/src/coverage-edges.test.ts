/** Edge paths of the public API that the topical suites do not reach. */
import { describe, expect, it, vi } from 'vitest';
import { createApp } from './app.ts';
import { createJsonLogger, silentLogger } from './logger.ts';
import { observable } from './module-decorators.ts';
import type { HookObservation } from './module-decorators.ts';
import type { ModuleContext } from './module.ts';
import { token } from './token.ts';

describe('edges', () => {
  it('resolves a transient shared by several services and a transient with mixed-lifetime deps', async () => {
    const APPSVC = token<object>('appSvc');
    const REQ = token<object>('req');
    const MIX = token<object>('mix');
    const USER_A = token<object>('userA');
    const USER_B = token<object>('userB');
    const app = createApp({
      logger: silentLogger,
      providers: [
        { provide: APPSVC, useFactory: () => ({}) },
        { provide: REQ, scope: 'request', useFactory: () => ({}) },
        { provide: MIX, scope: 'transient', inject: [APPSVC, REQ, APPSVC], useFactory: () => ({}) },
        { provide: USER_A, scope: 'request', inject: [MIX], useFactory: () => ({}) },
        { provide: USER_B, scope: 'request', inject: [MIX], useFactory: () => ({}) },
      ],
    });
    await app.start();
    expect(app.runInRequestScope(() => app.get(USER_A))).toEqual({});
  });

  it('lets a module context tryGet an existing service, and reports non-Error observer rejections', async () => {
    const X = token<number>('x');
    const warnings: unknown[] = [];
    const logger = { ...silentLogger, warn: (o: unknown) => void warnings.push(o), child: () => logger };
    let got: unknown;
    const app = createApp({
      logger,
      providers: [{ provide: X, useValue: 3 }],
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a non-Error rejection on purpose
      observers: [function namedObserver() { return Promise.reject('plain string'); }],
      modules: [{ name: 'm', version: '1.0.0', start: (ctx: ModuleContext) => void (got = [ctx.tryGet(X), ctx.getAll(X), ctx.has('m'), ctx.has('n')]) }],
    });
    await app.start();
    await app.flushEvents();
    expect(got).toEqual([3, [3], true, false]);
    expect(warnings[0]).toMatchObject({ observer: 'namedObserver', err: new Error('plain string') });
  });

  it('reports a hook error without a code through observable() without onHook', async () => {
    const seen: HookObservation[] = [];
    const app = createApp({ logger: silentLogger, decorators: [observable(), observable({ onHook: (o) => void seen.push(o) })], modules: [{ name: 'm', version: '1.0.0', start: () => { throw new Error('x'); } }] });
    await expect(app.start()).rejects.toMatchObject({ code: 'CORE_ERR_START_FAILED' });
    expect(seen[0]?.errorCode).toBeUndefined();
  });

  it('labels a module whose name is not a string', () => {
    expect(() => createApp({ logger: silentLogger, modules: [{ name: 7, version: '1.0.0' } as never] })).toThrow("module #0: name must be 1-100 letters");
  });

  it('shows class dependencies by class name in inspect()', () => {
    class Dep {}
    const app = createApp({ logger: silentLogger, providers: [Dep, { provide: token('uses'), inject: [Dep], useFactory: () => 1 }] });
    expect(app.inspect().services.at(-1)?.inject).toEqual(['Dep']);
  });

  it('wraps a configuration failure that has no issue list', async () => {
    const app = createApp({ logger: silentLogger, config: { feeders: 'nope' as never }, modules: [{ name: 'm', version: '1.0.0', config: (await import('@rampart/config')).defineSchema({}) }] });
    await expect(app.start()).rejects.toMatchObject({ code: 'CORE_ERR_CONFIG_INVALID', details: {} });
  });

  it('writes JSON lines to stdout by default and silentLogger drops every level', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      createJsonLogger().info('to stdout');
      expect(JSON.parse(String(write.mock.calls[0]?.[0]))).toMatchObject({ level: 30, msg: 'to stdout' });
    } finally {
      write.mockRestore();
    }
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) expect(silentLogger[level]('x')).toBeUndefined();
  });
});
