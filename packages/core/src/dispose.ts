/**
 * Disposal of the service instances an application built (stop, releaseTenant,
 * the rollback of a failed start). Which instances are the app's to dispose,
 * once each and with async factories' promises resolved, is worked out by the
 * container (owned-instances.ts); this only calls them.
 */
import type { Container } from './container.ts';
import type { Logger } from './logger.ts';

/** Calls `Symbol.asyncDispose` / `Symbol.dispose` on instances that have it, in order; logs failures. */
export async function disposeAll(instances: readonly object[], logger: Logger): Promise<void> {
  for (const instance of instances) {
    const asyncDispose = (instance as Partial<AsyncDisposable>)[Symbol.asyncDispose];
    const dispose = (instance as Partial<Disposable>)[Symbol.dispose];
    try {
      if (typeof asyncDispose === 'function') await asyncDispose.call(instance);
      else if (typeof dispose === 'function') dispose.call(instance);
    } catch (error) {
      logger.error({ err: error }, 'service disposal failed');
    }
  }
}

/** Disposes every instance `container` built for its app (stop, a failed start), those of tenants first. */
export async function disposeInstances(container: Container, logger: Logger): Promise<void> {
  // Tenant instances first: they may use app-scoped ones, never the reverse (a scope leak).
  await disposeAll(await container.releaseAllTenants(), logger);
  await disposeAll((await container.created()).reverse(), logger);
}
