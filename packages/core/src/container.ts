/**
 * The service registry of one application: provider selection (explicit name >
 * priority > registration batch > ambiguity error), scoped instance caches,
 * and resolvers compiled once so a singleton lookup is one Map hit and a flag.
 */
import { coreError } from './errors.ts';
import { isRampartError } from './rampart-error.ts';
import type { Dep, ProviderRecord } from './provider.ts';
import { closeNames } from './suggest.ts';
import type { ScopeContexts, ScopeStore } from './tenancy.ts';
import type { Logger } from './logger.ts';
import type { InjectionKey } from './token.ts';
import { slotOf } from './token.ts';

type Resolve = () => unknown;

// Process-wide instances of `singleton` providers, keyed by the user's
// declaration object: every app built from the same declaration shares them.
const processSingletons = new WeakMap<object, unknown>();

/** Label of a record for messages: `cache (redis) of module 'store'`. */
export function describe(rec: ProviderRecord): string {
  const name = rec.name === undefined ? '' : ` (${rec.name})`;
  const owner = rec.module === undefined ? 'the application' : `module '${rec.module}'`;
  return `'${rec.keyName}'${name} of ${owner}`;
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
    if (list.length === 0) throw this.missing(this.keyLabel(key), requester);
    if (name !== undefined) {
      const all = list;
      list = list.filter((r) => r.name === name);
      if (list.length === 0) {
        throw this.missing(`${this.keyLabel(key)} named '${name}'`, requester, all.flatMap((r) => (r.name === undefined ? [] : [r.name])), name);
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

  keyLabel(key: InjectionKey<unknown>): string {
    return key.name;
  }

  /** CORE_ERR_MISSING_PROVIDER with close-name suggestions. */
  missing(wanted: string, requester: string, pool?: readonly string[], needle = wanted) {
    const known = pool ?? [...this.#byKey.keys()].map((k) => this.keyLabel(k));
    const suggestions = closeNames(needle, known);
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
    return coreError('CORE_ERR_MISSING_PROVIDER', `${requester} asked for '${wanted}', which no module provides.${hint}`, {
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
    const build = (): unknown => {
      const args = new Array<unknown>(deps.length);
      for (let i = 0; i < deps.length; i += 1) args[i] = (deps[i] as Resolve)();
      try {
        return rec.create(args);
      } catch (error) {
        if (isRampartError(error) && error.code === 'CORE_ERR_PROVIDER_FAILED') throw error;
        throw coreError('CORE_ERR_PROVIDER_FAILED', `Creating service ${describe(rec)} failed`, { cause: error, details: { service: rec.keyName, module: rec.module } });
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
    let building = false;
    let instance: unknown;
    return () => {
      if (done) return instance;
      if (rec.scope === 'singleton' && processSingletons.has(rec.identity)) {
        instance = processSingletons.get(rec.identity);
      } else {
        if (building) throw coreError('CORE_ERR_PROVIDER_CYCLE', `Service ${describe(rec)} was requested while it was being created (a factory resolves it, directly or not)`, { details: { chain: [rec.keyName, rec.keyName] } });
        building = true;
        try {
          instance = build();
        } finally {
          building = false;
        }
        if (rec.scope === 'singleton') processSingletons.set(rec.identity, instance);
        else if (rec.kind !== 'value') this.#created.push(instance);
      }
      done = true;
      return instance;
    };
  }

  #requestScoped(rec: ProviderRecord, build: Resolve): Resolve {
    const storage = this.#contexts.storage;
    return () => {
      const scope = storage.getStore()?.request;
      if (scope === undefined) throw noRequestScope(rec);
      return scope.instanceOf(rec, build);
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
    return () => {
      const store = storage.getStore();
      const scope = store?.request;
      if (scope === undefined) throw noRequestScope(rec);
      const id = (store as ScopeStore).tenant?.id;
      if (id === scope.tenant?.id) return scope.instanceOf(rec, build);
      const byTenant = scope.instanceOf(others, () => new Map<string | undefined, unknown>()) as Map<string | undefined, unknown>;
      if (byTenant.has(id)) return byTenant.get(id);
      const instance = build();
      byTenant.set(id, instance);
      return instance;
    };
  }

  #tenantScoped(rec: ProviderRecord, build: Resolve): Resolve {
    const contexts = this.#contexts;
    return () => {
      const tenant = contexts.storage.getStore()?.tenant ?? this.#fallback(rec);
      let cache = this.#tenantCaches.get(tenant.id);
      if (cache === undefined) {
        cache = new Map();
        this.#tenantCaches.set(tenant.id, cache);
      }
      if (cache.has(rec)) return cache.get(rec);
      const instance = build();
      cache.set(rec, instance);
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

  /** Drops one tenant's instances; returns them for disposal. */
  releaseTenant(id: string): unknown[] {
    const cache = this.#tenantCaches.get(id);
    this.#tenantCaches.delete(id);
    return cache === undefined ? [] : [...cache.values()];
  }

  /** App-scoped instances in creation order (disposed in reverse on stop). */
  created(): readonly unknown[] {
    return this.#created;
  }
}
