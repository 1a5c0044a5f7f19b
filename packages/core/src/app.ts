/**
 * The application: registers modules (all or nothing), validates the whole
 * graph before anything starts, runs the lifecycle, resolves services and
 * carries request and tenant contexts. Each instance owns its registry,
 * caches, context storage and logger: apps in one process are isolated.
 */
import type { Config, LoadOptions } from '@rampart/config';
import { loadAppConfig } from './app-config.ts';
import { Container } from './container.ts';
import { AppModules } from './app-modules.ts';
import { checkAppOptions } from './app-options.ts';
import type { AppOptions } from './app-options.ts';
import { expectState, refuseLookup, USABLE } from './app-state.ts';
import type { AppState } from './app-state.ts';
import { disposeInstances, disposeTenant } from './dispose.ts';
import type { DisposeOptions } from './dispose.ts';
import { EventBus } from './events.ts';
import type { Observer } from './events.ts';
import type { AppHealth } from './health.ts';
import { checkHealth } from './app-health.ts';
import { emit, errorSummary, startAll, stopAll, stopFailed } from './lifecycle.ts';
import type { LifecycleHost, ModuleState } from './lifecycle.ts';
import type { Logger } from './logger.ts';
import { createJsonLogger } from './logger.ts';
import type { ContextHost } from './module-context.ts';
import type { GetOptions, ModuleClass, ModuleDefinition, Resolver } from './module.ts';
import { inspectApp } from './inspect.ts';
import type { AppInspection } from './inspect.ts';
import { toProviderRecord } from './provider-record.ts';
import { ScopeContexts } from './tenancy.ts';
import { StartGate } from './start-gate.ts';
import { slotOf } from './token.ts';
import type { TenantContext } from './tenancy.ts';
import type { InjectionKey } from './token.ts';
import { builtinProviders } from './builtins.ts';

export type { AppOptions } from './app-options.ts';
export type { AppState } from './app-state.ts';

let appCounter = 0;

export class Application implements Resolver {
  readonly id: string;
  readonly logger: Logger;
  readonly #clock: { now(): number };
  readonly #contexts: ScopeContexts;
  readonly #container: Container;
  readonly #bus: EventBus;
  readonly #host: LifecycleHost;
  readonly #modules: AppModules;
  readonly #healthTimeoutMs: number;
  readonly #disposal: DisposeOptions;
  readonly #configOptions: LoadOptions | undefined;
  #config: Config<Record<string, unknown>> | undefined;
  /** What a stop() asked for during the start waits on; set by start(). */
  #startGate: StartGate | undefined;
  #stateValue: AppState = 'created';
  /** Mirrors "state is starting, started or stopping": one boolean test on the lookup fast path. */
  #usable = false;
  readonly #hot: Map<unknown, unknown>;
  readonly #hotSlots: unknown[];
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
    this.#host = { id: this.id, hookTimeouts: { ...options.hookTimeouts }, clock: this.#clock, logger: this.logger, bus: this.#bus, nextSeq: () => (this.#seq += 1) };
    this.#modules = new AppModules(this.#host, options.decorators ?? [], options.strictObservers === true);
    this.#healthTimeoutMs = options.healthTimeoutMs ?? 2000;
    this.#disposal = { logger: this.logger, limitMs: options.hookTimeouts?.dispose };
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
    expectState(this.id, this.#state, ['created'], 'register modules');
    this.#modules.register(modules, this.#container);
    return this;
  }

