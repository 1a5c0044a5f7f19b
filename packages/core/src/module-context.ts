/**
 * The ModuleContext each module's hooks receive: its logger and configuration
 * slice, and lookups that answer as app.get() does, with the module named as
 * the requester in their errors.
 */
import type { Config } from '@rampart/config';
import type { Container } from './container.ts';
import type { Logger } from './logger.ts';
import type { GetOptions, ModuleContext } from './module.ts';
import type { InjectionKey } from './token.ts';

/** What the contexts of an application's modules use of it. */
export interface ContextHost {
  readonly logger: Logger;
  readonly container: Container;
  /** The names of the registered modules: what `has()` answers. */
  readonly modules: ReadonlySet<string>;
  /** Throws as app.get() does when the app is in no state to resolve services. */
  readonly usable: () => void;
  /** The app's loaded configuration (undefined until start loaded it), read at each access. */
  readonly config: () => Config<Record<string, unknown>> | undefined;
  /** The application: the tenant of the current call chain, and runInTenant(). */
  readonly app: Pick<ModuleContext, 'currentTenant' | 'runInTenant'>;
}

/** The frozen context of `module`. */
export function moduleContext(module: string, host: ContextHost): ModuleContext {
  const requester = `module '${module}'`;
  const { container, usable, modules, config: current, app } = host;
  const resolve = (key: InjectionKey<unknown> | string, options?: GetOptions) => {
    usable();
    return container.lookup(key, options, requester);
  };
  return Object.freeze({
    module,
    logger: host.logger.child({ module }),
    // A getter: after a reload the module reads the new values.
    get config(): unknown {
      return current()?.value[module];
    },
    get: resolve,
    tryGet: <T>(key: InjectionKey<T>, options?: GetOptions) => {
      usable();
      return container.has(key, options?.name) ? (resolve(key, options) as T) : undefined;
    },
    getAll: <T>(key: InjectionKey<T>) => {
      usable();
      return container.getAll(key, requester) as T[];
    },
    has: (name: string) => modules.has(name),
    currentTenant: () => app.currentTenant(),
    runInTenant: <R>(id: string, fn: () => R) => app.runInTenant(id, fn),
  });
}
