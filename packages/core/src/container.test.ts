import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { AppOptions } from './app.ts';
import { APP, LOGGER, TENANT } from './builtins.ts';
import { silentLogger } from './logger.ts';
import { defineModule } from './module.ts';
import type { ModuleDefinition } from './module.ts';
import { Injectable, all, injectable, named, optional, provider } from './provider.ts';
import type { Provider } from './provider.ts';
import { token } from './token.ts';

const mod = (name: string, providers: Provider[], extra: Partial<ModuleDefinition> = {}) => defineModule({ name, version: '1.0.0', providers, ...extra });

async function started(options: AppOptions) {
  const app = createApp({ logger: silentLogger, ...options });
  await app.start();
  return app;
}

async function startError(options: AppOptions): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  const app = createApp({ logger: silentLogger, ...options });
  return (await app.start().then(
    () => undefined,
    (e: unknown) => e,
  )) as never;
}

const CACHE = token<{ kind: string }>('cache');
const DB = token<{ id: number }>('db');

describe('provider forms', () => {
  it('resolves value, factory with inject, class with inject, and @Injectable/injectable classes', async () => {
    class Repo {
      readonly db: { id: number };
      constructor(db: { id: number }) {
        this.db = db;
      }
    }
    @Injectable({ inject: [DB], scope: 'transient' })
    class Service {
      readonly db: { id: number };
      constructor(db: { id: number }) {
        this.db = db;
      }
    }
    class Plain {
      readonly ok = true;
    }
    const Bare = injectable(class Bare {}, {});
    const REPO = token<Repo>('repo');
    const app = await started({
      providers: [
        { provide: DB, useValue: { id: 7 } },
        { provide: REPO, inject: [DB], useClass: Repo },
        provider({ provide: CACHE, inject: [DB], useFactory: (db) => ({ kind: `f${String(db.id)}` }) }),
        Service,
        Plain,
        Bare,
      ],
    });
    expect(app.get(DB)).toEqual({ id: 7 });
    expect(app.get(REPO).db).toBe(app.get(DB));
    expect(app.get(CACHE)).toEqual({ kind: 'f7' });
    expect(app.get(Service)).toBeInstanceOf(Service);
    expect(app.get(Service)).not.toBe(app.get(Service));
    expect(app.get(Plain).ok).toBe(true);
    expect(app.get(Bare)).toBeInstanceOf(Bare);
    expect(app.get<{ id: number }>('db')).toEqual({ id: 7 });
    expect(app.get(LOGGER)).toBe(app.logger);
    expect(app.get(APP)).toBe(app);
  });

  it('takes the inject list and scope of an @Injectable class given as useClass, unless the declaration sets them', async () => {
    const REPO = token<{ dep: unknown }>('repo');
    const OWN = token<{ dep: unknown }>('ownSettings');
    const SCOPED = token<{ dep: unknown }>('scopeOnly');
    @Injectable({ inject: [DB], scope: 'transient' })
    class Repo {
      readonly dep: unknown;
      constructor(dep: unknown) {
        this.dep = dep;
      }
    }
    @Injectable({ scope: 'transient' })
    class Scoped {
      readonly dep: unknown;
      constructor(...args: unknown[]) {
        this.dep = args[0];
      }
    }
    const app = await started({
      providers: [
        { provide: DB, useValue: { id: 1 } },
        { provide: CACHE, useValue: { kind: 'c' } },
        { provide: REPO, useClass: Repo },
        { provide: OWN, inject: [CACHE], scope: 'app', useClass: Repo },
        { provide: SCOPED, useClass: Scoped },
      ],
    });
    expect(app.get(REPO).dep).toEqual({ id: 1 });
    expect(app.get(REPO)).not.toBe(app.get(REPO));
    expect(app.get(OWN).dep).toEqual({ kind: 'c' });
    expect(app.get(OWN)).toBe(app.get(OWN));
    expect(app.get(SCOPED).dep).toBeUndefined();
    expect(app.get(SCOPED)).not.toBe(app.get(SCOPED));
  });

  it('takes a class with a static `token` member for a class key, not for an optional()/named()/all() wrapper', async () => {
    class Jwt {
      static readonly token = 'issuer';
    }
    const USER = token<Jwt>('user');
    const app = await started({ providers: [Jwt, { provide: USER, inject: [Jwt], useFactory: (j: Jwt) => j }] });
    expect(app.get(USER)).toBeInstanceOf(Jwt);
    expect(app.get(USER)).toBe(app.get(Jwt));
  });

  it('registers an @Injectable class under another token', async () => {
    const STORE = token<{ kind: string }>('store');
    @Injectable({ provide: STORE, name: 'mem' })
    class MemStore {
      readonly kind = 'mem';
    }
    const app = await started({ providers: [MemStore] });
    expect(app.get(STORE, { name: 'mem' })).toBeInstanceOf(MemStore);
  });
});

