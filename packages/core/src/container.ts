/**
 * The service registry of one application: provider selection (explicit name >
 * priority > registration batch > ambiguity error), scoped instance caches,
 * and resolvers compiled once so a singleton lookup is one Map hit and a flag.
 */
import { coreError } from './errors.ts';
import { isRampartError } from './rampart-error.ts';
import type { Dep, ProviderRecord } from './provider.ts';
import { closeNames, formatValue } from './suggest.ts';
import type { ScopeContexts, ScopeStore } from './tenancy.ts';
import type { Logger } from './logger.ts';
import type { InjectionKey } from './token.ts';
import { isInjectionKey, keyName, slotOf } from './token.ts';

type Resolve = () => unknown;

// Process-wide instances of `singleton` providers, keyed by the user's
// declaration object: every app built from the same declaration shares them.
const processSingletons = new WeakMap<object, unknown>();

// The objects among them. Apps that share a singleton start and stop
// independently, so none of them disposes it: not on stop, and not when one
// of its own providers returns it (an alias factory). Whoever owns the
// process disposes singletons at exit, as it created the declaration.
const singletonInstances = new WeakSet<object>();

/** What can be shared and disposed: disposal skips anything else (see disposeAll in app.ts). */
function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/**
 * `instances` with each promise (what an async factory or a promise `useValue`
 * gave) replaced by what it resolved to, in the same order: the pool with the
 * dispose method is the value, not the promise. A rejected one becomes
 * undefined, which disposal skips: the rejection was logged when it happened
 * (see #watchAsync). Waits for a build still pending, so what it makes is
 * disposed too. Runs at disposal only.
 */
async function settled(instances: readonly unknown[]): Promise<unknown[]> {
  return Promise.all(instances.map((instance) => (instance instanceof Promise ? instance.then(undefined, () => undefined) : instance)));
}

/** Label of a record for messages: `cache (redis) of module 'store'`. */
export function describe(rec: ProviderRecord): string {
  const name = rec.name === undefined ? '' : ` (${rec.name})`;
  const owner = rec.module === undefined ? 'the application' : `module '${rec.module}'`;
  return `'${rec.keyName}'${name} of ${owner}`;
}

function cycle(rec: ProviderRecord) {
  return coreError('CORE_ERR_PROVIDER_CYCLE', `Service ${describe(rec)} was requested while it was being created (a factory resolves it, directly or not)`, { details: { chain: [rec.keyName, rec.keyName] } });
}

/**
 * `build` that refuses to run for a cache slot (`scope`, `part`) it is already
 * running for. build() is synchronous, so that is a factory resolving its own
 * service in the same request or tenant (directly or not): the bootstrap check
 * cannot see a lookup through APP, and without this the cache miss recursed
 * until the stack overflowed. (The app scope and transients have one build at
 * a time, checked in #compile.) The list is per provider and as long as the
 * nesting (empty nearly always): a request pays nothing for it, and a cache
 * hit never reaches it.
 */
function guarded(rec: ProviderRecord, build: Resolve): (scope: unknown, part?: unknown) => unknown {
  // Flat (scope, part) pairs: no allocation per build.
  const active: unknown[] = [];
  return (scope, part) => {
    // Stryker disable next-line EqualityOperator: one step past the end reads undefined, which no scope is (a request store, a tenant id, a Map)
    for (let i = 0; i < active.length; i += 2) if (active[i] === scope && active[i + 1] === part) throw cycle(rec);
    active.push(scope, part);
    try {
      return build();
    } finally {
      // Two pops, not `length -= 2`: shrinking through length cost ~50 ns per request-scoped build (measured).
      active.pop();
      active.pop();
    }
  };
}

/** CORE_ERR_MISSING_PROVIDER for a lookup by something that is no key at all: nothing can provide it. */
function notAKey(key: unknown, requester: string) {
  const shown = formatValue(key);
  return coreError(
    'CORE_ERR_MISSING_PROVIDER',
    `${requester} asked for ${shown}, which is not a token or a class. A token that is undefined where it is used was usually read during a circular import, before the module declaring it finished loading: move it to a module outside the cycle.`,
    { details: { token: shown, requester, suggestions: [] } },
  );
}

