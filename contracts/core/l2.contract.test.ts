// L2 contract of @rampart/core: the documented options (scopes, tie-break,
// tenancy, decorators, observers, CloudEvents, registry, errors). Locked:
// these tests are never modified, only added to.
import { describe, expect, it } from 'vitest';
import {
  AppRegistry,
  ConfigError,
  DependencyError,
  Injectable,
  LifecycleError,
  Module,
  RampartError,
  SecurityError,
  TENANT,
  ValidationError,
  all,
  createApp,
  defineErrors,
  defineModule,
  errorFrom,
  isRampartError,
  named,
  optional,
  silentLogger,
  tenantAware,
  toCloudEvent,
  token,
} from '@rampart/core';
import type { LifecycleEvent, ModuleContext, ModuleDecorator, TenantContext } from '@rampart/core';

const codeOf = async (p: Promise<unknown>) => {
  const error: unknown = await p.then(() => undefined, (e: unknown) => e);
  return isRampartError(error) ? error.code : 'no rampart error';
};

describe('@rampart/core L2: services and scopes', () => {
  const CACHE = token<{ kind: string }>('cache');

  it('tie-break: explicit name > priority > registration order > ambiguity error', async () => {
    const app = createApp({
      logger: silentLogger,
      modules: [
        defineModule({ name: 'one', version: '1.0.0', providers: [{ provide: CACHE, name: 'memory', useValue: { kind: 'memory' } }] }),
        defineModule({ name: 'two', version: '1.0.0', providers: [{ provide: CACHE, name: 'redis', priority: 10, useValue: { kind: 'redis' } }] }),
      ],
    });
    await app.start();
    expect(app.get(CACHE).kind).toBe('redis');
    expect(app.get(CACHE, { name: 'memory' }).kind).toBe('memory');
    expect(app.getAll(CACHE).map((c) => c.kind)).toEqual(['redis', 'memory']);
    const tied = createApp({ logger: silentLogger, providers: [{ provide: CACHE, useValue: { kind: 'a' } }, { provide: CACHE, useValue: { kind: 'b' } }] });
    await tied.start();
    expect(() => tied.get(CACHE)).toThrow(expect.objectContaining({ code: 'CORE_ERR_AMBIGUOUS_PROVIDER' }));
  });

  it('scopes: app, transient, request (AsyncLocalStorage), tenant', async () => {
    const APP_SVC = token<object>('appSvc');
    const TRANSIENT = token<object>('transient');
    const REQUEST = token<object>('request');
    const PER_TENANT = token<{ tenant: string }>('perTenant');
    const app = createApp({
      logger: silentLogger,
      providers: [
        { provide: APP_SVC, useFactory: () => ({}) },
        { provide: TRANSIENT, scope: 'transient', useFactory: () => ({}) },
        { provide: REQUEST, scope: 'request', useFactory: () => ({}) },
        { provide: PER_TENANT, scope: 'tenant', inject: [TENANT], useFactory: (t: TenantContext) => ({ tenant: t.id }) },
      ],
    });
    await app.start();
    expect(app.get(APP_SVC)).toBe(app.get(APP_SVC));
    expect(app.get(TRANSIENT)).not.toBe(app.get(TRANSIENT));
    const [r1, r2] = await app.runInRequestScope(async () => {
      const first = app.get(REQUEST);
      await new Promise((r) => setTimeout(r, 1));
      return [first, app.get(REQUEST)];
    });
    expect(r1).toBe(r2);
    expect(app.runInRequestScope(() => app.get(REQUEST))).not.toBe(r1);
    expect(await app.runInTenant('acme', () => Promise.resolve(app.get(PER_TENANT).tenant))).toBe('acme');
    expect(() => app.get(PER_TENANT)).toThrow(expect.objectContaining({ code: 'CORE_ERR_TENANT_REQUIRED' }));
  });

  it('rejects a scope leak at bootstrap, naming both services', async () => {
    const REQ = token<object>('requestContext');
    const app = createApp({ logger: silentLogger, providers: [{ provide: REQ, scope: 'request', useFactory: () => ({}) }, { provide: CACHE, inject: [REQ], useFactory: () => ({ kind: 'x' }) }] });
    const error: unknown = await app.start().catch((e: unknown) => e);
    expect(isRampartError(error) && [error.code, error.details]).toEqual(['CORE_ERR_SCOPE_LEAK', { service: 'cache', scope: 'app', dependency: 'requestContext', dependencyScope: 'request' }]);
  });

  it('optional(), named(), all() and @Injectable classes', async () => {
    const MISSING = token<number>('missing');
    const OUT = token<unknown[]>('out');
    @Injectable({ inject: [named(CACHE, 'b')] })
    class UsesB {
      readonly cache: { kind: string };
      constructor(cache: { kind: string }) {
        this.cache = cache;
      }
    }
    const app = createApp({
      logger: silentLogger,
      providers: [
        { provide: CACHE, name: 'a', priority: 1, useValue: { kind: 'a' } },
        { provide: CACHE, name: 'b', useValue: { kind: 'b' } },
        { provide: OUT, inject: [optional(MISSING), all(CACHE)], useFactory: (...args: unknown[]) => args },
        UsesB,
      ],
    });
    await app.start();
    expect(app.get(OUT)).toEqual([undefined, [{ kind: 'a' }, { kind: 'b' }]]);
    expect(app.get(UsesB).cache.kind).toBe('b');
  });
});

