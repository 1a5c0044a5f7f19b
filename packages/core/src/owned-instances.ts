/**
 * Which instances an application disposes: those its own caches built, once
 * each, with async builds settled. Never a `singleton` (shared by every app
 * of the process) and never a `useValue` value (the caller made it). Runs at
 * disposal (stop, releaseTenant, a failed start), except markSingleton().
 */

// The objects among the process-wide singleton instances (see container.ts).
// Apps that share a singleton start and stop independently, so none of them
// disposes it: not on stop, and not when one of its own providers returns it
// (an alias factory). Whoever owns the process disposes singletons at exit, as
// it created the declaration.
const singletonInstances = new WeakSet<object>();

/** What can be shared and disposed: disposal skips anything else (see disposeAll in dispose.ts). */
function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** Records a singleton's instance (or what its promise resolved to), which no app disposes. */
export function markSingleton(value: unknown): void {
  if (isObject(value)) singletonInstances.add(value);
}

/**
 * How disposal waits for one build still pending: what it resolves to, or
 * undefined when it rejects (or, bounded, outlives its limit). See dispose.ts.
 */
export type AwaitBuild = (build: Promise<unknown>) => Promise<unknown>;

/** Waits as long as the build takes; a rejected build becomes undefined. */
const untilSettled: AwaitBuild = (build) => build.then(undefined, () => undefined);

/**
 * `instances` with each promise (what an async factory or a promise `useValue`
 * gave) replaced by what it resolved to, in the same order: the pool with the
 * dispose method is the value, not the promise. A rejected one becomes
 * undefined, which disposal skips: the rejection was logged when it happened
 * (see the container's #watchAsync). Waits for a build still pending, so what
 * it makes is disposed too: through `awaitBuild`, which may bound the wait.
 */
async function settled(instances: readonly unknown[], awaitBuild: AwaitBuild): Promise<unknown[]> {
  // Only the promises go through Promise.all: it resolves every item it gets, which
  // reads an instance's `then` (and calls it: a thenable query builder would run)
  // and rejected the whole disposal when that read threw (a strict Proxy).
  const out = [...instances];
  await Promise.all(
    instances.map(async (instance, i) => {
      if (instance instanceof Promise) out[i] = await awaitBuild(instance);
    }),
  );
  return out;
}

/**
 * `instances` without repeats and without what this app did not build: a
 * provider that returns what it was given (an alias `inject: [POOL],
 * useFactory: (p) => p`, a tenant factory returning the app's pool) did not
 * create it, so it is disposed once, by the cache that built it. Singletons
 * and `useValue` values are never disposed by an app.
 */
function disposable(instances: Iterable<unknown>, skip: ReadonlySet<unknown>): object[] {
  const out = new Set<object>();
  for (const instance of instances) {
    if (isObject(instance) && !skip.has(instance) && !singletonInstances.has(instance)) out.add(instance);
  }
  return [...out];
}

/**
 * What a tenant's cache built, of `instances` (its cached instances), given
 * the app's `values` (`useValue`) and `created` (what its app-scoped caches built).
 */
export async function tenantOwned(instances: readonly unknown[], values: readonly unknown[], created: readonly unknown[], awaitBuild: AwaitBuild = untilSettled): Promise<object[]> {
  // An app-scoped instance a tenant factory returned is the app's to dispose, after the tenants'.
  const [own, settledValues, settledCreated] = await Promise.all([settled(instances, awaitBuild), settled(values, awaitBuild), settled(created, awaitBuild)]);
  return disposable(own, new Set([...settledValues, ...settledCreated]));
}

/** What the app-scoped caches built, of `created`, in the same order, given the app's `values` (`useValue`). */
export async function appOwned(created: readonly unknown[], values: readonly unknown[], awaitBuild: AwaitBuild = untilSettled): Promise<object[]> {
  const [settledCreated, settledValues] = await Promise.all([settled(created, awaitBuild), settled(values, awaitBuild)]);
  return disposable(settledCreated, new Set(settledValues));
}