function noRequestScope(rec: ProviderRecord) {
  return coreError('CORE_ERR_NO_REQUEST_SCOPE', `Service ${describe(rec)} is request-scoped; resolve it inside app.runInRequestScope()`, { details: { service: rec.keyName } });
}

export class Container {
  /**
   * Instances of cached-scope (app, singleton, value) default selections, by
   * key: the fast path of app.get() is this one Map hit (measured: a resolver
   * closure call on top costs ~40% more per singleton lookup).
   */
  readonly hot = new Map<unknown, unknown>();
  /** `hot` for token keys: indexed by the token's slot (see token.ts); `hot` keeps class keys. */
  readonly hotSlots: unknown[] = [];
  readonly #byKey = new Map<InjectionKey<unknown>, ProviderRecord[]>();
  readonly #resolvers = new Map<ProviderRecord, Resolve>();
  readonly #defaults = new Map<InjectionKey<unknown>, Resolve>();
  readonly #tenantCaches = new Map<string, Map<ProviderRecord, unknown>>();
  readonly #warnedFallback = new Set<ProviderRecord>();
  #tenantBound: ReadonlySet<ProviderRecord> = new Set();
  // Stryker disable next-line ArrayDeclaration: a seeded string would be skipped by disposal (not an object), so no behaviour changes
  readonly #created: unknown[] = [];
  /** `useValue` values resolved by this app: the caller made them, so disposal skips them (see #disposable). */
  readonly #values: unknown[] = [];
  readonly #contexts: ScopeContexts;
  readonly #logger: Logger;

  constructor(contexts: ScopeContexts, logger: Logger) {
    this.#contexts = contexts;
    this.#logger = logger;
  }

  /** Adds records (already validated); call before the first resolution. */
  add(records: readonly ProviderRecord[]): void {
    for (const rec of records) {
      const list = this.#byKey.get(rec.key);
      if (list === undefined) this.#byKey.set(rec.key, [rec]);
      else list.push(rec);
    }
  }

  /** The request-scoped records cached per (request, tenant) (see tenant-bound.ts); set at bootstrap, before the first resolution. */
  bindToTenants(records: ReadonlySet<ProviderRecord>): void {
    this.#tenantBound = records;
  }

