/**
 * Async factories in every caching scope (review of 2027-01): a rejected
 * promise is never cached in the tenant or request scope either, and what a
 * promise resolves to is disposed like a synchronously built instance, with
 * the same exclusions (aliases, useValue, singletons). Each test failed before
 * its fix.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { AppOptions } from './app.ts';
import { TENANT } from './builtins.ts';
import type { Logger } from './logger.ts';
import { silentLogger } from './logger.ts';
import type { Provider } from './provider.ts';
import type { TenantContext } from './tenancy.ts';
import { ScopeStore } from './tenancy.ts';
import { token } from './token.ts';

type Line = [string, Record<string, unknown>, string | undefined];

/** A pino-shaped logger that keeps every line as [level, fields, msg]. */
function captureLogger(lines: Line[]): Logger {
  const at = (level: string) => (obj: object | string, msg?: string) => void lines.push(typeof obj === 'string' ? [level, {}, obj] : [level, { ...(obj as Record<string, unknown>) }, msg]);
  const logger: Logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), child: () => logger };
  return logger;
}

const REJECTED = 'async factory rejected; the next resolution builds the service again';

/** The warnings about rejected async factories, as [service, error message]. */
const rejections = (lines: Line[]) => lines.filter(([level, , msg]) => level === 'warn' && msg === REJECTED).map(([, fields]) => [fields['service'], (fields['err'] as Error).message]);

/** An async factory that rejects on its first call and resolves `{ attempt }` afterwards. */
function failsOnce(label = 'down') {
  let attempt = 0;
  return async () => {
    attempt += 1;
    if (attempt === 1) throw new Error(label);
    return Promise.resolve({ attempt });
  };
}

async function started(options: AppOptions) {
  const app = createApp({ logger: silentLogger, ...options });
  await app.start();
  return app;
}

/** Something whose disposal is recorded in `log` under `name`. */
function resource(name: string, log: string[]) {
  return { name, [Symbol.asyncDispose]: () => Promise.resolve(void log.push(name)) };
}

