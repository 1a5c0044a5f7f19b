/**
 * The service registry of one application: on top of provider selection
 * (provider-registry.ts), scoped instance caches and resolvers compiled once
 * so a singleton lookup is one Map hit and a flag.
 */
import { ambiguousName, cycle, describe, noRequestScope, providerFailed } from './container-errors.ts';
import { guarded } from './guarded-build.ts';
import { appOwned, markSingleton, tenantOwned } from './owned-instances.ts';
import type { AwaitBuild } from './owned-instances.ts';
import type { GetOptions } from './module.ts';
import type { Dep, ProviderRecord } from './provider.ts';
import { ProviderRegistry } from './provider-registry.ts';
import { BUILDING } from './tenancy.ts';
import type { ScopeContexts, ScopeStore } from './tenancy.ts';
import { forgetEntry, TenantCaches } from './tenant-caches.ts';
import type { Logger } from './logger.ts';
import type { InjectionKey } from './token.ts';
import { slotOf } from './token.ts';

type Resolve = () => unknown;

// Process-wide instances of `singleton` providers, keyed by the user's
// declaration object: every app built from the same declaration shares them
// (and none of them disposes them: see owned-instances.ts).
const processSingletons = new WeakMap<object, unknown>();
// The arguments of every build without dependencies (a fresh empty array cost ~4 ns a build,
// measured). Nothing writes to it: rec.create() only spreads it.
const NO_ARGS: unknown[] = [];

export class Container extends ProviderRegistry {
  /**
   * Instances of cached-scope (app, singleton, value) default selections, by
   * key: the fast path of app.get() is this one Map hit (measured: a resolver
   * closure call on top costs ~40% more per singleton lookup).
   */
  readonly hot = new Map<unknown, unknown>();
  /** `hot` for token keys: indexed by the token's slot (see token.ts); `hot` keeps class keys. */
  readonly hotSlots: unknown[] = [];
  readonly #resolvers = new Map<ProviderRecord, Resolve>();
  readonly #defaults = new Map<InjectionKey<unknown>, Resolve>();
  readonly #tenants: TenantCaches;
  #tenantBound: ReadonlySet<ProviderRecord> = new Set();
  // Stryker disable next-line ArrayDeclaration: a seeded string would be skipped by disposal (not an object), so no behaviour changes
  readonly #created: unknown[] = [];
  /** `useValue` values resolved by this app: the caller made them, so disposal skips them (see owned-instances.ts). */
  readonly #values: unknown[] = [];
  readonly #contexts: ScopeContexts;
  readonly #logger: Logger;

  constructor(contexts: ScopeContexts, logger: Logger) {
    super();
    this.#contexts = contexts;
    this.#logger = logger;
    this.#tenants = new TenantCaches(contexts, logger, (rec, promise, forget) => this.#watchAsync(rec, promise, forget));
  }

  /** The request-scoped records cached per (request, tenant) (see tenant-bound.ts); set at bootstrap, before the first resolution. */
  bindToTenants(records: ReadonlySet<ProviderRecord>): void {
    this.#tenantBound = records;
  }

  /** Resolves the default provider of `key` (selection cached after first use). */
  get(key: InjectionKey<unknown>, requester: string): unknown {
    const fast = this.#defaults.get(key);
    if (fast !== undefined) return fast();
    const rec = this.select(key, undefined, requester);
    const resolve = this.resolverOf(rec);
    // Stryker disable next-line CallExpression: a cache of select() + resolverOf(), both deterministic: without it the same resolver is found again
    this.#defaults.set(key, resolve);
    const instance = resolve();
    // Stryker disable next-line LogicalOperator,StringLiteral,CallExpression: `hot` only short-cuts app.get() to the instance this resolver caches; fewer entries change speed, not results
    if (rec.scope === 'app' || rec.scope === 'singleton') {
      const slot = slotOf(key);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: both caches only short-cut app.get(); an entry in the other one is never read, and a miss falls through to this method
      if (slot === undefined) this.hot.set(key, instance);
      else this.hotSlots[slot] = instance;
    }
    return instance;
  }

  getNamed(key: InjectionKey<unknown>, name: string, requester: string): unknown {
    return this.resolverOf(this.select(key, name, requester))();
  }

