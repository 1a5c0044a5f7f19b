import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { AppOptions, Application } from './app.ts';
import { APP, TENANT } from './builtins.ts';
import type { Logger } from './logger.ts';
import { silentLogger } from './logger.ts';
import { defineModule } from './module.ts';
import type { ModuleContext, Resolver } from './module.ts';
import { optional } from './provider.ts';
import type { Provider } from './provider.ts';
import type { TenantContext } from './tenancy.ts';
import { token } from './token.ts';
import type { Token } from './token.ts';

async function started(options: AppOptions) {
  const app = createApp({ logger: silentLogger, ...options });
  await app.start();
  return app;
}

/** A pino-shaped logger that keeps every line as [level, fields, msg]. */
function captureLogger(lines: [string, Record<string, unknown>, string | undefined][], bound: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (obj: object | string, msg?: string) => {
    if (typeof obj === 'string') lines.push([level, { ...bound }, obj]);
    else lines.push([level, { ...bound, ...(obj as Record<string, unknown>) }, msg]);
  };
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), child: (b) => captureLogger(lines, { ...bound, ...b }) };
}

const DB = token<{ id: number }>('db');
const CACHE = token<{ kind: string }>('cache');

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** An async factory whose first promise rejects ('down') and whose later ones resolve to `{ attempt }`. */
function failsOnce() {
  let attempt = 0;
  return async () => {
    attempt += 1;
    if (attempt === 1) throw new Error('down');
    return Promise.resolve({ attempt });
  };
}

/** Counts its disposals. */
function disposable() {
  const d = { closed: 0, [Symbol.dispose]: () => void (d.closed += 1) };
  return d;
}

