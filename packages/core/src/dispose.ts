/**
 * Disposal of the service instances an application built (stop, releaseTenant,
 * the rollback of a failed start). Which instances are the app's to dispose,
 * once each and with async factories' promises resolved, is worked out by the
 * container (owned-instances.ts); this only calls them.
 */
import type { Container } from './container.ts';
import type { Logger } from './logger.ts';
import type { AwaitBuild } from './owned-instances.ts';
import { settleWithin, TIMED_OUT } from './timeout.ts';

/** Where disposal reports, and how long one instance's `Symbol.asyncDispose` may take (createApp hookTimeouts.dispose). */
export interface DisposeOptions {
  readonly logger: Logger;
  readonly limitMs?: number | undefined;
}

/** `{ service }` for log lines: the instance's class, when it has one of its own (a plain object has none worth naming). */
function named(instance: object): { service?: string } {
  let name: unknown;
  try {
    name = (instance.constructor as { name?: unknown } | undefined)?.name;
  } catch {
    // A Proxy that throws on every property has no name to give; the log line goes without one.
    return {};
  }
  return typeof name === 'string' && name !== '' && name !== 'Object' ? { service: name } : {};
}

async function disposeWithin(instance: object, asyncDispose: () => unknown, options: DisposeOptions): Promise<void> {
  const work = Promise.resolve().then(() => asyncDispose.call(instance));
  const limit = options.limitMs;
  if (limit === undefined) {
    await work;
    return;
  }
  if ((await settleWithin(work, limit)) !== TIMED_OUT) return;
  options.logger.error({ ...named(instance), timeoutMs: limit }, `service disposal did not settle within ${String(limit)} ms; it was left running`);
  // A disposal cannot be cancelled: past its limit it keeps running, so a late failure is logged here.
  work.catch((error: unknown) => options.logger.error({ err: error, ...named(instance) }, 'service disposal failed after its time limit'));
}

/**
 * Calls `Symbol.asyncDispose` / `Symbol.dispose` on instances that have it, in order; logs failures.
 * One that outlives `limitMs` is logged and left running, and the next one is disposed.
 */
export async function disposeAll(instances: readonly object[], options: DisposeOptions): Promise<void> {
  for (const instance of instances) {
    try {
      // Read inside the try: a getter or a strict Proxy that throws on these keys
      // rejected stop() half done, its state stuck at 'stopping', the rest never disposed.
      const asyncDispose = (instance as Partial<AsyncDisposable>)[Symbol.asyncDispose];
      if (typeof asyncDispose === 'function') {
        await disposeWithin(instance, asyncDispose, options);
        continue;
      }
      const dispose = (instance as Partial<Disposable>)[Symbol.dispose];
      if (typeof dispose === 'function') dispose.call(instance);
    } catch (error) {
      options.logger.error({ err: error, ...named(instance) }, 'service disposal failed');
    }
  }
}

/**
 * How one disposal waits for async builds still pending: without a limit, as long as
 * they take; with one, each at most `limitMs`. A build past it is left running and
 * what it builds is not disposed: after a start hook timed out on it, the rollback
 * would otherwise wait for it forever. Each build is waited for (and reported) once.
 */
function awaitBuildWithin(options: DisposeOptions): AwaitBuild | undefined {
  const limit = options.limitMs;
  if (limit === undefined) return undefined;
  const waits = new Map<Promise<unknown>, Promise<unknown>>();
  return (build) => {
    let wait = waits.get(build);
    if (wait === undefined) {
      wait = settleWithin(build, limit).then(
        (value) => {
          if (value !== TIMED_OUT) return value;
          options.logger.error({ timeoutMs: limit }, `an async service build did not settle within ${String(limit)} ms; it was left running, and what it builds is not disposed`);
          return undefined;
        },
        // A rejected build was logged by the container when it rejected.
        () => undefined,
      );
      waits.set(build, wait);
    }
    return wait;
  };
}

/** Disposes every instance `container` built for its app (stop, a failed start), those of tenants first. */
export async function disposeInstances(container: Container, options: DisposeOptions): Promise<void> {
  const awaitBuild = awaitBuildWithin(options);
  // Tenant instances first: they may use app-scoped ones, never the reverse (a scope leak).
  await disposeAll(await container.releaseAllTenants(awaitBuild), options);
  await disposeAll((await container.created(awaitBuild)).reverse(), options);
}

/** Drops one tenant's instances and disposes those it built (app.releaseTenant). */
export async function disposeTenant(container: Container, tenantId: string, options: DisposeOptions): Promise<void> {
  await disposeAll(await container.releaseTenant(tenantId, awaitBuildWithin(options)), options);
}
