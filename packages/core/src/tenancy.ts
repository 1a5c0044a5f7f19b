/**
 * Tenant and request contexts, propagated through async call chains with
 * AsyncLocalStorage. Each application owns its own storage, so two apps in one
 * process never see each other's context.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { coreError } from './errors.ts';
import { formatValue } from './suggest.ts';

/** The tenant a call chain runs for. Frozen: code down the chain cannot re-point it. */
export interface TenantContext {
  readonly id: string;
}

export interface TenancyOptions {
  /**
   * `strict` (default): resolving a tenant-scoped service without a tenant
   * context throws CORE_ERR_TENANT_REQUIRED. `permissive`: falls back to
   * `fallbackTenant` and logs a warning (once per service).
   */
  mode?: 'strict' | 'permissive';
  /** Tenant used by permissive mode; reserved, so `runInTenant` refuses it. Default `__fallback__`. */
  fallbackTenant?: string;
  /**
   * Allow-list hook, called synchronously: only a return of exactly `true`
   * admits the id. `false`, or anything else (a Promise from an async hook, a
   * truthy non-boolean), refuses it: the list fails closed.
   */
  isKnownTenant?: (id: string) => boolean;
}

/** What a request's slot holds while its service is being built (see {@link ScopeStore.instanceOf}). */
export const BUILDING: unique symbol = Symbol('building');

/**
 * What travels with one async call chain: one object per `run`, and nothing
 * else until a request-scoped service is first resolved. Profiling a small
 * JSON request showed the eagerly created Map and options object as a visible
 * share of the scope's cost; most requests resolve few request-scoped services.
 */
export class ScopeStore {
  readonly tenant: TenantContext | undefined;
  readonly requestId: string | undefined;
  /**
   * The store that opened the current request scope: this one for
   * `runInRequest`, the enclosing request's store for `runInTenant` inside a
   * request (so both share its instances, except that the container keeps a
   * tenant-bound service's instances apart per tenant: see tenant-bound.ts);
   * undefined outside a request.
   */
  readonly request: ScopeStore | undefined;
  // The first request-scoped instance is kept inline, the others in a Map made
  // on demand: a Map per request cost more than the rest of our scope (measured).
  #firstKey: object | undefined = undefined;
  #first: unknown = undefined;
  #more: Map<object, unknown> | undefined = undefined;

  constructor(tenant: TenantContext | undefined, requestId: string | undefined, request: ScopeStore | undefined, opensRequest: boolean) {
    this.tenant = tenant;
    this.requestId = requestId;
    this.request = opensRequest ? this : request;
  }