describe('instances through dependencies', () => {
  it('an app-scoped dependency is built once and shared by every transient that injects it', async () => {
    const USER = token<{ db: { id: number } | undefined; opt: { kind: string } | undefined; missing: unknown }>('user');
    const ABSENT = token<unknown>('absent');
    let built = 0;
    const app = await started({
      providers: [
        { provide: DB, useFactory: () => ({ id: (built += 1) }) },
        { provide: CACHE, useValue: { kind: 'memory' } },
        {
          provide: USER,
          scope: 'transient',
          inject: [DB, optional(CACHE), optional(ABSENT)],
          useFactory: (db: { id: number }, opt: { kind: string } | undefined, missing: unknown) => ({ db, opt, missing }),
        },
      ],
    });
    const first = app.get(USER);
    const second = app.get(USER);
    expect(first).not.toBe(second);
    expect(first.db).toBe(second.db);
    expect(first).toEqual({ db: { id: 1 }, opt: { kind: 'memory' }, missing: undefined });
    expect(first.opt).toBe(app.get(CACHE));
    expect(built).toBe(1);
  });

  it('a named app-scoped service is built once, asked by name or through getAll', async () => {
    let built = 0;
    const app = await started({
      providers: [
        { provide: CACHE, name: 'memory', useFactory: () => ({ kind: `memory${String((built += 1))}` }) },
        { provide: CACHE, name: 'redis', priority: 5, useValue: { kind: 'redis' } },
      ],
    });
    expect(app.get(CACHE).kind).toBe('redis');
    const named = app.get(CACHE, { name: 'memory' });
    expect(app.get(CACHE, { name: 'memory' })).toBe(named);
    expect(app.getAll(CACHE)).toEqual([{ kind: 'redis' }, { kind: 'memory1' }]);
    expect(app.getAll(CACHE)[1]).toBe(named);
    expect(built).toBe(1);
  });

  it('getAll orders equal priorities by registration: application first, then modules in order', async () => {
    const mod = (name: string, kind: string) => defineModule({ name, version: '1.0.0', providers: [{ provide: CACHE, useValue: { kind } }] });
    const app = await started({ providers: [{ provide: CACHE, useValue: { kind: 'app' } }, { provide: CACHE, priority: -1, useValue: { kind: 'low' } }], modules: [mod('m1', 'one'), mod('m2', 'two')] });
    expect(app.getAll(CACHE).map((c) => c.kind)).toEqual(['app', 'one', 'two', 'low']);
  });

  it('a factory that throws once is retried on the next lookup, not reported as a cycle', async () => {
    let attempt = 0;
    const app = await started({
      providers: [
        {
          provide: DB,
          useFactory: () => {
            attempt += 1;
            if (attempt === 1) throw new Error('not yet');
            return { id: attempt };
          },
        },
      ],
    });
    expect(() => app.get(DB)).toThrow(expect.objectContaining({ code: 'CORE_ERR_PROVIDER_FAILED', message: "Creating service 'db' of the application failed", details: { service: 'db', module: undefined } }));
    expect(app.get(DB)).toEqual({ id: 2 });
    expect(app.get(DB)).toBe(app.get(DB));
  });

  it('an async factory whose promise rejected is built again on the next lookup, by token, by class, by name; the rejection is logged', async () => {
    class Conn {}
    const ASYNC = token<Promise<unknown>>('asyncDb');
    const lines: [string, Record<string, unknown>, string | undefined][] = [];
    const app = createApp({
      logger: captureLogger(lines),
      providers: [
        { provide: ASYNC, useFactory: failsOnce() },
        { provide: ASYNC, name: 'replica', priority: -1, useFactory: failsOnce() },
        { provide: Conn, useFactory: failsOnce() },
        { provide: Conn, name: 'replica', priority: -1, useFactory: failsOnce() },
      ],
    });
    await app.start();
    for (const key of [ASYNC, Conn] as Token<Promise<unknown>>[]) {
      await expect(app.get(key)).rejects.toThrow('down');
      await expect(app.get(key)).resolves.toEqual({ attempt: 2 });
      expect(app.get(key)).toBe(app.get(key));
      // A named provider's promise is not the one the default lookup caches: the default stays.
      const main = app.get(key);
      await expect(app.get(key, { name: 'replica' })).rejects.toThrow('down');
      await expect(app.get(key, { name: 'replica' })).resolves.toEqual({ attempt: 2 });
      expect(app.get(key)).toBe(main);
    }
    const warned = lines.filter(([level]) => level === 'warn').map(([, fields, msg]) => [fields['service'], (fields['err'] as Error).message, msg]);
    const msg = 'async factory rejected; the next resolution builds the service again';
    expect(warned).toEqual([
      ['asyncDb', 'down', msg],
      ['asyncDb', 'down', msg],
      ['Conn', 'down', msg],
      ['Conn', 'down', msg],
    ]);
  });

  it('a singleton whose async factory rejected is built again by the next app, and dropped by every app that held it', async () => {
    const ASYNC = token<Promise<unknown>>('asyncSingleton');
    const declaration: Provider = { provide: ASYNC, scope: 'singleton', useFactory: failsOnce() };
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => started({ providers: [declaration] })));
    const failed = (a as Application).get(ASYNC);
    // Rebuilt by c between a's and b's reactions to the rejection: b must not drop c's new promise from the process cache.
    let rebuilt: Promise<unknown> | undefined;
    failed.catch(() => void (rebuilt = (c as Application).get(ASYNC)));
    expect((b as Application).get(ASYNC)).toBe(failed);
    await expect(failed).rejects.toThrow('down');
    await expect(rebuilt).resolves.toEqual({ attempt: 2 });
    for (const app of [a, b, d] as Application[]) expect(app.get(ASYNC)).toBe(rebuilt);
  });

  it('a rejected promise given as useValue stays what the provider gives, and is no factory failure to report', async () => {
    const V = token<Promise<never>>('rejectedValue');
    const rejected = Promise.reject(new Error('given'));
    rejected.catch(() => undefined);
    const lines: [string, Record<string, unknown>, string | undefined][] = [];
    const app = createApp({ logger: captureLogger(lines), providers: [{ provide: V, useValue: rejected }] });
    await app.start();
    await expect(app.get(V)).rejects.toThrow('given');
    expect(app.get(V)).toBe(rejected);
    expect(lines.filter(([level]) => level === 'warn')).toEqual([]);
  });

  it('a request-scoped factory that resolves itself at run time is a provider cycle, as in the app scope', async () => {
    const SELF = token<unknown>('self');
    const app = await started({ providers: [{ provide: SELF, scope: 'request', inject: [APP], useFactory: (r: Resolver) => ({ inner: r.get(SELF) }) }] });
    const error = caught(() => app.runInRequestScope(() => app.get(SELF)));
    expect(error).toMatchObject({ code: 'CORE_ERR_PROVIDER_FAILED', cause: { code: 'CORE_ERR_PROVIDER_CYCLE', details: { chain: ['self', 'self'] } } });
  });

  it('a tenant-scoped factory that resolves itself at run time is a provider cycle; building for another tenant meanwhile is none', async () => {
    const SELF = token<unknown>('self');
    const NEXT = token<{ tenant: string; next: unknown }>('next');
    const app = await started({
      providers: [
        { provide: SELF, scope: 'tenant', inject: [APP], useFactory: (r: Resolver) => ({ inner: r.get(SELF) }) },
        {
          provide: NEXT,
          scope: 'tenant',
          inject: [TENANT, APP],
          useFactory: (t: TenantContext, a: typeof app) => ({ tenant: t.id, next: t.id === 'acme' ? a.runInTenant('globex', () => a.get(NEXT)) : undefined }),
        },
      ],
    });
    const error = caught(() => app.runInTenant('acme', () => app.get(SELF)));
    expect(error).toMatchObject({ code: 'CORE_ERR_PROVIDER_FAILED', cause: { code: 'CORE_ERR_PROVIDER_CYCLE', details: { chain: ['self', 'self'] } } });
    const acme = app.runInTenant('acme', () => app.get(NEXT));
    expect(acme).toEqual({ tenant: 'acme', next: { tenant: 'globex', next: undefined } });
    expect(app.runInTenant('globex', () => app.get(NEXT))).toBe(acme.next);
  });

  it('a factory failure reached through another factory at run time is reported for the service that failed, not wrapped again', async () => {
    const OUTER = token<unknown>('outer');
    const app = await started({
      providers: [
        { provide: DB, useFactory: () => { throw new Error('no socket'); } },
        { provide: OUTER, inject: [APP], useFactory: (r: Resolver) => ({ db: r.get(DB) }) },
      ],
    });
    expect(() => app.get(OUTER)).toThrow(expect.objectContaining({ code: 'CORE_ERR_PROVIDER_FAILED', message: "Creating service 'db' of the application failed", cause: new Error('no socket') }));
  });

  it('a factory that resolves itself at run time is a provider cycle', async () => {
    const SELF = token<unknown>('self');
    const app = await started({ providers: [{ provide: SELF, inject: [APP], useFactory: (resolver: Resolver) => ({ inner: resolver.get(SELF) }) }] });
    let caught: unknown;
    try {
      app.get(SELF);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'CORE_ERR_PROVIDER_FAILED' });
    const cycle = (caught as { cause: { code: string; message: string; details: unknown } }).cause;
    expect(cycle).toMatchObject({
      code: 'CORE_ERR_PROVIDER_CYCLE',
      message: "Service 'self' of the application was requested while it was being created (a factory resolves it, directly or not)",
      details: { chain: ['self', 'self'] },
    });
  });
});