describe('a rejected async factory is built again in the tenant and request scopes', () => {
  it('tenant scope: the next lookup for that tenant builds again, other tenants are unaffected, the rejection is logged', async () => {
    const CONN = token<Promise<{ attempt: number }>>('tenantConn');
    const lines: Line[] = [];
    const app = await started({ logger: captureLogger(lines), providers: [{ provide: CONN, scope: 'tenant', useFactory: failsOnce('blip') }] });
    const first = app.runInTenant('acme', () => app.get(CONN));
    await expect(first).rejects.toThrow('blip');
    const again = app.runInTenant('acme', () => app.get(CONN));
    expect(again).not.toBe(first);
    await expect(again).resolves.toEqual({ attempt: 2 });
    expect(app.runInTenant('acme', () => app.get(CONN))).toBe(again);
    await expect(app.runInTenant('globex', () => app.get(CONN))).resolves.toEqual({ attempt: 3 });
    expect(rejections(lines)).toEqual([['tenantConn', 'blip']]);
    await app.stop();
  });

  it('tenant scope: a promise rejecting after releaseTenant() does not drop the instance built since', async () => {
    const CONN = token<Promise<string>>('tenantConn');
    const pending: { reject: (e: Error) => void }[] = [];
    let builds = 0;
    const app = await started({
      providers: [{ provide: CONN, scope: 'tenant', useFactory: () => (builds += 1) === 1 ? new Promise<string>((_r, reject) => void pending.push({ reject })) : Promise.resolve('fresh') }],
    });
    const first = app.runInTenant('acme', () => app.get(CONN));
    const released = app.releaseTenant('acme');
    const fresh = app.runInTenant('acme', () => app.get(CONN));
    pending[0]?.reject(new Error('late'));
    await expect(first).rejects.toThrow('late');
    await released;
    expect(app.runInTenant('acme', () => app.get(CONN))).toBe(fresh);
    expect(builds).toBe(2);
    await app.stop();
  });

  it('request scope: the next lookup in the same request builds again; the rejection is logged', async () => {
    const REQ = token<Promise<{ attempt: number }>>('reqConn');
    const lines: Line[] = [];
    const app = await started({ logger: captureLogger(lines), providers: [{ provide: REQ, scope: 'request', useFactory: failsOnce('blip') }] });
    const seen = await app.runInRequestScope(async () => {
      const first = app.get(REQ);
      const outcome = await first.then(
        () => 'resolved',
        (e: unknown) => (e as Error).message,
      );
      const again = app.get(REQ);
      return [outcome, again === first, await again, app.get(REQ) === again];
    });
    expect(seen).toEqual(['blip', false, { attempt: 2 }, true]);
    expect(rejections(lines)).toEqual([['reqConn', 'blip']]);
    await app.stop();
  });

  it('request scope: a rejected service in the Map slot (not the first one built) is built again, the others stay', async () => {
    const FIRST = token<{ n: number }>('first');
    const REQ = token<Promise<{ attempt: number }>>('reqConn');
    let n = 0;
    const app = await started({
      providers: [
        { provide: FIRST, scope: 'request', useFactory: () => ({ n: (n += 1) }) },
        { provide: REQ, scope: 'request', useFactory: failsOnce() },
      ],
    });
    const seen = await app.runInRequestScope(async () => {
      const first = app.get(FIRST);
      await app.get(REQ).catch(() => undefined);
      return [await app.get(REQ), app.get(FIRST) === first, n];
    });
    expect(seen).toEqual([{ attempt: 2 }, true, 1]);
    await app.stop();
  });

  it('tenant-bound request scope: built again for the request’s own tenant and for another tenant inside the request', async () => {
    const REPO = token<Promise<{ tenant: string; attempt: number }>>('repo');
    const attempts = new Map<string, number>();
    const app = await started({
      providers: [
        {
          provide: REPO,
          scope: 'request',
          inject: [TENANT],
          useFactory: async (t: TenantContext) => {
            const attempt = (attempts.get(t.id) ?? 0) + 1;
            attempts.set(t.id, attempt);
            if (attempt === 1) throw new Error(`down for ${t.id}`);
            return Promise.resolve({ tenant: t.id, attempt });
          },
        },
      ],
    });
    const seen = await app.runInRequestScope(
      async () => {
        const own = await app.get(REPO).catch((e: unknown) => (e as Error).message);
        const ownAgain = await app.get(REPO);
        const other = await app.runInTenant('acme', () => app.get(REPO)).catch((e: unknown) => (e as Error).message);
        const otherAgain = await app.runInTenant('acme', () => app.get(REPO));
        return [own, ownAgain, other, otherAgain];
      },
      { tenant: 'globex' },
    );
    expect(seen).toEqual(['down for globex', { tenant: 'globex', attempt: 2 }, 'down for acme', { tenant: 'acme', attempt: 2 }]);
    await app.stop();
  });

  it('ScopeStore.forget() drops an entry only while it still holds that instance', () => {
    const store = new ScopeStore(undefined, undefined, undefined, true);
    const [a, b] = [{}, {}];
    let built = 0;
    const build = () => ({ built: (built += 1) });
    const firstA = store.instanceOf(a, build);
    const firstB = store.instanceOf(b, build);
    store.forget(a, 'another instance');
    store.forget(b, 'another instance');
    expect([store.instanceOf(a, build), store.instanceOf(b, build), built]).toEqual([firstA, firstB, 2]);
    store.forget(b, firstB);
    expect(store.instanceOf(b, build)).toEqual({ built: 3 });
    store.forget(a, firstA);
    expect([store.instanceOf(a, build), built]).toEqual([{ built: 4 }, 4]);
  });
});