  /**
   * A lookup by string name (`'db'`) and/or by provider name (`options.name`):
   * the slow path of app.get() and of a module context's get().
   */
  lookup(key: InjectionKey<unknown> | string, options: GetOptions | undefined, requester: string): unknown {
    let target = key;
    if (typeof key === 'string') {
      const keys = this.keysNamed(key);
      if (keys.length === 0) throw this.missing(key, requester);
      if (keys.length > 1) {
        // Each token by who provides it: the tokens share the name, so the name alone tells them apart for no one.
        throw ambiguousName(key, requester, keys.map((k) => this.candidates(k).map(describe).join(' + ')));
      }
      target = keys[0] as InjectionKey<unknown>;
    }
    const name = options?.name;
    const k = target as InjectionKey<unknown>;
    return name === undefined ? this.get(k, requester) : this.getNamed(k, name, requester);
  }

  /** Every provider of `key`, highest priority first, then registration order; `requester` is named in the error for a non-key. */
  getAll(key: InjectionKey<unknown>, requester: string): unknown[] {
    return this.ordered(key, requester).map((rec) => this.resolverOf(rec)());
  }

  resolverOf(rec: ProviderRecord): Resolve {
    let resolve = this.#resolvers.get(rec);
    if (resolve === undefined) {
      resolve = this.#compile(rec);
      this.#resolvers.set(rec, resolve);
    }
    return resolve;
  }