describe('tie-break: explicit name > priority > registration order > ambiguity', () => {
  it('picks by explicit name first, even over a higher priority', async () => {
    const app = await started({
      modules: [mod('a', [{ provide: CACHE, name: 'memory', useValue: { kind: 'memory' } }, { provide: CACHE, name: 'redis', priority: 5, useValue: { kind: 'redis' } }])],
    });
    expect(app.get(CACHE, { name: 'memory' }).kind).toBe('memory');
    expect(app.get(CACHE).kind).toBe('redis');
  });

  it('picks the highest priority, then the earliest registered module', async () => {
    const app = await started({
      modules: [mod('first', [{ provide: CACHE, useValue: { kind: 'first' } }]), mod('second', [{ provide: CACHE, useValue: { kind: 'second' } }])],
    });
    expect(app.get(CACHE).kind).toBe('first');
    expect(app.getAll(CACHE).map((c) => c.kind)).toEqual(['first', 'second']);
    const boosted = await started({
      modules: [mod('first', [{ provide: CACHE, useValue: { kind: 'first' } }]), mod('second', [{ provide: CACHE, priority: 1, useValue: { kind: 'second' } }])],
    });
    expect(boosted.get(CACHE).kind).toBe('second');
    expect(boosted.getAll(CACHE).map((c) => c.kind)).toEqual(['second', 'first']);
  });

  it('fails with the candidates listed when name, priority and registration all tie', async () => {
    const app = await started({ modules: [mod('m', [{ provide: CACHE, name: 'x', useValue: { kind: 'x' } }, { provide: CACHE, name: 'y', useValue: { kind: 'y' } }])] });
    expect(() => app.get(CACHE)).toThrow(
      expect.objectContaining({
        code: 'CORE_ERR_AMBIGUOUS_PROVIDER',
        details: { token: 'cache', requester: 'app.get()', candidates: ["'cache' (x) of module 'm'", "'cache' (y) of module 'm'"] },
      }),
    );
  });

  it('fails at bootstrap when an injected token is ambiguous', async () => {
    const USER = token<unknown>('user');
    const error = await startError({
      modules: [mod('m', [{ provide: CACHE, useValue: { kind: 'x' } }, { provide: CACHE, useValue: { kind: 'y' } }, { provide: USER, inject: [CACHE], useFactory: (c: unknown) => c }])],
    });
    expect(error.code).toBe('CORE_ERR_AMBIGUOUS_PROVIDER');
    expect(error.details['requester']).toBe("Service 'user' of module 'm'");
  });

  it('reports an unknown explicit name with the names that exist', async () => {
    const app = await started({ modules: [mod('m', [{ provide: CACHE, name: 'redis', useValue: { kind: 'r' } }])] });
    expect(() => app.get(CACHE, { name: 'rediss' })).toThrow(expect.objectContaining({ code: 'CORE_ERR_MISSING_PROVIDER', details: { token: "cache named 'rediss'", requester: 'app.get()', suggestions: ['redis'] } }));
  });

  it('lets app-level providers override built-ins', async () => {
    const app = await started({ providers: [{ provide: LOGGER, useValue: silentLogger }] });
    expect(app.get(LOGGER)).toBe(silentLogger);
  });
});

describe('dependency modifiers', () => {
  it('injects undefined for an absent optional dependency, a named provider, and all providers', async () => {
    const OUT = token<unknown[]>('out');
    const METRICS = token<unknown>('metrics');
    const app = await started({
      modules: [
        mod('m', [
          { provide: CACHE, name: 'a', useValue: { kind: 'a' } },
          { provide: CACHE, name: 'b', priority: 1, useValue: { kind: 'b' } },
          { provide: OUT, inject: [optional(METRICS), named(CACHE, 'a'), all(CACHE), all(METRICS)], useFactory: (...args: unknown[]) => args },
        ]),
      ],
    });
    expect(app.get(OUT)).toEqual([undefined, { kind: 'a' }, [{ kind: 'b' }, { kind: 'a' }], []]);
    expect(app.tryGet(METRICS)).toBeUndefined();
    expect(app.tryGet(CACHE)?.kind).toBe('b');
  });
});