describe('selection errors', () => {
  it('says which providers tie, word for word', async () => {
    const app = await started({ modules: [defineModule({ name: 'm', version: '1.0.0', providers: [{ provide: CACHE, name: 'x', useValue: { kind: 'x' } }, { provide: CACHE, name: 'y', useValue: { kind: 'y' } }] })] });
    expect(() => app.get(CACHE)).toThrow(
      "app.get() asked for 'cache' and 2 providers tie (priority 0, same registration): 'cache' (x) of module 'm', 'cache' (y) of module 'm'. Give one a higher priority, or ask by name.",
    );
  });

  it('suggests names only when some are close, and ignores unnamed providers', async () => {
    const app = await started({ providers: [{ provide: CACHE, useValue: { kind: 'plain' } }, { provide: CACHE, name: 'redis', useValue: { kind: 'redis' } }, { provide: DB, useValue: { id: 1 } }] });
    expect(() => app.get(CACHE, { name: 'rediss' })).toThrow("app.get() asked for 'cache named 'rediss'', which no module provides. Did you mean 'redis'?");
    expect(() => app.get(CACHE, { name: 'zzzzzz' })).toThrow(expect.objectContaining({ message: "app.get() asked for 'cache named 'zzzzzz'', which no module provides.", details: { token: "cache named 'zzzzzz'", requester: 'app.get()', suggestions: [] } }));
    expect(() => app.get('dbb')).toThrow("app.get() asked for 'dbb', which no module provides. Did you mean 'db'?");
  });

  it('answers a lookup by undefined (a token read during a circular import) with a coded error that says so', async () => {
    const app = await started({});
    expect(() => app.get(undefined as never)).toThrow(
      expect.objectContaining({
        code: 'CORE_ERR_MISSING_PROVIDER',
        message:
          'app.get() asked for undefined, which is not a token or a class. A token that is undefined where it is used was usually read during a circular import, before the module declaring it finished loading: move it to a module outside the cycle.',
        details: { token: 'undefined', requester: 'app.get()', suggestions: [] },
      }),
    );
    expect(() => app.get(null as never, { name: 'x' })).toThrow(expect.objectContaining({ code: 'CORE_ERR_MISSING_PROVIDER', details: { token: 'null', requester: 'app.get()', suggestions: [] } }));
    expect(app.tryGet(undefined as never)).toBeUndefined();
  });

  it('takes a name that is not a string for a name no provider has', async () => {
    const T = token<number>('t');
    const app = await started({ providers: [{ provide: T, name: 'x', useValue: 1 }] });
    expect(() => app.get(T, { name: 5 as never })).toThrow(
      expect.objectContaining({ code: 'CORE_ERR_MISSING_PROVIDER', message: "app.get() asked for 't named '5'', which no module provides. Did you mean 'x'?", details: { token: "t named '5'", requester: 'app.get()', suggestions: ['x'] } }),
    );
    expect(app.tryGet(T, { name: 5 as never })).toBeUndefined();
  });

  it('refuses a by-name lookup that two tokens answer', async () => {
    const app = await started({
      providers: [{ provide: token<number>('twin'), useValue: 1 }],
      modules: [defineModule({ name: 'mirror', version: '1.0.0', providers: [{ provide: token<number>('twin'), useValue: 2 }, { provide: token<number>('twin'), name: 'left', useValue: 3 }] })],
    });
    expect(() => app.get('twin')).toThrow(
      expect.objectContaining({
        code: 'CORE_ERR_AMBIGUOUS_PROVIDER',
        message: "app.get() asked for 'twin' by name and 3 different tokens carry that name: 'twin' of the application; 'twin' of module 'mirror'; 'twin' (left) of module 'mirror'; ask by token",
        details: { token: 'twin', requester: 'app.get()', candidates: ["'twin' of the application", "'twin' of module 'mirror'", "'twin' (left) of module 'mirror'"] },
      }),
    );
  });
});