  records(): ProviderRecord[] {
    return [...this.#byKey.values()].flat();
  }

  candidates(key: InjectionKey<unknown>): readonly ProviderRecord[] {
    return this.#byKey.get(key) ?? [];
  }

  /** The provider `key` (optionally `name`) resolves to, or a typed error. */
  select(key: InjectionKey<unknown>, name: string | undefined, requester: string): ProviderRecord {
    let list = this.#byKey.get(key) ?? [];
    // Only valid keys are ever registered, so this is the one place a lookup by `undefined` (or any non-key) gets to.
    if (list.length === 0) throw isInjectionKey(key) ? this.missing(this.keyLabel(key), requester) : notAKey(key, requester);
    if (name !== undefined) {
      const all = list;
      list = list.filter((r) => r.name === name);
      if (list.length === 0) {
        // Untyped callers may pass any name; one that is not a string is simply a name no provider has.
        const label = typeof name === 'string' ? name : formatValue(name);
        throw this.missing(`${this.keyLabel(key)} named '${label}'`, requester, all.flatMap((r) => (r.name === undefined ? [] : [r.name])), label);
      }
    }
    if (list.length === 1) return list[0] as ProviderRecord;
    const top = Math.max(...list.map((r) => r.priority));
    list = list.filter((r) => r.priority === top);
    const first = Math.min(...list.map((r) => r.batch));
    list = list.filter((r) => r.batch === first);
    if (list.length === 1) return list[0] as ProviderRecord;
    const candidates = list.map(describe);
    throw coreError(
      'CORE_ERR_AMBIGUOUS_PROVIDER',
      `${requester} asked for '${this.keyLabel(key)}' and ${String(list.length)} providers tie (priority ${String(top)}, same registration): ${candidates.join(', ')}. Give one a higher priority, or ask by name.`,
      { details: { token: this.keyLabel(key), requester, candidates } },
    );
  }

  /** Name of a registered key for messages and by-name lookup (`<anonymous class>` for a class without one). */
  keyLabel(key: InjectionKey<unknown>): string {
    return keyName(key);
  }

  /** True when `key` (with `name`, if given) has a provider: what tryGet() checks before resolving. */
  has(key: InjectionKey<unknown>, name: string | undefined): boolean {
    return this.candidates(key).some((r) => name === undefined || r.name === name);
  }

  /** CORE_ERR_MISSING_PROVIDER with close-name suggestions. */
  missing(wanted: string, requester: string, pool?: readonly string[], needle = wanted) {
    const known = pool ?? [...this.#byKey.keys()].map((k) => this.keyLabel(k));
    // Keys match by identity: when another key carries the very name asked for,
    // this is a second token of that name (token('db') made twice), not a typo,
    // and suggesting the name asked for would contradict the message.
    const twin = known.includes(needle) ? ` Another token or class is also named '${needle}': keys are told apart by identity, not by name, so this is a different one (was the token made twice?).` : '';
    const suggestions = closeNames(needle, known.filter((k) => k !== needle));
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
    return coreError('CORE_ERR_MISSING_PROVIDER', `${requester} asked for '${wanted}', which no module provides.${twin}${hint}`, {
      details: { token: wanted, requester, suggestions },
    });
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

  /** Every provider of `key`, highest priority first, then registration order. */
  getAll(key: InjectionKey<unknown>): unknown[] {
    return this.ordered(key).map((rec) => this.resolverOf(rec)());
  }

  ordered(key: InjectionKey<unknown>): ProviderRecord[] {
    return [...(this.#byKey.get(key) ?? [])].sort((a, b) => b.priority - a.priority || a.batch - b.batch);
  }

  /** Keys registered under a name (string lookup). */
  keysNamed(name: string): InjectionKey<unknown>[] {
    return [...this.#byKey.keys()].filter((k) => this.keyLabel(k) === name);
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
    if (dep.all) return () => this.getAll(dep.token);
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
      const args = new Array<unknown>(deps.length);
      for (let i = 0; i < deps.length; i += 1) args[i] = (deps[i] as Resolve)();
      if (creating) throw cycle(rec);
      creating = single;
      try {
        return rec.create(args);
      } catch (error) {
        if (isRampartError(error) && error.code === 'CORE_ERR_PROVIDER_FAILED') throw error;
        throw coreError('CORE_ERR_PROVIDER_FAILED', `Creating service ${describe(rec)} failed`, { cause: error, details: { service: rec.keyName, module: rec.module } });
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
        return this.#tenantScoped(rec, build);
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
          if (isObject(instance)) singletonInstances.add(instance);
        } else if (rec.kind === 'value') {
          this.#values.push(instance);
        } else {
          // Also what a factory passed on (an alias): #disposable() drops the repeats and
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
   * `instances` without repeats and without what this app did not build: a
   * provider that returns what it was given (an alias `inject: [POOL],
   * useFactory: (p) => p`, a tenant factory returning the app's pool) did not
   * create it, so it is disposed once, by the cache that built it. Singletons
   * and `useValue` values are never disposed by an app. Runs at disposal only.
   */
  #disposable(instances: Iterable<unknown>, skip: ReadonlySet<unknown>): object[] {
    const out = new Set<object>();
    for (const instance of instances) {
      if (isObject(instance) && !skip.has(instance) && !singletonInstances.has(instance)) out.add(instance);
    }
    return [...out];
  }

  /**
   * guarded() for a request's own slot, made once per provider: a cache miss
   * pays one instanceof test, a hit nothing (measured hot path, README
   * "Performance"); only an async build gets a rejection handler.
   */
  #requestBuild(rec: ProviderRecord, build: Resolve): (request: ScopeStore) => unknown {
    const once = guarded(rec, build);
    return (request) => {
      const instance = once(request);
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
      return scope.instanceOf(rec, once);
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
      if (id === scope.tenant?.id) return scope.instanceOf(rec, own);
      const byTenant = scope.instanceOf(others, () => new Map<string | undefined, unknown>()) as Map<string | undefined, unknown>;
      if (byTenant.has(id)) return byTenant.get(id);
      // The slot is (this request's Map of other tenants, tenant): building for another tenant is no cycle.
      const instance = once(byTenant, id);
      byTenant.set(id, instance);
      if (instance instanceof Promise) this.#watchAsync(rec, instance, () => forgetEntry(byTenant, id, instance));
      return instance;
    };
  }

  #tenantScoped(rec: ProviderRecord, build: Resolve): Resolve {
    const contexts = this.#contexts;
    const once = guarded(rec, build);
    return () => {
      const tenant = contexts.storage.getStore()?.tenant ?? this.#fallback(rec);
      let cache = this.#tenantCaches.get(tenant.id);
      if (cache === undefined) {
        cache = new Map();
        this.#tenantCaches.set(tenant.id, cache);
      }
      if (cache.has(rec)) return cache.get(rec);
      const instance = once(tenant.id);
      cache.set(rec, instance);
      // The Map of this tenant: after releaseTenant() a later one is not touched.
      if (instance instanceof Promise) {
        const built = cache;
        this.#watchAsync(rec, instance, () => forgetEntry(built, rec, instance));
      }
      return instance;
    };
  }

  #fallback(rec: ProviderRecord) {
    if (this.#contexts.mode === 'strict') {
      throw coreError('CORE_ERR_TENANT_REQUIRED', `Service ${describe(rec)} is tenant-scoped and no tenant context is active (strict tenancy); wrap the call in app.runInTenant(id, fn)`, {
        details: { service: rec.keyName },
      });
    }
    if (!this.#warnedFallback.has(rec)) {
      this.#warnedFallback.add(rec);
      this.#logger.warn({ service: rec.keyName, tenant: this.#contexts.fallbackTenant.id }, 'tenant-scoped service resolved without a tenant context; using the fallback tenant (permissive tenancy)');
    }
    return this.#contexts.fallbackTenant;
  }

  /**
   * Drops one tenant's instances; resolves to those the tenant built, once
   * each, latest first (a service before those it was built from, as at stop),
   * for disposal (see #disposable). The caches are dropped at once; only then
   * does it wait for async builds (see settled()).
   */
  releaseTenant(id: string): Promise<object[]> {
    const cache = this.#tenantCaches.get(id);
    this.#tenantCaches.delete(id);
    return this.#tenantOwned(cache === undefined ? [] : [...cache.values()].reverse());
  }

  /** releaseTenant() for every tenant, the latest tenant first: what stop() disposes before the app's own instances. */
  releaseAllTenants(): Promise<object[]> {
    const caches = [...this.#tenantCaches.values()].reverse();
    this.#tenantCaches.clear();
    return this.#tenantOwned(caches.flatMap((cache) => [...cache.values()].reverse()));
  }

  async #tenantOwned(instances: unknown[]): Promise<object[]> {
    // An app-scoped instance a tenant factory returned is the app's to dispose, after the tenants'.
    const [own, values, created] = await Promise.all([settled(instances), settled(this.#values), settled(this.#created)]);
    return this.#disposable(own, new Set([...values, ...created]));
  }

  /** App-scoped instances this app built (async ones once resolved), in creation order, once each (disposed in reverse on stop). */
  async created(): Promise<object[]> {
    const [created, values] = await Promise.all([settled(this.#created), settled(this.#values)]);
    return this.#disposable(created, new Set(values));
  }
}

/** Drops `key` from `cache` if it still holds `instance` (an async build that rejected). */
function forgetEntry<K>(cache: Map<K, unknown>, key: K, instance: unknown): void {
  // Stryker disable next-line ConditionalExpression: defensive: these caches set an entry only on a miss, so it holds this promise until this handler (its only one) drops it
  if (cache.get(key) === instance) cache.delete(key);
}

function markSingleton(value: unknown): void {
  if (isObject(value)) singletonInstances.add(value);
}