  /**
   * Validates everything, then inits and starts modules in dependency order.
   * Throws CORE_ERR_START_FAILED after rolling back; refuses a second start.
   * @example
   * await app.start();
   */
  async start(): Promise<void> {
    expectState(this.id, this.#state, ['created'], 'start');
    this.#state = 'starting';
    const gate = (this.#startGate = new StartGate());
    try {
      // Before the first await: from 'starting' on, a lookup (an observer, a timer) compiles
      // resolvers, and a request-scoped resolver compiled before bindToTenants() is not kept
      // apart per tenant.
      const ordered = this.#modules.plan(this.#container);
      if (this.#modules.strictObservers) {
        // 'registering' was delivered in the background; a strict failure there fails the start.
        await this.#bus.drain();
        this.#modules.checkRegistering();
      }
      this.#config = await loadAppConfig(ordered.map((m) => m.definition), this.#configOptions);
      this.#modules.attach(ordered, this.#config, this.#contextHost());
      this.#modules.started = await startAll(this.#host, ordered);
      this.#state = 'started';
    } catch (error) {
      this.#state = 'failed';
      // A failed app cannot be started or stopped again, so what its modules built
      // before the failure (pools, clients) is released now or never.
      await this.#disposeInstances();
      await this.#config?.close();
      await emit(this.#host, 'error', undefined, { error: errorSummary(error) }).catch(() => undefined);
      throw error;
    } finally {
      gate.settle();
    }
  }

  /**
   * Stops started modules in reverse start order; throws CORE_ERR_STOP_FAILED
   * (after stopping all others) when some fail; refuses a second stop.
   * Called while the app is starting, it waits for the start to settle, then
   * stops the app as after start(), or refuses as for a failed app.
   * @example
   * process.once('SIGTERM', () => void app.stop());
   */
  async stop(): Promise<void> {
    if (this.#state === 'starting') await (this.#startGate as StartGate).wait(this.id);
    expectState(this.id, this.#state, ['started'], 'stop');
    this.#state = 'stopping';
    // A reload hook still applying a change must not run alongside stop hooks and disposal.
    await this.#modules.closeReloads();
    const failures = await stopAll(this.#host, this.#modules.started);
    await this.#disposeInstances();
    this.#state = 'stopped';
    await this.#config?.close();
    await this.#bus.drainWithinTimeout();
    if (failures.length > 0) throw stopFailed(failures);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#state === 'starting') {
      // As during 'stopping': a stop already under way (waiting) is left to finish.
      const gate = this.#startGate as StartGate;
      if (gate.waiting) return;
      await gate.wait(this.id);
    }
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
    return this.#container.lookup(key, options, 'app.get()') as T;
  }

  tryGet<T>(key: InjectionKey<T>, options?: GetOptions): T | undefined {
    if (!this.#usable) this.#refuseLookup();
    // The name too: an unknown name is a missing provider, which tryGet answers with undefined.
    if (!this.#container.has(key, options?.name)) return undefined;
    return this.get(key, options);
  }

  getAll<T>(key: InjectionKey<T>): T[] {
    if (!this.#usable) this.#refuseLookup();
    return this.#container.getAll(key, 'app.getAll()') as T[];
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
    await disposeTenant(this.#container, tenantId, this.#disposal);
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
   * dynamic changes of their slice. Resolves, once those hooks have run (one reload
   * after the other), to what was applied and what needs a restart.
   * @example
   * process.on('SIGHUP', () => void app.reloadConfig());
   */
  async reloadConfig(): Promise<{ applied: readonly unknown[]; restartRequired: readonly unknown[] }> {
    expectState(this.id, this.#state, ['started'], 'reload configuration');
    if (this.#config === undefined) return { applied: [], restartRequired: [] };
    const result = await this.#config.reload();
    // The config hands changes to its listeners without awaiting them: wait for the modules' reload hooks here.
    await this.#modules.reloaded();
    return result;
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
    return checkHealth(this.#modules.runtimes, this.#state === 'started', this.#clock, this.#healthTimeoutMs);
  }

  /** Modules, states, services (scope, provider), start order: for debugging and tooling. */
  inspect(): AppInspection {
    return inspectApp(this.id, this.#state, this.#modules.order, this.#modules.runtimes, this.#container.records());
  }

  moduleState(name: string): ModuleState | undefined {
    return this.#modules.stateOf(name);
  }

  /** Throws why a lookup is refused (see refuseLookup in app-state.ts). */
  #refuseLookup(): void {
    refuseLookup(this.id, this.#state);
  }

  /** What the contexts of the modules use of this app (see module-context.ts). */
  #contextHost(): ContextHost {
    return {
      logger: this.logger,
      container: this.#container,
      modules: this.#modules.names(),
      // The same state check as app.get(): a context kept past stop() would build instances that are never disposed.
      usable: () => {
        if (!this.#usable) this.#refuseLookup();
      },
      config: () => this.#config,
      app: this,
    };
  }

  #disposeInstances(): Promise<void> {
    // No lookup from here on (the state may still be 'stopping'): the caches were
    // listed for disposal, so an instance built now would never be disposed, and a
    // cached one handed out now may be disposed already.
    this.#usable = false;
    return disposeInstances(this.#container, this.#disposal);
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