describe('application state and lookups', () => {
  it('resolves services while modules start and stop, and refuses after stop with the exact reason', async () => {
    const seen: string[] = [];
    const app = createApp({
      id: 'shop',
      logger: silentLogger,
      providers: [{ provide: DB, useValue: { id: 7 } }, { provide: CACHE, name: 'only', useValue: { kind: 'k' } }],
      modules: [
        defineModule({
          name: 'probe',
          version: '1.0.0',
          start: () => void seen.push(`start ${app.state} ${String(app.get(DB).id)}`),
          stop: () => void seen.push(`stop ${app.state} ${String(app.get(DB).id)} ${String(app.tryGet(DB)?.id)} ${String(app.getAll(DB).length)}`),
        }),
      ],
    });
    await app.start();
    expect(app.get(DB).id).toBe(7);
    expect(app.get(CACHE, { name: 'only' }).kind).toBe('k');
    await app.stop();
    expect(seen).toEqual(['start starting 7', 'stop stopping 7 7 1']);
    const refused = "Cannot resolve services: application 'shop' is stopped (allowed when starting or started or stopping)";
    expect(() => app.get(DB)).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_STATE', message: refused, details: { app: 'shop', state: 'stopped', action: 'resolve services' } }));
    expect(() => app.get(CACHE, { name: 'only' })).toThrow(refused);
    expect(() => app.tryGet(DB)).toThrow(refused);
    expect(() => app.getAll(DB)).toThrow(refused);
  });

  it('tryGet answers undefined for an unknown explicit name, from the app and from a module context', async () => {
    const T = token<number>('t');
    let fromModule: unknown;
    const app = await started({
      providers: [{ provide: T, name: 'x', useValue: 1 }],
      modules: [defineModule({ name: 'm', version: '1.0.0', start: (ctx) => void (fromModule = [ctx.tryGet(T, { name: 'nope' }), ctx.tryGet(T, { name: 'x' })]) })],
    });
    expect(app.tryGet(T, { name: 'nope' })).toBeUndefined();
    expect(app.tryGet(T, { name: 'x' })).toBe(1);
    expect(fromModule).toEqual([undefined, 1]);
  });

  it('refuses lookups through a module context after stop, as app.get() does, and builds nothing', async () => {
    const BUILT = token<object>('built');
    let built = 0;
    let ctx: ModuleContext | undefined;
    const app = await started({
      id: 'kept',
      modules: [defineModule({ name: 'm', version: '1.0.0', providers: [{ provide: BUILT, useFactory: () => ({ n: (built += 1) }) }], start: (c) => void (ctx = c) })],
    });
    await app.stop();
    const refused = "Cannot resolve services: application 'kept' is stopped (allowed when starting or started or stopping)";
    const context = ctx as ModuleContext;
    expect(() => context.get(BUILT)).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_STATE', message: refused }));
    expect(() => context.get('built')).toThrow(refused);
    expect(() => context.tryGet(BUILT)).toThrow(refused);
    expect(() => context.tryGet(token('absent'))).toThrow(refused);
    expect(() => context.getAll(BUILT)).toThrow(refused);
    expect(built).toBe(0);
  });

  it('a default lookup never answers a named one from the fast path', async () => {
    const app = await started({ providers: [{ provide: CACHE, priority: 1, useValue: { kind: 'main' } }, { provide: CACHE, name: 'other', useValue: { kind: 'other' } }] });
    expect(app.get(CACHE).kind).toBe('main');
    expect(app.get(CACHE, { name: 'other' }).kind).toBe('other');
  });

  it('names the refused action and the allowed states', async () => {
    const app = createApp({ id: 'a1', logger: silentLogger });
    await expect(app.reloadConfig()).rejects.toThrow("Cannot reload configuration: application 'a1' is created (allowed when started)");
    await app.start();
    expect(() => app.register(defineModule({ name: 'late', version: '1.0.0' }))).toThrow("Cannot register modules: application 'a1' is started (allowed when created)");
    await app.stop();
  });

  it('refuses a module name registered by an earlier batch', () => {
    const app = createApp({ logger: silentLogger });
    app.register(defineModule({ name: 'a', version: '1.0.0' }));
    expect(() => app.register(defineModule({ name: 'a', version: '1.0.0' }))).toThrow(
      expect.objectContaining({ code: 'CORE_ERR_DUPLICATE_MODULE', details: { problems: [{ code: 'CORE_ERR_DUPLICATE_MODULE', message: "module 'a' is registered twice", module: 'a' }] } }),
    );
  });

  it('is not ready before start, knows no unknown module, and gives a module without config undefined', async () => {
    let config: unknown = 'unset';
    const app = createApp({ logger: silentLogger, modules: [defineModule({ name: 'plain', version: '1.0.0', start: (ctx) => void (config = ctx.config) })] });
    expect((await app.health()).ready).toBe(false);
    expect(app.moduleState('nope')).toBeUndefined();
    await app.start();
    expect(config).toBeUndefined();
    expect((await app.health()).ready).toBe(true);
    await app.stop();
  });

  it('asyncDispose stops a started app and does nothing otherwise', async () => {
    const idle = createApp({ logger: silentLogger });
    await idle[Symbol.asyncDispose]();
    expect(idle.state).toBe('created');
    const app = await started({});
    await app[Symbol.asyncDispose]();
    expect(app.state).toBe('stopped');
    await app[Symbol.asyncDispose]();
    expect(app.state).toBe('stopped');
  });
});