describe('@rampart/core L2: modules', () => {
  it('optional module dependencies, minimum core version, all-or-nothing registration', async () => {
    const app = createApp({ logger: silentLogger, modules: [defineModule({ name: 'api', version: '1.0.0', optionalRequires: ['metrics'] })] });
    await app.start();
    expect(app.inspect().startOrder).toEqual(['api']);
    expect(() => createApp({ modules: [defineModule({ name: 'x', version: '1.0.0', coreVersion: '99.0.0' })] })).toThrow(expect.objectContaining({ code: 'CORE_ERR_CORE_VERSION' }));
    const empty = createApp({ logger: silentLogger });
    expect(() => empty.register(defineModule({ name: 'fine', version: '1.0.0' }), defineModule({ name: 'broken', version: 'one' }))).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_MODULE' }));
    expect(empty.inspect().modules).toEqual([]);
  });

  it('@Module classes and decorators in documented order (ascending priority, highest outermost)', async () => {
    const trace: string[] = [];
    const wrap = (name: string, priority: number): ModuleDecorator => ({
      name,
      priority,
      wrap: (m) => ({ ...m, start: async (ctx) => { trace.push(`${name}>`); await m.start?.(ctx); trace.push(`<${name}`); } }),
    });
    @Module({ name: 'svc', version: '1.0.0', decorators: [wrap('outer', 50), wrap('inner', 1)] })
    class Svc {
      start(ctx: ModuleContext) {
        trace.push(`start ${ctx.module}`);
      }
    }
    const app = createApp({ logger: silentLogger, modules: [Svc] });
    await app.start();
    expect(trace).toEqual(['outer>', 'inner>', 'start svc', '<inner', '<outer']);
  });

  it('tenantAware() runs hooks per tenant', async () => {
    const seen: string[] = [];
    const app = createApp({ logger: silentLogger, modules: [defineModule({ name: 'idx', version: '1.0.0', decorators: [tenantAware({ tenants: ['a', 'b'] })], start: (ctx) => void seen.push(String(ctx.currentTenant()?.id)) })] });
    await app.start();
    expect(seen).toEqual(['a', 'b']);
  });

  it('readiness ignores optional modules; health is the worst status', async () => {
    const app = createApp({
      logger: silentLogger,
      modules: [defineModule({ name: 'core', version: '1.0.0' }), defineModule({ name: 'extras', version: '1.0.0', optional: true, health: () => ({ status: 'unhealthy', message: 'down' }) })],
    });
    await app.start();
    const health = await app.health();
    expect([health.status, health.ready]).toEqual(['unhealthy', true]);
  });
});

describe('@rampart/core L2: observers, events, several apps', () => {
  it('a throwing observer does not break the lifecycle; strict observers do', async () => {
    const lax = createApp({ logger: silentLogger, observers: [() => { throw new Error('bug'); }], modules: [defineModule({ name: 'm', version: '1.0.0' })] });
    await lax.start();
    expect(lax.state).toBe('started');
    const strict = createApp({ logger: silentLogger, strictObservers: true, observers: [() => { throw new Error('bug'); }], modules: [defineModule({ name: 'm', version: '1.0.0' })] });
    expect(await codeOf(strict.start())).toBe('CORE_ERR_START_FAILED');
  });

  it('exports lifecycle events as CloudEvents 1.0', async () => {
    const events: LifecycleEvent[] = [];
    const app = createApp({ id: 'shop', logger: silentLogger, observers: [(e) => void events.push(e)], modules: [defineModule({ name: 'db', version: '1.0.0' })] });
    await app.start();
    await app.flushEvents();
    const ce = toCloudEvent(events[2] as LifecycleEvent);
    expect([ce.specversion, ce.id, ce.source, ce.type, ce.subject, ce.datacontenttype]).toEqual(['1.0', 'shop:3', '/rampart/apps/shop', 'io.rampart.lifecycle.started', 'db', 'application/json']);
  });

  it('keeps apps isolated in an AppRegistry', async () => {
    const registry = new AppRegistry();
    const SVC = token<object>('svc');
    const a = registry.create({ id: 'a', logger: silentLogger, providers: [{ provide: SVC, useFactory: () => ({}) }] });
    const b = registry.create({ id: 'b', logger: silentLogger, providers: [{ provide: SVC, useFactory: () => ({}) }] });
    await a.start();
    await b.start();
    expect(a.get(SVC)).not.toBe(b.get(SVC));
    await registry.stopAll();
    expect([a.state, b.state]).toEqual(['stopped', 'stopped']);
  });
});

describe('@rampart/core L2: error taxonomy', () => {
  it('taxonomy classes carry code, category, cause and the shared brand', () => {
    const cause = new Error('root');
    const errors = [new ConfigError('A', 'a', { cause }), new ValidationError('B', 'b'), new DependencyError('C', 'c'), new LifecycleError('D', 'd'), new SecurityError('E', 'e', { status: 403 })];
    expect(errors.map((e) => e.category)).toEqual(['config', 'validation', 'dependency', 'lifecycle', 'security']);
    expect(errors.every((e) => e instanceof RampartError && isRampartError(e))).toBe(true);
    expect(errors[0]?.cause).toBe(cause);
  });

  it('defineErrors/errorFrom build a package registry with open categories', () => {
    const registry = defineErrors({ SHOP_ERR_OUT_OF_STOCK: { category: 'inventory', summary: 'No stock', status: 409 } });
    const error = errorFrom(registry, 'SHOP_ERR_OUT_OF_STOCK', 'sku 42 is out of stock', { details: { sku: 42 } });
    expect([error.code, error.category, error.status, error.details, isRampartError(error)]).toEqual(['SHOP_ERR_OUT_OF_STOCK', 'inventory', 409, { sku: 42 }, true]);
  });
});
