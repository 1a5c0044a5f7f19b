/**
 * Several applications in one process (the "Application Scopes" proposal):
 * `ApplicationFactory` creates isolated apps, `AppRegistry` keeps them by id
 * and stops them together. Each app has its own registry, caches, context
 * storage, logger and observers; only `singleton`-scoped services are shared.
 */
import { createApp } from './app.ts';
import type { AppOptions, Application } from './app.ts';
import { causeOf, coreError } from './errors.ts';

/**
 * @example
 * const agent = ApplicationFactory.create({ id: 'agent-7', modules: [llmModule] });
 */
export const ApplicationFactory = Object.freeze({
  create(options: AppOptions = {}): Application {
    return createApp(options);
  },
});

/**
 * Apps by id.
 * @example
 * const registry = new AppRegistry();
 * const a = registry.create({ id: 'tenant-a', modules });
 * await a.start();
 * await registry.stopAll();
 */
export class AppRegistry {
  readonly #apps = new Map<string, Application>();

  /** Creates and keeps an app; throws CORE_ERR_DUPLICATE_APP when the id is taken. */
  create(options: AppOptions & { id: string }): Application {
    if (this.#apps.has(options.id)) {
      throw coreError('CORE_ERR_DUPLICATE_APP', `An application with id '${options.id}' is already registered`, { details: { app: options.id } });
    }
    const app = ApplicationFactory.create(options);
    this.#apps.set(app.id, app);
    return app;
  }

  /** Throws CORE_ERR_UNKNOWN_APP for an unknown id. */
  get(id: string): Application {
    const app = this.#apps.get(id);
    if (app === undefined) throw coreError('CORE_ERR_UNKNOWN_APP', `No application with id '${id}'`, { details: { app: id } });
    return app;
  }

  has(id: string): boolean {
    return this.#apps.has(id);
  }

  ids(): string[] {
    return [...this.#apps.keys()];
  }

  /** Forgets an app (stop it first if it runs). */
  remove(id: string): boolean {
    return this.#apps.delete(id);
  }

  /**
   * Stops every started app, newest first; one still starting is waited for
   * and stopped if its start succeeds (a shutdown during a slow start left it
   * running), skipped if it failed. After trying all of them, throws
   * CORE_ERR_APPS_STOP_FAILED whose cause is the one failure (or an
   * AggregateError of several).
   */
  async stopAll(): Promise<void> {
    const failures: unknown[] = [];
    for (const app of [...this.#apps.values()].reverse()) {
      try {
        // asyncDispose waits for a start in progress, then stops only an app that started.
        if (app.state === 'starting') await app[Symbol.asyncDispose]();
        else if (app.state === 'started') await app.stop();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) {
      const message = `${String(failures.length)} application(s) failed to stop`;
      throw coreError('CORE_ERR_APPS_STOP_FAILED', message, { cause: causeOf(failures, message) });
    }
  }
}