  #depResolver(dep: Dep<unknown>, requester: string): Resolve {
    if (dep.all) return () => this.getAll(dep.token, requester);
    if (dep.optional && this.candidates(dep.token).length === 0) return () => undefined;
    return this.resolverOf(this.select(dep.token, dep.name, requester));
  }

  #compile(rec: ProviderRecord): Resolve {
    const requester = `Service ${describe(rec)}`;
    const deps = rec.deps.map((d) => this.#depResolver(d, requester));
    // A transient or app-scoped service has one build at a time: its factory
    // running again before it returns is a factory resolving its own service
    // (directly or through APP), which the bootstrap check cannot see, and which
    // recursed until the stack overflowed (a transient has no cache to stop it).
    // The request and tenant scopes may build one service for two slots at once
    // (two tenants): guarded() tells those apart.
    const single = rec.scope !== 'request' && rec.scope !== 'tenant';
    let creating = false;
    const build = (): unknown => {
      // rec.create spreads its arguments, so the common no-dependency build can share one empty list.
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a fresh empty array for every build gives the same arguments (slower)
      const args = deps.length === 0 ? NO_ARGS : new Array<unknown>(deps.length);
      for (let i = 0; i < deps.length; i += 1) args[i] = (deps[i] as Resolve)();
      if (creating) throw cycle(rec);
      creating = single;
      try {
        return rec.create(args);
      } catch (error) {
        throw providerFailed(rec, error);
      } finally {
        creating = false;
      }
    };
    switch (rec.scope) {
      case 'transient':
        return build;
      case 'request':
        // Chosen once here: a service that does not depend on the tenant keeps the plain resolver.
        return this.#tenantBound.has(rec) ? this.#tenantBoundRequestScoped(rec, build) : this.#requestScoped(rec, build);
      case 'tenant':
        return this.#tenants.resolver(rec, build);
      default:
        return this.#cached(rec, build);
    }
  }

  #cached(rec: ProviderRecord, build: Resolve): Resolve {
    let done = false;
    let instance: unknown;
    return () => {
      if (done) return instance;
      if (rec.scope === 'singleton' && processSingletons.has(rec.identity)) {
        instance = processSingletons.get(rec.identity);
      } else {
        instance = build();
        if (rec.scope === 'singleton') {
          processSingletons.set(rec.identity, instance);
          markSingleton(instance);
        } else if (rec.kind === 'value') {
          this.#values.push(instance);
        } else {
          // Also what a factory passed on (an alias): owned-instances.ts drops the repeats and
          // what the app did not build. Sorting that out here, per instance, made bootstrap ~10% slower.
          this.#created.push(instance);
        }
      }
      done = true;
      // A value is what the caller gave: building it again would give the same promise.
      if (instance instanceof Promise && rec.kind !== 'value') {
        this.#watchAsync(rec, instance, () => {
          done = false;
          instance = undefined;
        });
      }
      return instance;
    };
  }

  /**
   * A factory that threw is built again on the next resolution; one whose
   * promise rejects must be too, in every scope that caches (app, singleton,
   * tenant, request), or the rejected promise stays cached for the cache's life
   * (for a singleton, in every later app of the process). `forget` drops the
   * scope's own entry, only if it still holds that promise; the shared caches
   * below are checked the same way. The handler marks the promise handled, so
   * the rejection is logged here rather than lost.
   */
  #watchAsync(rec: ProviderRecord, promise: Promise<unknown>, forget: () => void): void {
    // What a singleton's promise resolves to is shared like the promise: an
    // app's alias that awaits it (`async (p) => await p`) must not dispose it.
    const shared = rec.scope === 'singleton' ? markSingleton : undefined;
    promise.then(shared, (error: unknown) => {
      forget();
      if (processSingletons.get(rec.identity) === promise) processSingletons.delete(rec.identity);
      const slot = slotOf(rec.key);
      if (slot === undefined) {
        // Stryker disable next-line ConditionalExpression: `hot` only short-cuts app.get() to what a resolver caches; dropping another provider's entry costs speed, not results
        if (this.hot.get(rec.key) === promise) this.hot.delete(rec.key);
      } else {
        // Stryker disable next-line ConditionalExpression: as for `hot`: a dropped entry of another provider is found again through container.get()
        if (this.hotSlots[slot] === promise) this.hotSlots[slot] = undefined;
      }
      this.#logger.warn({ err: error, service: rec.keyName }, 'async factory rejected; the next resolution builds the service again');
    });
  }

  /**
   * The build for a request's own slot, made once per provider: a cache miss
   * pays one instanceof test, a hit nothing (measured hot path, README
   * "Performance"); only an async build gets a rejection handler. A factory
   * resolving its own service in the same request finds the slot BUILDING
   * (see ScopeStore.instanceOf): cycle detection without guarded()'s list,
   * ~15 ns less per request-scoped build (measured).
   */
  #requestBuild(rec: ProviderRecord, build: Resolve): (request: ScopeStore) => unknown {
    return (request) => {
      const instance = build();
      if (instance instanceof Promise) this.#watchAsync(rec, instance, () => request.forget(rec, instance));
      return instance;
    };
  }

  #requestScoped(rec: ProviderRecord, build: Resolve): Resolve {
    const storage = this.#contexts.storage;
    const once = this.#requestBuild(rec, build);
    return () => {
      const scope = storage.getStore()?.request;
      if (scope === undefined) throw noRequestScope(rec);
      const instance = scope.instanceOf(rec, once);
      if (instance === BUILDING) throw cycle(rec);
      return instance;
    };
  }

  /**
   * A request-scoped service that reaches a tenant-scoped one: `runInTenant`
   * inside a request keeps the request's cache, and an instance built for the
   * request's tenant must not be served to another (a cross-tenant leak). The
   * request's own tenant keeps the usual slot; other tenants' instances live in
   * a Map per request, stored in the request's cache under `others`.
   */
  #tenantBoundRequestScoped(rec: ProviderRecord, build: Resolve): Resolve {
    const storage = this.#contexts.storage;
    const others = {};
    const once = guarded(rec, build);
    const own = this.#requestBuild(rec, build);
    return () => {
      const store = storage.getStore();
      const scope = store?.request;
      if (scope === undefined) throw noRequestScope(rec);
      const id = (store as ScopeStore).tenant?.id;
      if (id === scope.tenant?.id) {
        const instance = scope.instanceOf(rec, own);
        if (instance === BUILDING) throw cycle(rec);
        return instance;
      }
      const byTenant = scope.instanceOf(others, () => new Map<string | undefined, unknown>()) as Map<string | undefined, unknown>;
      if (byTenant.has(id)) return byTenant.get(id);
      // The slot is (this request's Map of other tenants, tenant): building for another tenant is no cycle.
      const instance = once(byTenant, id);
      byTenant.set(id, instance);
      if (instance instanceof Promise) this.#watchAsync(rec, instance, () => forgetEntry(byTenant, id, instance));
      return instance;
    };
  }

  /**
   * Drops one tenant's instances; resolves to those the tenant built, once
   * each, latest first (a service before those it was built from, as at stop),
   * for disposal (see owned-instances.ts). The caches are dropped at once; only then
   * does it wait for async builds.
   */
  releaseTenant(id: string, awaitBuild?: AwaitBuild): Promise<object[]> {
    return tenantOwned(this.#tenants.release(id), this.#values, this.#created, awaitBuild);
  }

  /** releaseTenant() for every tenant, the latest tenant first: what stop() disposes before the app's own instances. */
  releaseAllTenants(awaitBuild?: AwaitBuild): Promise<object[]> {
    return tenantOwned(this.#tenants.releaseAll(), this.#values, this.#created, awaitBuild);
  }

  /** App-scoped instances this app built (async ones once resolved), in creation order, once each (disposed in reverse on stop). */
  created(awaitBuild?: AwaitBuild): Promise<object[]> {
    return appOwned(this.#created, this.#values, awaitBuild);
  }
}