  /**
   * This request's instance for `key`, built (once) by `build` on first use.
   * `build` gets this store, so the container can tell a factory re-entering
   * its own construction in this request from one building for another
   * without a closure per call. While `build` runs, the slot holds
   * {@link BUILDING}: a lookup that finds it is that factory resolving its own
   * service in this request (directly or through APP), which the caller
   * reports as a cycle instead of recursing until the stack overflows.
   */
  instanceOf(key: object, build: (request: ScopeStore) => unknown): unknown {
    if (this.#firstKey === key) return this.#first;
    if (this.#more?.has(key) === true) return this.#more.get(key);
    // Claimed before build() runs: services that build() resolves first take the later slots.
    const inline = this.#firstKey === undefined;
    if (inline) {
      this.#firstKey = key;
      this.#first = BUILDING;
    } else {
      (this.#more ??= new Map()).set(key, BUILDING);
    }
    let instance: unknown;
    try {
      instance = build(this);
    } catch (error) {
      // Built again on the next lookup, as a factory that threw always is.
      this.forget(key, BUILDING);
      throw error;
    }
    if (inline) this.#first = instance;
    else (this.#more as Map<object, unknown>).set(key, instance);
    return instance;
  }

  /** Drops `key`'s instance if it is still `instance`: an async build that rejected is built again on the next lookup. */
  forget(key: object, instance: unknown): void {
    if (this.#firstKey === key) {
      if (this.#first !== instance) return;
      this.#firstKey = undefined;
      this.#first = undefined;
    } else if (this.#more !== undefined && this.#more.get(key) === instance) {
      this.#more.delete(key);
    }
  }
}

// Ids end up in log lines, cache keys and maybe SQL schemas: keep them boring.
const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * The allow-list's answer for `id`. One that throws (a directory not loaded
 * yet) refuses the tenant like a `false`, with CORE_ERR_INVALID_TENANT and what
 * it threw as the cause: the raw error escaped `runInTenant` without a code, so
 * an HTTP layer answered 500 instead of 403. Only runs with an allow-list.
 */
function askKnown(isKnown: (id: string) => boolean, id: string): unknown {
  try {
    return isKnown(id);
  } catch (error) {
    throw coreError('CORE_ERR_INVALID_TENANT', `Tenant '${id}' refused: tenancy.isKnownTenant threw`, { cause: error, details: { tenant: id } });
  }
}

export class ScopeContexts {
  readonly storage = new AsyncLocalStorage<ScopeStore>();
  readonly mode: 'strict' | 'permissive';
  readonly fallbackTenant: TenantContext;
  readonly #isKnown: ((id: string) => boolean) | undefined;

  constructor(options: TenancyOptions = {}) {
    this.mode = options.mode ?? 'strict';
    this.fallbackTenant = Object.freeze({ id: options.fallbackTenant ?? '__fallback__' });
    this.#isKnown = options.isKnownTenant;
    if (this.mode !== 'strict' && this.mode !== 'permissive') {
      throw coreError('CORE_ERR_INVALID_TENANT', `tenancy.mode must be 'strict' or 'permissive', got ${formatValue(this.mode)}`);
    }
  }

  /** A validated, frozen tenant context; throws CORE_ERR_INVALID_TENANT. */
  tenant(id: unknown): TenantContext {
    if (typeof id !== 'string' || !TENANT_ID.test(id)) {
      throw coreError('CORE_ERR_INVALID_TENANT', 'Tenant id must be a string of 1-128 letters, digits, ".", "_", ":" or "-" starting with a letter or digit', {
        details: { type: typeof id },
      });
    }
    if (id === this.fallbackTenant.id) {
      throw coreError('CORE_ERR_INVALID_TENANT', `Tenant id '${id}' is reserved for the permissive-mode fallback`);
    }
    if (this.#isKnown !== undefined) {
      // Fails closed: an async hook returns a Promise, which is truthy, so a truthiness test admitted every tenant.
      const known: unknown = askKnown(this.#isKnown, id);
      if (known === false) throw coreError('CORE_ERR_INVALID_TENANT', `Tenant '${id}' is not known to this application`, { details: { tenant: id } });
      if (known !== true) {
        throw coreError('CORE_ERR_INVALID_TENANT', `Tenant '${id}' refused: tenancy.isKnownTenant returned ${formatValue(known)}, not true or false (the hook must be synchronous: an async one returns a Promise)`, {
          details: { tenant: id },
        });
      }
    }
    return Object.freeze({ id });
  }

  runInTenant<R>(id: string, fn: () => R): R {
    const tenant = this.tenant(id);
    const current = this.storage.getStore();
    return this.storage.run(new ScopeStore(tenant, current?.requestId, current?.request, false), fn);
  }

  // AsyncLocalStorage.run builds two context frames per call on Node 24 (one
  // to enter, one to put the prior value back). Entering through an
  // AsyncResource (runInAsyncScope + enterWith) builds one and is faster in a
  // tight loop (140 ns against 187), but slower as soon as fn starts async
  // work (+110-140 ns a call), and on real HTTP it raised the scope's server
  // CPU per request from 1.07x to 1.12x a server without a scope: kept off.
  runInRequest<R>(fn: () => R, options?: { requestId?: string; tenant?: string }): R {
    const wanted = options?.tenant;
    const tenant = wanted === undefined ? this.storage.getStore()?.tenant : this.tenant(wanted);
    return this.storage.run(new ScopeStore(tenant, options?.requestId, undefined, true), fn);
  }

  current(): ScopeStore | undefined {
    return this.storage.getStore();
  }
}
