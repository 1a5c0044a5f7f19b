/**
 * Regressions found by an audit of the lifecycle (2026-12-06): each test failed
 * before its fix. Rollback disposal, strict observer order and stop, tenant-aware
 * stop, decorator validation, timeout timers and a throwing toJSON in a log field.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { createJsonLogger, silentLogger } from './logger.ts';
import { tenantAware } from './module-decorators.ts';
import type { ModuleDefinition } from './module.ts';
import { token } from './token.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('lifecycle regressions', () => {
  it('a failed start disposes the app-scoped services it built before rolling back', async () => {
    // a failed start releases what it created (the app is single-use: stop()/asyncDispose cannot do it later); before the fix: never disposed.
    const disposed: string[] = [];
    const POOL = token<object>('pool');
    const a = createApp({
      logger: silentLogger,
      modules: [
        { name: 'db', version: '1.0.0', providers: [{ provide: POOL, useFactory: () => ({ [Symbol.dispose]: () => void disposed.push('pool') }) }], start: (ctx) => void ctx.get(POOL) },
        { name: 'http', version: '1.0.0', requires: ['db'], start: () => { throw new Error('port in use'); } },
      ],
    });
    await expect(a.start()).rejects.toMatchObject({ code: 'CORE_ERR_START_FAILED' });
    await a[Symbol.asyncDispose]();
    expect(disposed).toEqual(['pool']);
  });

  it('strict observers get every event in seq order, even behind a slow registering delivery', async () => {
    // README: "Every observer gets every event in seq order"; before the fix: strict delivery bypasses the per-observer queue, so a slow first observer on a fire-and-forget 'registering' lets 'starting' overtake it for the second one.
    const seen: number[] = [];
    const a = createApp({
      logger: silentLogger,
      strictObservers: true,
      observers: [{ name: 'slow', onEvent: async (e) => { if (e.type === 'registering') await sleep(30); } }, { name: 'rec', onEvent: (e) => void seen.push(e.seq) }],
      modules: [{ name: 'db', version: '1.0.0' }],
    });
    await a.start();
    await a.flushEvents();
    await sleep(60);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('a strict observer failing on stopping still lets the module stop, and the failure is reported', async () => {
    // stop "continues past failures" and every started module gets its stop (the observer failure is reported); before the fix: the stop hook never runs, the module's resources leak.
    const calls: string[] = [];
    const a = createApp({
      logger: silentLogger,
      strictObservers: true,
      observers: [{ name: 'audit', onEvent: (e) => { if (e.type === 'stopping') throw new Error('audit down'); } }],
      modules: [{ name: 'db', version: '1.0.0', stop: () => void calls.push('stop db') }],
    });
    await a.start();
    await expect(a.stop()).rejects.toMatchObject({ code: 'CORE_ERR_STOP_FAILED' });
    expect(calls).toEqual(['stop db']);
  });

  it('tenantAware stops every other tenant when one tenant fails to stop', async () => {
    // like module stop, tenant stop continues past a failure (tenants b and a still stopped); before the fix: the loop throws at tenant c and b, a are never stopped.
    const calls: string[] = [];
    const a = createApp({
      logger: silentLogger,
      modules: [
        {
          name: 'search',
          version: '1.0.0',
          decorators: [tenantAware({ tenants: ['a', 'b', 'c'] })],
          stop: (ctx) => {
            if (ctx.currentTenant()?.id === 'c') throw new Error('cannot close c');
            calls.push(`stop ${String(ctx.currentTenant()?.id)}`);
          },
        },
      ],
    });
    await a.start();
    await expect(a.stop()).rejects.toMatchObject({ code: 'CORE_ERR_STOP_FAILED' });
    expect(calls).toEqual(['stop b', 'stop a']);
  });

  it('refuses a malformed module decorators list with CORE_ERR_INVALID_MODULE', () => {
    // registration validation reports CORE_ERR_INVALID_MODULE ("every error has a stable code"); before the fix: a raw TypeError escapes from decorateModule.
    let error: unknown;
    try {
      createApp({ logger: silentLogger, modules: [{ name: 'm', version: '1.0.0', decorators: [{ name: 'broken' }] } as unknown as ModuleDefinition] });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'CORE_ERR_INVALID_MODULE' });
  });

  it('reports a hung health hook unhealthy even when nothing else keeps the process alive', () => {
    // health() settles as unhealthy after healthTimeoutMs; before the fix: the timeout timer is unref()'d, so the process exits (code 13, unsettled await) before it fires. Same for observer timeouts (events.ts #bounded).
    const script = `
      const { createApp, silentLogger } = await import(${JSON.stringify(new URL('./index.ts', import.meta.url).pathname)});
      const app = createApp({ logger: silentLogger, healthTimeoutMs: 50, modules: [{ name: 'm', version: '1.0.0', health: () => new Promise(() => {}) }] });
      await app.start();
      console.log('health', (await app.health()).status);`;
    const run = spawnSync(process.execPath, ['--conditions=@rampart/source', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect({ status: run.status, out: run.stdout.trim() }).toEqual({ status: 0, out: 'health unhealthy' });
  });

  it('an observer error whose toJSON throws breaks neither delivery nor stop()', async () => {
    // README: "A log call never throws" and a throwing observer "never breaks the lifecycle"; before the fix: the JSON logger calls the Error's toJSON outside its try, the warn throws, the observer's queue rejects and app.stop() rejects with that raw error.
    const seen: string[] = [];
    const a = createApp({
      logger: createJsonLogger({ write: () => undefined }),
      observers: [
        (e) => {
          seen.push(e.type);
          const err = new Error('observer bug');
          Object.defineProperty(err, 'toJSON', { value: () => { throw new Error('toJSON bug'); } });
          throw err;
        },
      ],
      modules: [{ name: 'db', version: '1.0.0' }],
    });
    await a.start();
    await expect(a.stop()).resolves.toBeUndefined();
    expect(seen).toEqual(['registering', 'starting', 'started', 'stopping', 'stopped']);
  });

  it('names every tenant whose stop failed and keeps all their errors', async () => {
    const a = createApp({
      logger: silentLogger,
      modules: [{ name: 'search', version: '1.0.0', decorators: [tenantAware({ tenants: ['a', 'b', 'c'] })], stop: (ctx) => { if (ctx.currentTenant()?.id !== 'b') throw new Error(`cannot close ${String(ctx.currentTenant()?.id)}`); } }],
    });
    await a.start();
    const error = await a.stop().then(() => undefined, (e: unknown) => e as { cause: { code: string; message: string; details: unknown; cause: AggregateError } });
    expect(error?.cause).toMatchObject({ code: 'CORE_ERR_TENANT_HOOK_FAILED', message: "Module 'search' stop failed for tenant(s) 'c', 'a'; every other tenant was stopped", details: { module: 'search', hook: 'stop', tenant: 'c', tenants: ['c', 'a'] } });
    expect(error?.cause.cause).toBeInstanceOf(AggregateError);
    expect(error?.cause.cause.errors.map((e: Error) => e.message)).toEqual(['cannot close c', 'cannot close a']);
  });

  it('refuses decorators that are not an array, lack a name or have a non-finite priority, listing each module', () => {
    const wrap = (m: ModuleDefinition) => m;
    const modules = [
      { name: 'a', version: '1.0.0', decorators: { name: 'x', wrap } },
      { name: 'b', version: '1.0.0', decorators: [{ wrap }] },
      { name: 'c', version: '1.0.0', decorators: [{ name: 'p', wrap, priority: Number.NaN }] },
      { name: 'd', version: '1.0.0', decorators: [null] },
      { name: 'e', version: '1.0.0', decorators: [{ name: 'ok', wrap, priority: 5 }] },
    ] as unknown as ModuleDefinition[];
    let error: { code?: string; message?: string } | undefined;
    try {
      createApp({ logger: silentLogger, modules });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error?.code).toBe('CORE_ERR_INVALID_MODULE');
    for (const name of ['a', 'b', 'c', 'd']) expect(error?.message).toContain(`module '${name}'`);
    expect(error?.message).not.toContain("module 'e'");
  });

  it('turns a decorator whose wrap() throws into CORE_ERR_INVALID_MODULE with the cause, registering nothing', () => {
    const app = createApp({ logger: silentLogger });
    const boom = new Error('wrap bug');
    let error: { code?: string; message?: string; cause?: unknown } | undefined;
    try {
      app.register({ name: 'ok', version: '1.0.0' }, { name: 'm', version: '1.0.0', decorators: [{ name: 'broken', wrap: () => { throw boom; } }] });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error).toMatchObject({ code: 'CORE_ERR_INVALID_MODULE', message: "Module decorator 'broken' threw while wrapping module 'm'", cause: boom });
    expect(app.inspect().modules).toEqual([]);
  });

  it('reports both a strict observer failing on stopping and a failing stop hook', async () => {
    const a = createApp({
      logger: silentLogger,
      strictObservers: true,
      observers: [(e) => { if (e.type === 'stopping') throw new Error('audit down'); }],
      modules: [{ name: 'db', version: '1.0.0', stop: () => { throw new Error('close failed'); } }],
    });
    await a.start();
    const error = await a.stop().then(() => undefined, (e: unknown) => e as { message: string; cause: AggregateError; details: { failures: unknown[] } });
    expect(error?.details.failures).toMatchObject([{ module: 'db', phase: 'event' }, { module: 'db', phase: 'stop', message: 'close failed' }]);
    // The module is named once, and the cause counts modules, not failures.
    expect([error?.message, error?.cause.message, error?.cause.errors.length]).toEqual(['Modules failed to stop: db; every other module was stopped', '1 module failed to stop', 2]);
  });

  it('refuses a version or coreVersion of any type with CORE_ERR_INVALID_MODULE, a BigInt included', () => {
    // JSON.stringify, used to quote the bad value in the message, throws on a BigInt: the raw TypeError escaped.
    for (const module of [{ name: 'm', version: 1n }, { name: 'm', version: '1.0.0', coreVersion: 2n }]) {
      let error: { code?: string; message?: string } | undefined;
      try {
        createApp({ logger: silentLogger, modules: [module as unknown as ModuleDefinition] });
      } catch (e) {
        error = e as typeof error;
      }
      expect(error?.code).toBe('CORE_ERR_INVALID_MODULE');
      expect(error?.message).toMatch(/(version 1|coreVersion 2) is not SemVer/);
    }
  });
});
