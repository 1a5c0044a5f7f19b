/**
 * The modules of one application: registered in batches (all or nothing,
 * decorated, their providers added to the container), checked and put in
 * start order when the app starts, given their contexts, and the ones that
 * started. The application owns one; it runs their hooks (lifecycle.ts) and
 * keeps its own state.
 */
import type { Config } from '@rampart/config';
import { dispatchReload } from './app-config.ts';
import { planStart } from './bootstrap.ts';
import type { Container } from './container.ts';
import { coreError } from './errors.ts';
import { emit } from './lifecycle.ts';
import type { LifecycleHost, ModuleRuntime, ModuleState } from './lifecycle.ts';
import { moduleContext } from './module-context.ts';
import type { ContextHost } from './module-context.ts';
import type { ModuleDecorator } from './module-decorators.ts';
import { decorateModule } from './module-decorators.ts';
import type { RegisteredModule } from './module-validate.ts';
import { validateBatch } from './module-validate.ts';
import type { ModuleClass, ModuleDefinition } from './module.ts';
import { CORE_VERSION } from './version.ts';

export class AppModules {
  /** Every registered module, in registration order. */
  readonly runtimes: ModuleRuntime[] = [];
  readonly #registered: RegisteredModule[] = [];
  readonly #decorators: readonly ModuleDecorator[];
  readonly #host: LifecycleHost;
  /** Strict observers (a failing or slow one fails the lifecycle): start() then also fails on a failed 'registering' delivery. */
  readonly strictObservers: boolean;
  /** The first failed delivery of a 'registering' event (only strict observers fail it). */
  #registering: unknown;
  /** The module reload hooks of the configuration changes so far, in order; never rejects. */
  #reloads: Promise<void> = Promise.resolve();
  /** Set when stop() begins: later configuration changes reach no module (see closeReloads()). */
  #reloadsClosed = false;
  /** Module names in start order: empty until plan(). */
  order: string[] = [];
  /** The modules that started, in start order: what stop() stops (in reverse) and a reload reaches. */
  started: ModuleRuntime[] = [];

  constructor(host: LifecycleHost, decorators: readonly ModuleDecorator[], strictObservers: boolean) {
    this.#host = host;
    this.#decorators = decorators;
    this.strictObservers = strictObservers;
  }

  /** Registers a batch, all or nothing: one invalid declaration rejects it. */
  register(modules: readonly (ModuleDefinition | ModuleClass)[], container: Container): void {
    const taken = new Set(this.#registered.map((m) => m.definition.name));
    const batch = validateBatch(modules, taken, this.#registered.length, CORE_VERSION);
    const decorated = batch.map((m) => decorateModule(m.definition, this.#decorators));
    batch.forEach((m, i) => {
      this.#registered.push(m);
      container.add(m.providers);
      this.runtimes.push({ definition: decorated[i] as ModuleDefinition, index: m.index, state: 'registered', ctx: undefined });
      // Registration is synchronous: a strict observer failing here cannot undo it. It is logged,
      // and with strict observers start() refuses to go on (see #registering).
      emit(this.#host, 'registering', m.definition.name).catch((error: unknown) => {
        this.#host.logger.error({ err: error }, 'registering event delivery failed');
        this.#registering ??= error;
      });
    });
  }

  /** Validates the whole application (see bootstrap.ts) and fixes the start order; returns the modules in that order. */
  plan(container: Container): ModuleRuntime[] {
    this.order = planStart(this.#registered, container);
    const byName = new Map(this.runtimes.map((m) => [m.definition.name, m]));
    return this.order.map((n) => byName.get(n) as ModuleRuntime);
  }

  /** Throws CORE_ERR_START_FAILED when a strict observer failed a 'registering' event; call once those were delivered. */
  checkRegistering(): void {
    if (this.#registering !== undefined) {
      throw coreError('CORE_ERR_START_FAILED', `Application '${this.#host.id}' did not start: a strict observer failed on a 'registering' event`, { cause: this.#registering });
    }
  }

  /** Gives each module of `ordered` its context, and hands each reload of `config` to the modules that started (see dispatchReload). */
  attach(ordered: readonly ModuleRuntime[], config: Config<Record<string, unknown>> | undefined, contexts: ContextHost): void {
    // One reload's hooks after the other's, and app.reloadConfig() awaits them (see reloaded()).
    config?.onChange((changes) => {
      if (this.#reloadsClosed) return;
      this.#reloads = this.#reloads
        .then(() => dispatchReload(this.started, changes, this.#host))
        /* v8 ignore next -- dispatchReload catches and reports each hook's failure; this only keeps an unforeseen throw from wedging later reloads */
        .catch((error: unknown) => this.#host.logger.error({ err: error }, 'configuration reload dispatch failed'));
    });
    for (const runtime of ordered) runtime.ctx = moduleContext(runtime.definition.name, contexts);
  }

  /**
   * Resolves once the reload hooks of every configuration change so far have run.
   * A change listener cannot be awaited by the config, so app.reloadConfig()
   * resolved while an async reload hook was still applying the change.
   */
  reloaded(): Promise<void> {
    return this.#reloads;
  }

  /**
   * What stop() awaits before the first stop hook: the reload hooks of the
   * changes dispatched so far (each bounded by hookTimeouts.reload, when set),
   * which ran concurrently with stop hooks and disposal. A change that comes
   * later (a file watcher's, or a reloadConfig() still reading its sources)
   * reaches no module: they are going down, and waiting for a source read
   * would leave stop() unbounded.
   */
  closeReloads(): Promise<void> {
    this.#reloadsClosed = true;
    return this.#reloads;
  }

  /** The names of the registered modules. */
  names(): Set<string> {
    return new Set(this.runtimes.map((m) => m.definition.name));
  }

  stateOf(name: string): ModuleState | undefined {
    return this.runtimes.find((m) => m.definition.name === name)?.state;
  }
}