describe('missing dependencies', () => {
  it('names the requester and suggests close names at bootstrap', async () => {
    const DBB = token<unknown>('dbb');
    const USERS = token<unknown>('users');
    const error = await startError({
      modules: [mod('db', [{ provide: DB, useValue: { id: 1 } }]), mod('users', [{ provide: USERS, inject: [DBB], useFactory: () => 1 }], { requires: ['db'] })],
    });
    expect(error.code).toBe('CORE_ERR_MISSING_PROVIDER');
    expect(error.message).toBe("Service 'users' of module 'users' asked for 'dbb', which no module provides. Did you mean 'db'?");
    expect(error.details).toEqual({ token: 'dbb', requester: "Service 'users' of module 'users'", suggestions: ['db'] });
  });

  it('names the module when a hook asks, and app.get() when the app asks', async () => {
    const seen: unknown[] = [];
    const app = await started({
      modules: [mod('db', [{ provide: DB, useValue: { id: 1 } }]), mod('web', [], { requires: ['db'], start: (ctx) => void seen.push(ctx.tryGet(CACHE), (() => { try { return ctx.get('dbs'); } catch (e) { return (e as Error).message; } })()) })],
    });
    expect(seen).toEqual([undefined, "module 'web' asked for 'dbs', which no module provides. Did you mean 'db'?"]);
    expect(() => app.get(CACHE)).toThrow("app.get() asked for 'cache', which no module provides.");
  });

  it('says that another token carries the name asked for, instead of suggesting that very name', async () => {
    const USER = token<unknown>('user');
    const error = await startError({ providers: [{ provide: token('db'), useValue: 1 }, { provide: token('dbs'), useValue: 2 }, { provide: USER, inject: [token('db')], useFactory: (d: unknown) => d }] });
    expect(error.code).toBe('CORE_ERR_MISSING_PROVIDER');
    expect(error.message).toBe(
      "Service 'user' of the application asked for 'db', which no module provides. Another token or class is also named 'db': keys are told apart by identity, not by name, so this is a different one (was the token made twice?). Did you mean 'dbs'?",
    );
    expect(error.details).toEqual({ token: 'db', requester: "Service 'user' of the application", suggestions: ['dbs'] });
  });

  it('labels a class without a name <anonymous class>, and suggests nothing for it or for an empty name', async () => {
    const Anon = (() => class {})();
    const app = await started({});
    expect(() => app.get(Anon)).toThrow(
      expect.objectContaining({ message: "app.get() asked for '<anonymous class>', which no module provides.", details: { token: '<anonymous class>', requester: 'app.get()', suggestions: [] } }),
    );
    expect(() => app.get('')).toThrow(expect.objectContaining({ message: "app.get() asked for '', which no module provides.", details: { token: '', requester: 'app.get()', suggestions: [] } }));
  });

  it('rejects a string lookup that matches two different tokens', async () => {
    const app = await started({ providers: [{ provide: token('dup'), useValue: 1 }, { provide: token('dup'), useValue: 2 }] });
    expect(() => app.get('dup')).toThrow(expect.objectContaining({ code: 'CORE_ERR_AMBIGUOUS_PROVIDER' }));
  });
});

describe('bootstrap graph checks', () => {
  it('reports an injection cycle with its chain', async () => {
    const A = token<unknown>('A');
    const B = token<unknown>('B');
    const C = token<unknown>('C');
    const error = await startError({
      providers: [
        { provide: A, inject: [B], useFactory: () => 1 },
        { provide: B, inject: [C], useFactory: () => 1 },
        { provide: C, inject: [A], useFactory: () => 1 },
      ],
    });
    expect([error.code, error.message, error.details]).toEqual(['CORE_ERR_PROVIDER_CYCLE', 'Services inject each other in a circle: A → B → C → A', { chain: ['A', 'B', 'C', 'A'] }]);
  });

  it('detects a factory that resolves itself at run time', async () => {
    const SELF = token<unknown>('self');
    const app = await started({ providers: [{ provide: SELF, inject: [APP], useFactory: (app: { get(k: unknown): unknown }) => app.get(SELF) }] });
    expect(() => app.get(SELF)).toThrow(expect.objectContaining({ code: 'CORE_ERR_PROVIDER_FAILED', cause: expect.objectContaining({ code: 'CORE_ERR_PROVIDER_CYCLE' }) }));
  });

  it("rejects a service that injects a service of a module its module does not depend on", async () => {
    const USERS = token<unknown>('users');
    const error = await startError({ modules: [mod('db', [{ provide: DB, useValue: { id: 1 } }]), mod('users', [{ provide: USERS, inject: [DB], useFactory: (d: unknown) => d }])] });
    expect(error.code).toBe('CORE_ERR_UNDECLARED_DEPENDENCY');
    expect(error.details).toEqual({ requester: 'users', module: 'users', token: 'db', provider: 'db' });
  });

  it('accepts transitive and optional module dependencies', async () => {
    const USERS = token<unknown>('users');
    const app = await started({
      modules: [mod('db', [{ provide: DB, useValue: { id: 1 } }]), mod('pool', [], { requires: ['db'] }), mod('users', [{ provide: USERS, inject: [DB], useFactory: (d: unknown) => d }], { optionalRequires: ['pool', 'absent'] })],
    });
    expect(app.get(USERS)).toEqual({ id: 1 });
  });

  it('wraps a throwing factory with the service and module', async () => {
    const app = await started({ modules: [mod('m', [{ provide: DB, useFactory: () => { throw new Error('no socket'); } }])] });
    expect(() => app.get(DB)).toThrow(expect.objectContaining({ code: 'CORE_ERR_PROVIDER_FAILED', message: "Creating service 'db' of module 'm' failed", details: { service: 'db', module: 'm' } }));
  });
});

