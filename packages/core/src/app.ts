/**
 * The application: registers modules (all or nothing), validates the whole
 * graph before anything starts, runs the lifecycle, resolves services and
 * carries request and tenant contexts. Each instance owns its registry,
 * caches, context storage and logger: apps in one process are isolated.
 */
import type { Config, LoadOptions } from '@rampart/config';
import { changesFor, loadAppConfig } from './app-config.ts';
import { planStart } from './bootstrap.ts';
import { Container, describe } from './container.ts';
import { checkAppOptions } from './app-options.ts';
import { disposeAll } from './dispose.ts';
import { coreError } from './errors.ts';
import { EventBus } from './events.ts';
import type { Observer } from './events.ts';
import type { AppHealth } from './health.ts';
import { checkHealth } from './app-health.ts';
import { emit, errorSummary, startAll, stopAll, stopFailed } from './lifecycle.ts';
import type { LifecycleHost, ModuleRuntime, ModuleState } from './lifecycle.ts';
import type { Logger } from './logger.ts';
import { createJsonLogger } from './logger.ts';
import type { ModuleDecorator } from './module-decorators.ts';
import { decorateModule } from './module-decorators.ts';
import type { RegisteredModule } from './module-validate.ts';
import { validateBatch } from './module-validate.ts';
import type { GetOptions, ModuleClass, ModuleContext, ModuleDefinition, Resolver } from './module.ts';
import { inspectApp } from './inspect.ts';
import type { AppInspection } from './inspect.ts';
import { toProviderRecord } from './provider-record.ts';
import type { Provider } from './provider.ts';
import { ScopeContexts } from './tenancy.ts';
import { slotOf } from './token.ts';
import type { TenancyOptions, TenantContext } from './tenancy.ts';
import type { InjectionKey } from './token.ts';
import { CORE_VERSION } from './version.ts';
import { builtinProviders } from './builtins.ts';

export type AppState = 'created' | 'starting' | 'started' | 'stopping' | 'stopped' | 'failed';

export interface AppOptions {
  /** Unique id (events, logs, AppRegistry); default `app-<n>`. */
  id?: string;
  modules?: readonly (ModuleDefinition | ModuleClass)[];
  /** App-level providers, visible to every module. */
  providers?: readonly Provider[];
  /** pino or any pino-compatible logger; default JSON lines on stdout at `info`. */
  logger?: Logger;
  observers?: readonly Observer[];
  /** Per-delivery observer timeout; default 1000 ms. */
  observerTimeoutMs?: number;
  /** A failing/slow observer fails the lifecycle instead of being logged and skipped. */
  strictObservers?: boolean;
  /** Decorators applied to every module (see module-decorators for the order). */
  decorators?: readonly ModuleDecorator[];
  tenancy?: TenancyOptions;
  /** ms-epoch time source for events and health; default Date. */
  clock?: { now(): number };
  /** Per-module limit for `health` hooks; default 2000 ms. */
  healthTimeoutMs?: number;
  /** How to load modules' configuration (@rampart/config `loadConfig` options: feeders, instance, tenants, watch). */
  config?: LoadOptions;
}

let appCounter = 0;
const USABLE: readonly AppState[] = ['starting', 'started', 'stopping'];

export class Application implements Resolver {
  readonly id: string;
  readonly logger: Logger;
  readonly #clock: { now(): number };
  readonly #contexts: ScopeContexts;
  readonly #container: Container;
  readonly #bus: EventBus;
  readonly #strictObservers: boolean;
  /** The first failed delivery of a 'registering' event (only strict observers fail it). */
  #registering: unknown;
  readonly #decorators: readonly ModuleDecorator[];
  readonly #modules: ModuleRuntime[] = [];
  readonly #registered: RegisteredModule[] = [];
  readonly #healthTimeoutMs: number;
  readonly #configOptions: LoadOptions | undefined;
  #config: Config<Record<string, unknown>> | undefined;
  #stateValue: AppState = 'created';
  /** Mirrors "state is starting, started or stopping": one boolean test on the lookup fast path. */
  #usable = false;
  readonly #hot: Map<unknown, unknown>;
  readonly #hotSlots: unknown[];
  #order: string[] = [];
  #started: ModuleRuntime[] = [];
  #seq = 0;