describe('permissive tenancy', () => {
  it('falls back to the reserved tenant and warns once per service, naming it', async () => {
    const lines: [string, Record<string, unknown>, string | undefined][] = [];
    const SVC = token<{ tenant: string }>('perTenant');
    const app = createApp({
      id: 'perm',
      logger: captureLogger(lines),
      tenancy: { mode: 'permissive', fallbackTenant: 'shared' },
      providers: [{ provide: SVC, scope: 'tenant', inject: [TENANT], useFactory: (t: TenantContext) => ({ tenant: t.id }) }],
    });
    await app.start();
    const first = app.get(SVC);
    expect(first).toEqual({ tenant: 'shared' });
    expect(app.get(SVC)).toBe(first);
    expect(app.runInTenant('acme', () => app.get(SVC))).not.toBe(first);
    const warnings = lines.filter(([level]) => level === 'warn');
    const message = 'tenant-scoped service resolved without a tenant context; using the fallback tenant (permissive tenancy)';
    expect(warnings).toEqual([
      ['warn', { app: 'perm', service: 'perTenant', tenant: 'shared' }, message],
      ['warn', { app: 'perm', service: 'rampart.tenant', tenant: 'shared' }, message],
    ]);
    await app.stop();
  });
});

describe('disposal: each instance once, by the cache that built it', () => {
  it('disposes built instances in reverse, never values or primitives, and logs a failing disposal', async () => {
    const lines: [string, Record<string, unknown>, string | undefined][] = [];
    const order: string[] = [];
    const disposable = (name: string, fail = false) => ({
      [Symbol.dispose]: () => {
        order.push(name);
        if (fail) throw new Error(`${name} broke`);
      },
    });
    const A = token<object>('a');
    const B = token<object>('b');
    const V = token<object>('v');
    const N = token<null>('n');
    const P = token<number>('p');
    const PLAIN = token<object>('plain');
    const app = createApp({
      id: 'disp',
      logger: captureLogger(lines),
      providers: [
        { provide: A, useFactory: () => disposable('a') },
        { provide: B, useFactory: () => disposable('b', true) },
        { provide: V, useValue: disposable('value') },
        { provide: N, useFactory: () => null },
        { provide: P, useFactory: () => 42 },
        { provide: PLAIN, useFactory: () => ({ plain: true }) },
      ],
    });
    await app.start();
    for (const key of [A, B, V, N, P, PLAIN] as Token<unknown>[]) app.get(key);
    await app.stop();
    expect(order).toEqual(['b', 'a']);
    const errors = lines.filter(([level]) => level === 'error');
    expect(errors.map(([, fields, msg]) => [fields['app'], (fields['err'] as Error).message, msg])).toEqual([['disp', 'b broke', 'service disposal failed']]);
  });

  it('disposes an aliased app-scoped instance once', async () => {
    const POOL = token<ReturnType<typeof disposable>>('pool');
    const ALIAS = token<object>('alias');
    const app = await started({ providers: [{ provide: POOL, useFactory: disposable }, { provide: ALIAS, inject: [POOL], useFactory: (p: object) => p }] });
    expect(app.get(ALIAS)).toBe(app.get(POOL));
    const pool = app.get(POOL);
    await app.stop();
    expect(pool.closed).toBe(1);
  });

  it('never disposes a useValue value, also when a factory passes it on', async () => {
    const V = token<ReturnType<typeof disposable>>('givenPool');
    const ALIAS = token<object>('givenAlias');
    const given = disposable();
    const app = await started({ providers: [{ provide: V, useValue: given }, { provide: ALIAS, inject: [V], useFactory: (p: object) => p }] });
    app.get(ALIAS);
    await app.stop();
    expect(given.closed).toBe(0);
  });

  it("never disposes a process-wide singleton on an app's stop, also when an app-scoped factory passes it on", async () => {
    const POOL = token<ReturnType<typeof disposable>>('sharedPool');
    const ALIAS = token<object>('sharedAlias');
    const COUNT = token<number>('sharedCount');
    const declaration: Provider = { provide: POOL, scope: 'singleton', useFactory: disposable };
    const alias: Provider = { provide: ALIAS, inject: [POOL], useFactory: (p: object) => p };
    const count: Provider = { provide: COUNT, scope: 'singleton', useValue: 3 };
    const a = await started({ providers: [declaration, alias, count] });
    const b = await started({ providers: [declaration, alias, count] });
    expect(a.get(ALIAS)).toBe(b.get(ALIAS));
    expect([a.get(COUNT), b.get(COUNT)]).toEqual([3, 3]);
    await a.stop();
    await b.stop();
    const c = await started({ providers: [declaration] });
    expect(c.get(POOL).closed).toBe(0);
  });

  it('releaseTenant disposes what the tenant built, once, and not an app-scoped instance a tenant factory returned', async () => {
    const POOL = token<ReturnType<typeof disposable>>('tenantPool');
    const VIA_POOL = token<object>('viaPool');
    const OWN = token<ReturnType<typeof disposable>>('own');
    const VIA_OWN = token<object>('viaOwn');
    const app = await started({
      providers: [
        { provide: POOL, useFactory: disposable },
        { provide: VIA_POOL, scope: 'tenant', inject: [POOL, TENANT], useFactory: (p: object, _t: TenantContext) => p },
        { provide: OWN, scope: 'tenant', inject: [TENANT], useFactory: (_t: TenantContext) => disposable() },
        { provide: VIA_OWN, scope: 'tenant', inject: [OWN], useFactory: (o: object) => o },
      ],
    });
    const own = app.runInTenant('acme', () => {
      app.get(VIA_POOL);
      return app.get(VIA_OWN) as ReturnType<typeof disposable>;
    });
    await app.releaseTenant('acme');
    expect(own.closed).toBe(1);
    const pool = app.get(POOL);
    expect(pool.closed).toBe(0);
    await app.stop();
    expect([pool.closed, own.closed]).toEqual([1, 1]);
  });
});

