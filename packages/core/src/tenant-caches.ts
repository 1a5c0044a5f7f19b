/**
 * The tenant scope of one application: instances of tenant-scoped services by
 * tenant id, the tenant a resolution is for (permissive tenancy: the fallback
 * tenant, with one warning per service), and the release of a tenant's
 * instances. The container owns one and compiles tenant-scoped resolvers here.
 */
import { tenantRequired } from './container-errors.ts';
import { guarded } from './guarded-build.ts';
import type { Logger } from './logger.ts';
import type { ProviderRecord } from './provider.ts';
import type { ScopeContexts } from './tenancy.ts';

/** The container's handler for an async build (see its #watchAsync); `forget` drops the cache entry. */
export type WatchAsync = (rec: ProviderRecord, promise: Promise<unknown>, forget: () => void) => void;

/** Drops `key` from `cache` if it still holds `instance` (an async build that rejected). */
export function forgetEntry<K>(cache: Map<K, unknown>, key: K, instance: unknown): void {
  // Stryker disable next-line ConditionalExpression: defensive: these caches set an entry only on a miss, so it holds this promise until this handler (its only one) drops it
  if (cache.get(key) === instance) cache.delete(key);
}

export class TenantCaches {
  readonly #caches = new Map<string, Map<ProviderRecord, unknown>>();
  readonly #warnedFallback = new Set<ProviderRecord>();
  readonly #contexts: ScopeContexts;
  readonly #logger: Logger;
  readonly #watchAsync: WatchAsync;

  constructor(contexts: ScopeContexts, logger: Logger, watchAsync: WatchAsync) {
    this.#contexts = contexts;
    this.#logger = logger;
    this.#watchAsync = watchAsync;
  }

  /** The resolver of tenant-scoped `rec`: one instance per tenant, made by `build`. */
  resolver(rec: ProviderRecord, build: () => unknown): () => unknown {
    const contexts = this.#contexts;
    const once = guarded(rec, build);
    return () => {
      const tenant = contexts.storage.getStore()?.tenant ?? this.#fallback(rec);
      let cache = this.#caches.get(tenant.id);
      if (cache === undefined) {
        cache = new Map();
        this.#caches.set(tenant.id, cache);
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
    if (this.#contexts.mode === 'strict') throw tenantRequired(rec);
    if (!this.#warnedFallback.has(rec)) {
      this.#warnedFallback.add(rec);
      this.#logger.warn({ service: rec.keyName, tenant: this.#contexts.fallbackTenant.id }, 'tenant-scoped service resolved without a tenant context; using the fallback tenant (permissive tenancy)');
    }
    return this.#contexts.fallbackTenant;
  }

  /** Drops one tenant's cache at once; returns what it held, latest first (a service before those it was built from). */
  release(id: string): unknown[] {
    const cache = this.#caches.get(id);
    this.#caches.delete(id);
    return cache === undefined ? [] : [...cache.values()].reverse();
  }

  /** release() for every tenant, the latest tenant first. */
  releaseAll(): unknown[] {
    const caches = [...this.#caches.values()].reverse();
    this.#caches.clear();
    return caches.flatMap((cache) => [...cache.values()].reverse());
  }
}