describe('scopes', () => {
  it('app scope: one instance per app; transient: one per resolution', async () => {
    let n = 0;
    const T = token<number>('t');
    const app = await started({ providers: [{ provide: DB, useFactory: () => ({ id: (n += 1) }) }, { provide: T, scope: 'transient', useFactory: () => (n += 1) }] });
    expect(app.get(DB)).toBe(app.get(DB));
    expect(app.get(T)).not.toBe(app.get(T));
    const other = await started({ providers: [{ provide: DB, useFactory: () => ({ id: (n += 1) }) }] });
    expect(other.get(DB)).not.toBe(app.get(DB));
  });

  it('singleton scope: one instance per process for the same declaration', async () => {
    const declaration: Provider = { provide: DB, scope: 'singleton', useFactory: () => ({ id: Math.random() }) };
    const a = await started({ providers: [declaration] });
    const b = await started({ providers: [declaration] });
    expect(a.get(DB)).toBe(b.get(DB));
  });

  it('request scope: one instance per runInRequestScope, shared across awaits', async () => {
    const REQ = token<{ n: number }>('req');
    let n = 0;
    const app = await started({ providers: [{ provide: REQ, scope: 'request', useFactory: () => ({ n: (n += 1) }) }] });
    const [first, second] = await Promise.all([
      app.runInRequestScope(async () => {
        const before = app.get(REQ);
        await new Promise((r) => setTimeout(r, 5));
        return [before, app.get(REQ)];
      }),
      app.runInRequestScope(() => Promise.resolve([app.get(REQ), app.get(REQ)]), { requestId: 'r-2' }),
    ]);
    expect(first?.[0]).toBe(first?.[1]);
    expect(second?.[0]).toBe(second?.[1]);
    expect(first?.[0]).not.toBe(second?.[0]);
    expect(app.runInRequestScope(() => app.currentRequestId(), { requestId: 'abc' })).toBe('abc');
    expect(() => app.get(REQ)).toThrow(expect.objectContaining({ code: 'CORE_ERR_NO_REQUEST_SCOPE' }));
  });

  it('rejects a scope leak at bootstrap, naming both services', async () => {
    const REQ = token<unknown>('reqCtx');
    const error = await startError({ providers: [{ provide: REQ, scope: 'request', useFactory: () => ({}) }, { provide: CACHE, inject: [REQ], useFactory: () => ({ kind: 'x' }) }] });
    expect(error.code).toBe('CORE_ERR_SCOPE_LEAK');
    expect(error.details).toEqual({ service: 'cache', scope: 'app', dependency: 'reqCtx', dependencyScope: 'request' });
    expect(error.message).toContain("app service 'cache' of the application injects request service 'reqCtx' of the application");
  });

  it('sees a scope leak through a transient', async () => {
    const MID = token<unknown>('mid');
    const error = await startError({
      providers: [{ provide: TENANT_SVC, scope: 'tenant', useFactory: () => ({}) }, { provide: MID, scope: 'transient', inject: [TENANT_SVC], useFactory: () => ({}) }, { provide: CACHE, scope: 'singleton', inject: [MID], useFactory: () => ({ kind: 'x' }) }],
    });
    expect(error.code).toBe('CORE_ERR_SCOPE_LEAK');
    expect(error.message).toContain("(through transient 'mid' of the application)");
  });

  it('allows shorter-lived services to inject longer-lived ones, and transients anywhere', async () => {
    const REQ = token<unknown[]>('req');
    const TR = token<unknown>('tr');
    const app = await started({
      providers: [{ provide: DB, useValue: { id: 1 } }, { provide: TR, scope: 'transient', useFactory: () => ({}) }, { provide: REQ, scope: 'request', inject: [DB, TR, TENANT], useFactory: (...a: unknown[]) => a }],
      tenancy: { mode: 'permissive' },
    });
    expect(app.runInRequestScope(() => app.get(REQ))[0]).toEqual({ id: 1 });
  });
});

const TENANT_SVC = token<unknown>('tenantSvc');