describe('disposal order and transient cycles', () => {
  function logged(name: string, log: string[]) {
    return { [Symbol.dispose]: () => void log.push(name) };
  }

  it('releaseTenant disposes a tenant service before the tenant service it depends on, as stop() does for app services', async () => {
    const log: string[] = [];
    const CONN = token<object>('tenantConn');
    const REPO = token<object>('tenantRepo');
    const app = await started({
      providers: [
        { provide: CONN, scope: 'tenant', inject: [TENANT], useFactory: (_t: TenantContext) => logged('conn', log) },
        { provide: REPO, scope: 'tenant', inject: [CONN], useFactory: (_c: object) => logged('repo', log) },
      ],
    });
    app.runInTenant('acme', () => app.get(REPO));
    await app.releaseTenant('acme');
    expect(log).toEqual(['repo', 'conn']);
  });

  it('stop() disposes the instances of tenants never released, dependents first, before the app services they use', async () => {
    const log: string[] = [];
    const POOL = token<object>('pool');
    const CONN = token<object>('tenantConn');
    const REPO = token<object>('tenantRepo');
    const app = await started({
      providers: [
        { provide: POOL, useFactory: () => logged('pool', log) },
        { provide: CONN, scope: 'tenant', inject: [POOL, TENANT], useFactory: (_p: object, t: TenantContext) => logged(`conn:${t.id}`, log) },
        { provide: REPO, scope: 'tenant', inject: [CONN], useFactory: (_c: object) => logged('repo', log) },
      ],
    });
    app.runInTenant('acme', () => app.get(REPO));
    app.runInTenant('globex', () => app.get(CONN));
    app.runInTenant('initech', () => app.get(CONN));
    await app.releaseTenant('initech');
    expect(log).toEqual(['conn:initech']);
    await app.stop();
    expect(log).toEqual(['conn:initech', 'conn:globex', 'repo', 'conn:acme', 'pool']);
  });

  it('a transient factory that resolves itself at run time is a provider cycle, not a stack overflow', async () => {
    const SELF = token<unknown>('self');
    const app = await started({ providers: [{ provide: SELF, scope: 'transient', inject: [APP], useFactory: (r: Resolver) => ({ inner: r.get(SELF) }) }] });
    const error = caught(() => app.get(SELF));
    expect(error).toMatchObject({ code: 'CORE_ERR_PROVIDER_FAILED', cause: { code: 'CORE_ERR_PROVIDER_CYCLE', details: { chain: ['self', 'self'] } } });
  });

  it('a transient service built twice in one factory, or again after a failed build, is no cycle', async () => {
    const PART = token<{ n: number }>('part');
    const PAIR = token<unknown>('pair');
    let n = 0;
    let fail = true;
    const app = await started({
      providers: [
        { provide: PART, scope: 'transient', useFactory: () => ({ n: (n += 1) }) },
        { provide: PAIR, scope: 'transient', inject: [APP], useFactory: (r: Resolver) => {
          if (fail) { fail = false; throw new Error('first build fails'); }
          return [r.get(PART), r.get(PART)];
        } },
      ],
    });
    expect(caught(() => app.get(PAIR))).toMatchObject({ code: 'CORE_ERR_PROVIDER_FAILED', cause: new Error('first build fails') });
    expect(app.get(PAIR)).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
