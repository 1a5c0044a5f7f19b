import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { AppOptions } from './app.ts';
import { APP, TENANT } from './builtins.ts';
import type { Logger } from './logger.ts';
import { silentLogger } from './logger.ts';
import { defineModule } from './module.ts';
import type { Resolver } from './module.ts';
import { optional } from './provider.ts';
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

describe('disposal on stop', () => {
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
});