  constructor(options: AppOptions = {}) {
    checkAppOptions(options);
    appCounter += 1;
    this.id = options.id ?? `app-${String(appCounter)}`;
    this.#clock = options.clock ?? Date;
    this.logger = (options.logger ?? createJsonLogger({ clock: this.#clock })).child({ app: this.id });
    this.#contexts = new ScopeContexts(options.tenancy);
    this.#container = new Container(this.#contexts, this.logger);
    this.#hot = this.#container.hot;
    this.#hotSlots = this.#container.hotSlots;
    this.#bus = new EventBus({ timeoutMs: options.observerTimeoutMs, strict: options.strictObservers, logger: this.logger });
    this.#strictObservers = options.strictObservers === true;
    this.#decorators = options.decorators ?? [];
    this.#healthTimeoutMs = options.healthTimeoutMs ?? 2000;
    this.#configOptions = options.config;
    for (const observer of options.observers ?? []) this.#bus.subscribe(observer);
    const appProviders = [...builtinProviders(this, this.#contexts), ...(options.providers ?? [])];
    this.#container.add(appProviders.map((p, i) => toProviderRecord(p, { module: undefined, batch: -1 }, i)));
    if (options.modules !== undefined) this.register(...options.modules);
  }

  get state(): AppState {
    return this.#stateValue;
  }

  get #state(): AppState {
    return this.#stateValue;
  }

  set #state(next: AppState) {
    this.#stateValue = next;
    this.#usable = USABLE.includes(next);
  }

  /**
   * Registers modules, all or nothing: one invalid declaration rejects the batch.
   * @example
   * app.register(dbModule, cacheModule);
   */
  register(...modules: (ModuleDefinition | ModuleClass)[]): this {
    this.#expect(['created'], 'register modules');
    const taken = new Set(this.#registered.map((m) => m.definition.name));
    const batch = validateBatch(modules, taken, this.#registered.length, CORE_VERSION);
    const decorated = batch.map((m) => decorateModule(m.definition, this.#decorators));
    batch.forEach((m, i) => {
      this.#registered.push(m);
      this.#container.add(m.providers);
      this.#modules.push({ definition: decorated[i] as ModuleDefinition, index: m.index, state: 'registered', ctx: undefined });
      // Registration is synchronous: a strict observer failing here cannot undo it. It is logged,
      // and with strict observers start() refuses to go on (see #registering).
      emit(this.#host, 'registering', m.definition.name).catch((error: unknown) => {
        this.logger.error({ err: error }, 'registering event delivery failed');
        this.#registering ??= error;
      });
    });
    return this;
  }

  /**
   * Validates everything, then inits and starts modules in dependency order.
   * Throws CORE_ERR_START_FAILED after rolling back; refuses a second start.
   * @example
   * await app.start();
   */
  async start(): Promise<void> {
    this.#expect(['created'], 'start');
    this.#state = 'starting';
    try {
      // Before the first await: from 'starting' on, a lookup (an observer, a timer) compiles
      // resolvers, and a request-scoped resolver compiled before bindToTenants() is not kept
      // apart per tenant.
      this.#order = planStart(this.#registered, this.#container);
      if (this.#strictObservers) {
        // 'registering' was delivered in the background; a strict failure there fails the start.
        await this.#bus.drain();
        if (this.#registering !== undefined) {
          throw coreError('CORE_ERR_START_FAILED', `Application '${this.id}' did not start: a strict observer failed on a 'registering' event`, { cause: this.#registering });
        }
      }
      const byName = new Map(this.#modules.map((m) => [m.definition.name, m]));
      const ordered = this.#order.map((n) => byName.get(n) as ModuleRuntime);
      this.#config = await loadAppConfig(ordered.map((m) => m.definition), this.#configOptions);
      this.#config?.onChange((changes) => void this.#dispatchReload(changes));
      for (const runtime of ordered) runtime.ctx = this.#moduleContext(runtime.definition.name);
      this.#started = await startAll(this.#host, ordered);
      this.#state = 'started';
    } catch (error) {
      this.#state = 'failed';
      // A failed app cannot be started or stopped again, so what its modules built
      // before the failure (pools, clients) is released now or never.
      await this.#disposeInstances();
      await this.#config?.close();
      await emit(this.#host, 'error', undefined, { error: errorSummary(error) }).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Stops started modules in reverse start order; throws CORE_ERR_STOP_FAILED
   * (after stopping all others) when some fail; refuses a second stop.
   * @example
   * process.once('SIGTERM', () => void app.stop());
   */
  async stop(): Promise<void> {
    this.#expect(['started'], 'stop');
    this.#state = 'stopping';
    const failures = await stopAll(this.#host, this.#started);
    await this.#disposeInstances();
    this.#state = 'stopped';
    await this.#config?.close();
    await this.#bus.drainWithinTimeout();
    if (failures.length > 0) throw stopFailed(failures);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#state === 'started') await this.stop();
  }

  get<T>(key: InjectionKey<T> | string, options?: GetOptions): T {
    // Stryker disable next-line BlockStatement: the hot Map only short-cuts to the instance container.get() returns
    if (this.#usable && options === undefined) {
      const slot = slotOf(key);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the wrong cache only misses and falls through to container.get(), which returns the same instance
      const hot = slot === undefined ? this.#hot.get(key) : this.#hotSlots[slot];
      if (hot !== undefined) return hot as T;
    }
    if (!this.#usable) this.#refuseLookup();
    if (options === undefined && typeof key !== 'string') return this.#container.get(key, 'app.get()') as T;
    return this.#resolve(key, options, 'app.get()') as T;
  }

  tryGet<T>(key: InjectionKey<T>, options?: GetOptions): T | undefined {
    if (!this.#usable) this.#refuseLookup();
    // The name too: an unknown name is a missing provider, which tryGet answers with undefined.
    if (!this.#container.has(key, options?.name)) return undefined;
    return this.get(key, options);
  }

  getAll<T>(key: InjectionKey<T>): T[] {
    if (!this.#usable) this.#refuseLookup();
    return this.#container.getAll(key) as T[];
  }

  /**
   * Runs `fn` in a fresh request scope: request-scoped services are created
   * once per call and shared by everything `fn` awaits. Keeps the current
   * tenant unless `options.tenant` sets one.
   * @example
   * fastify.addHook('onRequest', (req, _res, done) => app.runInRequestScope(done, { requestId: req.id }));
   */
  runInRequestScope<R>(fn: () => R, options?: { requestId?: string; tenant?: string }): R {
    return this.#contexts.runInRequest(fn, options);
  }

  /**
   * Runs `fn` for a tenant: tenant-scoped services resolve to that tenant's
   * instances through every async step of `fn`. Throws CORE_ERR_INVALID_TENANT for a malformed id.
   * @example
   * await app.runInTenant('acme', () => app.get(REPORTS).monthly());
   */
  runInTenant<R>(tenantId: string, fn: () => R): R {
    return this.#contexts.runInTenant(tenantId, fn);
  }

  /** The tenant of the current async call chain (of this app), if any. */
  currentTenant(): TenantContext | undefined {
    return this.#contexts.current()?.tenant;
  }

  /** The request id given to the current `runInRequestScope`, if any. */
  currentRequestId(): string | undefined {
    return this.#contexts.current()?.requestId;
  }

  /** Drops a tenant's service instances (disposing those that support it, async factories' once resolved). */
  async releaseTenant(tenantId: string): Promise<void> {
    await disposeAll(await this.#container.releaseTenant(tenantId), this.logger);
  }

  /**
   * The loaded configuration of every module (provenance, explain, tenants);
   * `undefined` before start or when no module declares a schema.
   * @example
   * app.config?.explain('db.port'); // which feeder set it
   */
  get config(): Config<Record<string, unknown>> | undefined {
    return this.#config;
  }

  /**
   * Re-reads configuration sources; modules with a `reload` hook get the
   * dynamic changes of their slice. Resolves to what was applied and what needs a restart.
   * @example
   * process.on('SIGHUP', () => void app.reloadConfig());
   */
  async reloadConfig(): Promise<{ applied: readonly unknown[]; restartRequired: readonly unknown[] }> {
    this.#expect(['started'], 'reload configuration');
    if (this.#config === undefined) return { applied: [], restartRequired: [] };
    return this.#config.reload();
  }

  async #dispatchReload(changes: Parameters<typeof changesFor>[1]): Promise<void> {
    for (const runtime of this.#started) {
      const reload = runtime.definition.reload;
      const mine = changesFor(runtime.definition.name, changes);
      if (reload === undefined || mine.length === 0 || runtime.state !== 'started') continue;
      try {
        await reload.call(runtime.definition, mine, runtime.ctx as ModuleContext);
      } catch (error) {
        const wrapped = coreError('CORE_ERR_RELOAD_FAILED', `Module '${runtime.definition.name}' failed to apply a configuration reload`, { cause: error, details: { module: runtime.definition.name } });
        await emit(this.#host, 'error', runtime.definition.name, { error: { code: wrapped.code, name: wrapped.name, message: wrapped.message } }).catch(() => undefined);
      }
    }
  }

  /** Adds an observer; returns the function that removes it. */
  subscribe(observer: Observer): () => void {
    return this.#bus.subscribe(observer);
  }

  /** Resolves once every event emitted so far was delivered to each observer, or timed out or skipped for it (see events.ts). */
  flushEvents(): Promise<void> {
    return this.#bus.drain();
  }

  /** Aggregate health and readiness from every module's `health` hook. */
  health(): Promise<AppHealth> {
    return checkHealth(this.#modules, this.#state === 'started', this.#clock, this.#healthTimeoutMs);
  }

  /** Modules, states, services (scope, provider), start order: for debugging and tooling. */
  inspect(): AppInspection {
    return inspectApp(this.id, this.#state, this.#order, this.#modules, this.#container.records());
  }

  moduleState(name: string): ModuleState | undefined {
    return this.#modules.find((m) => m.definition.name === name)?.state;
  }

  get #host(): LifecycleHost {
    return { id: this.id, clock: this.#clock, logger: this.logger, bus: this.#bus, nextSeq: () => (this.#seq += 1) };
  }

  #expect(states: readonly AppState[], action: string): void {
    if (states.includes(this.#state)) return;
    throw coreError('CORE_ERR_INVALID_STATE', `Cannot ${action}: application '${this.id}' is ${this.#state} (allowed when ${states.join(' or ')})`, {
      details: { app: this.id, state: this.#state, action },
    });
  }

  /**
   * Why a lookup is refused: the state, or, still 'stopping', disposal under
   * way (see #disposeInstances).
   */
  #refuseLookup(): void {
    this.#expect(USABLE, 'resolve services');
    throw coreError('CORE_ERR_INVALID_STATE', `Cannot resolve services: application '${this.id}' is stopping and disposing its services (lookups end when disposal begins)`, {
      details: { app: this.id, state: this.#state, action: 'resolve services' },
    });
  }

  #resolve(key: InjectionKey<unknown> | string, options: GetOptions | undefined, requester: string): unknown {
    let target = key;
    if (typeof key === 'string') {
      const keys = this.#container.keysNamed(key);
      if (keys.length === 0) throw this.#container.missing(key, requester);
      if (keys.length > 1) {
        // Each token by who provides it: the tokens share the name, so the name alone tells them apart for no one.
        const candidates = keys.map((k) => this.#container.candidates(k).map(describe).join(' + '));
        throw coreError('CORE_ERR_AMBIGUOUS_PROVIDER', `${requester} asked for '${key}' by name and ${String(keys.length)} different tokens carry that name: ${candidates.join('; ')}; ask by token`, { details: { token: key, requester, candidates } });
      }
      target = keys[0] as InjectionKey<unknown>;
    }
    const name = options?.name;
    const k = target as InjectionKey<unknown>;
    return name === undefined ? this.#container.get(k, requester) : this.#container.getNamed(k, name, requester);
  }

  #moduleContext(module: string): ModuleContext {
    const requester = `module '${module}'`;
    const names = new Set(this.#modules.map((m) => m.definition.name));
    // The same state check as app.get(): a context kept past stop() would build instances that are never disposed.
    const usable = () => {
      if (!this.#usable) this.#refuseLookup();
    };
    const resolve = (key: InjectionKey<unknown> | string, options?: GetOptions) => {
      usable();
      return this.#resolve(key, options, requester);
    };
    const current = () => this.#config;
    return Object.freeze({
      module,
      logger: this.logger.child({ module }),
      // A getter: after a reload the module reads the new values.
      get config(): unknown {
        return current()?.value[module];
      },
      get: resolve,
      tryGet: <T>(key: InjectionKey<T>, options?: GetOptions) => {
        usable();
        return this.#container.has(key, options?.name) ? (resolve(key, options) as T) : undefined;
      },
      getAll: <T>(key: InjectionKey<T>) => {
        usable();
        return this.#container.getAll(key) as T[];
      },
      has: (name: string) => names.has(name),
      currentTenant: () => this.currentTenant(),
      runInTenant: <R>(id: string, fn: () => R) => this.runInTenant(id, fn),
    });
  }

  async #disposeInstances(): Promise<void> {
    // No lookup from here on (the state may still be 'stopping'): the caches were
    // listed for disposal, so an instance built now would never be disposed, and a
    // cached one handed out now may be disposed already.
    this.#usable = false;
    // Tenant instances first: they may use app-scoped ones, never the reverse (a scope leak).
    await disposeAll(await this.#container.releaseAllTenants(), this.logger);
    await disposeAll((await this.#container.created()).reverse(), this.logger);
  }
}

/**
 * Creates an application. Nothing runs until `start()`.
 * @example
 * const app = createApp({ modules: [dbModule, usersModule], logger: pino() });
 * await app.start();
 * const users = app.get(USERS);
 */
export function createApp(options: AppOptions = {}): Application {
  return new Application(options);
}