describe('what async factories resolve to is disposed', () => {
  it('stop() disposes the values of app- and tenant-scoped async factories, tenants first, each latest first', async () => {
    const log: string[] = [];
    const SYNC = token<object>('syncPool');
    const ASYNC = token<Promise<object>>('asyncPool');
    const TEN = token<Promise<object>>('tenantPool');
    const app = await started({
      providers: [
        { provide: SYNC, useFactory: () => resource('sync app', log) },
        { provide: ASYNC, useFactory: () => Promise.resolve(resource('async app', log)) },
        { provide: TEN, scope: 'tenant', inject: [TENANT], useFactory: (t: TenantContext) => Promise.resolve(resource(`async tenant ${t.id}`, log)) },
      ],
    });
    app.get(SYNC);
    await app.get(ASYNC);
    await app.runInTenant('acme', () => app.get(TEN));
    await app.runInTenant('globex', () => app.get(TEN));
    await app.stop();
    expect(log).toEqual(['async tenant globex', 'async tenant acme', 'async app', 'sync app']);
  });

  it('releaseTenant() disposes what the tenant’s async factories resolved to, and only that tenant’s', async () => {
    const log: string[] = [];
    const TEN = token<Promise<object>>('tenantPool');
    const app = await started({ providers: [{ provide: TEN, scope: 'tenant', inject: [TENANT], useFactory: (t: TenantContext) => Promise.resolve(resource(t.id, log)) }] });
    await app.runInTenant('acme', () => app.get(TEN));
    await app.runInTenant('globex', () => app.get(TEN));
    await app.releaseTenant('acme');
    expect(log).toEqual(['acme']);
    await app.stop();
    expect(log).toEqual(['acme', 'globex']);
  });

  it('a failed start disposes what async factories built before the failure resolved to', async () => {
    const log: string[] = [];
    const POOL = token<Promise<object>>('pool');
    const app = createApp({
      logger: silentLogger,
      modules: [
        { name: 'db', version: '1.0.0', providers: [{ provide: POOL, useFactory: () => Promise.resolve(resource('pool', log)) }], start: async (ctx) => void (await ctx.get(POOL)) },
        { name: 'http', version: '1.0.0', requires: ['db'], start: () => Promise.reject(new Error('port in use')) },
      ],
    });
    await expect(app.start()).rejects.toMatchObject({ code: 'CORE_ERR_START_FAILED' });
    expect(log).toEqual(['pool']);
  });

  it('stop() waits for an async factory still pending and disposes what it resolves to', async () => {
    const log: string[] = [];
    const SLOW = token<Promise<object>>('slowPool');
    let finish: (() => void) | undefined;
    const app = await started({ providers: [{ provide: SLOW, useFactory: () => new Promise<object>((resolve) => (finish = () => resolve(resource('slow', log)))) }] });
    const pending = app.get(SLOW);
    const stopping = app.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual([]);
    finish?.();
    await stopping;
    await pending;
    expect(log).toEqual(['slow']);
  });

  it('disposes each resolved instance once and keeps the exclusions: async aliases, useValue promises, singletons, rejected builds', async () => {
    const log: string[] = [];
    const POOL = token<Promise<object>>('pool');
    const ALIAS = token<Promise<object>>('poolAlias');
    const SAME = token<Promise<object>>('samePromise');
    const GIVEN = token<Promise<object>>('givenPromise');
    const SHARED = token<Promise<object>>('sharedPool');
    const VIA_SHARED = token<Promise<object>>('viaShared');
    const TENANT_VIA_POOL = token<Promise<object>>('tenantViaPool');
    const BROKEN = token<Promise<object>>('broken');
    const given = Promise.resolve(resource('given', log));
    const shared: Provider = { provide: SHARED, scope: 'singleton', useFactory: () => Promise.resolve(resource('singleton', log)) };
    const COUNT = token<Promise<number>>('asyncCount');
    const count: Provider = { provide: COUNT, scope: 'singleton', useFactory: () => Promise.resolve(3) };
    const app = await started({
      providers: [
        { provide: POOL, useFactory: () => Promise.resolve(resource('pool', log)) },
        { provide: ALIAS, inject: [POOL], useFactory: async (p: Promise<object>) => await p },
        { provide: SAME, inject: [POOL], useFactory: (p: Promise<object>) => p },
        { provide: GIVEN, useValue: given },
        shared,
        count,
        { provide: VIA_SHARED, inject: [SHARED], useFactory: async (p: Promise<object>) => await p },
        { provide: TENANT_VIA_POOL, scope: 'tenant', inject: [POOL, TENANT], useFactory: async (p: Promise<object>) => await p },
        { provide: BROKEN, useFactory: () => Promise.reject(new Error('never up')) },
      ],
    });
    const pool = await app.get(POOL);
    expect([await app.get(ALIAS), await app.get(SAME), await app.runInTenant('acme', () => app.get(TENANT_VIA_POOL))]).toEqual([pool, pool, pool]);
    await app.get(GIVEN);
    await app.get(VIA_SHARED);
    await expect(app.get(COUNT)).resolves.toBe(3);
    await expect(app.get(BROKEN)).rejects.toThrow('never up');
    await app.stop();
    expect(log).toEqual(['pool']);
  });
});
