/**
 * Start, stop and rollback of modules (FR-001, FR-013, FR-035). Start runs
 * init then start of each module in dependency order; a failure stops the
 * modules already started in reverse order and reports the cause with module
 * context. Stop runs in reverse start order and keeps going past failures.
 */
import { performance } from 'node:perf_hooks';
import { causeOf, coreError } from './errors.ts';
import type { EventBus, LifecycleEvent, LifecycleEventType } from './events.ts';
import type { Logger } from './logger.ts';
import type { ModuleContext, ModuleDefinition } from './module.ts';
import { isRampartError } from './rampart-error.ts';
import type { RampartError } from './rampart-error.ts';
import { thrownMessage } from './suggest.ts';
import { settleWithin, TIMED_OUT } from './timeout.ts';

export type ModuleState = 'registered' | 'starting' | 'started' | 'stopping' | 'stopped' | 'failed';

export interface ModuleRuntime {
  readonly definition: ModuleDefinition;
  readonly index: number;
  state: ModuleState;
  ctx: ModuleContext | undefined;
}

/**
 * Time limits, in ms, for each module's `init`, `start` and `stop` hook. A hook
 * still running at its limit fails with CORE_ERR_HOOK_TIMEOUT: a start rolls
 * back, a stop goes on with the next module. An absent limit waits as long as
 * the hook takes.
 */
export interface HookTimeouts {
  /** Limit for each module's `init` hook, ms. */
  readonly init?: number;
  /** Limit for each module's `start` hook, ms. */
  readonly start?: number;
  /** Limit for each module's `stop` hook, ms. */
  readonly stop?: number;
  /**
   * Limit for each service instance's `Symbol.asyncDispose` and for each wait for an async
   * factory still pending (on stop, a failed start's rollback, releaseTenant), ms. One past it is
   * logged and left running (a pending build is then not disposed); disposal goes on.
   */
  readonly dispose?: number;
  /**
   * Limit for each module's `reload` hook, ms. app.reloadConfig() waits for the hooks, and one
   * reload's hooks run after the previous one's: without a limit a hung hook stalls both. One past
   * it is reported like a failed hook (CORE_ERR_RELOAD_FAILED, caused by CORE_ERR_HOOK_TIMEOUT)
   * and left running; the next module gets its changes.
   */
  readonly reload?: number;
}

export interface LifecycleHost {
  readonly id: string;
  readonly hookTimeouts: HookTimeouts;
  readonly clock: { now(): number };
  readonly logger: Logger;
  readonly bus: EventBus;
  /** Seq counter shared by every event of the app. */
  nextSeq(): number;
}

interface Failure {
  readonly module: string;
  readonly phase: 'init' | 'start' | 'stop' | 'event';
  readonly error: unknown;
}

export function errorSummary(error: unknown): { code: string | undefined; name: string; message: string } {
  if (error instanceof Error) return { code: isRampartError(error) ? error.code : undefined, name: error.name, message: error.message };
  return { code: undefined, name: typeof error, message: thrownMessage(error) };
}

/** Emits one event; log lines carry the same `event`/`seq` fields for correlation (FR-047). */
export async function emit(host: LifecycleHost, type: LifecycleEventType, module: string | undefined, extra: Partial<Pick<LifecycleEvent, 'durationMs' | 'error'>> = {}): Promise<void> {
  const event: LifecycleEvent = Object.freeze({ type, app: host.id, module, time: host.clock.now(), seq: host.nextSeq(), ...extra });
  const level = type === 'error' ? 'error' : 'debug';
  host.logger[level]({ event: type, seq: event.seq, module, ...(extra.error === undefined ? {} : { err: extra.error }) }, `lifecycle ${type}`);
  await host.bus.emit(event);
}

/**
 * Runs `module`'s `hook` (`run`) within its limit in `hookTimeouts`, when one is set. Past
 * it, CORE_ERR_HOOK_TIMEOUT; the hook keeps running (a promise cannot be cancelled), and a
 * late failure is logged. For the lifecycle hooks here and the reload hooks (app-config.ts).
 */
export async function runWithinLimit(host: LifecycleHost, module: string, hook: 'init' | 'start' | 'stop' | 'reload', run: () => unknown): Promise<void> {
  const limit = host.hookTimeouts[hook];
  if (limit === undefined) {
    await run();
    return;
  }
  const work = Promise.resolve().then(run);
  if ((await settleWithin(work, limit)) !== TIMED_OUT) return;
  work.catch((error: unknown) => host.logger.error({ err: error, module, hook }, `module ${hook} hook failed after its time limit`));
  throw coreError('CORE_ERR_HOOK_TIMEOUT', `Module '${module}' ${hook} hook did not settle within ${String(limit)} ms; it was left running`, {
    details: { module, hook, timeoutMs: limit },
  });
}

async function runHook(host: LifecycleHost, runtime: ModuleRuntime, hook: 'init' | 'start' | 'stop'): Promise<void> {
  const fn = runtime.definition[hook];
  if (fn === undefined) return;
  await runWithinLimit(host, runtime.definition.name, hook, () => fn.call(runtime.definition, runtime.ctx as ModuleContext));
}

async function startOne(host: LifecycleHost, runtime: ModuleRuntime): Promise<Failure | undefined> {
  const name = runtime.definition.name;
  runtime.state = 'starting';
  let phase: Failure['phase'] = 'event';
  try {
    await emit(host, 'starting', name);
    const began = performance.now();
    phase = 'init';
    await runHook(host, runtime, 'init');
    phase = 'start';
    await runHook(host, runtime, 'start');
    runtime.state = 'started';
    phase = 'event';
    await emit(host, 'started', name, { durationMs: performance.now() - began });
    return undefined;
  } catch (error) {
    // A strict observer failing on 'started' still leaves the module started: it must be rolled back too.
    if (runtime.state !== 'started') runtime.state = 'failed';
    await emit(host, 'error', name, { error: errorSummary(error) }).catch((e: unknown) => host.logger.error({ err: e }, 'error event delivery failed'));
    return { module: name, phase, error };
  }
}

/**
 * Stops one started module; returns its failures (none, or the event's and the hook's).
 * The stop hook runs even when a strict observer fails on 'stopping': an observer
 * must not keep a module's connections open.
 */
async function stopOne(host: LifecycleHost, runtime: ModuleRuntime): Promise<Failure[]> {
  const name = runtime.definition.name;
  runtime.state = 'stopping';
  const failures: Failure[] = [];
  await emit(host, 'stopping', name).catch((error: unknown) => failures.push({ module: name, phase: 'event', error }));
  const began = performance.now();
  try {
    await runHook(host, runtime, 'stop');
    runtime.state = 'stopped';
  } catch (error) {
    runtime.state = 'failed';
    failures.push({ module: name, phase: 'stop', error });
  }
  if (runtime.state === 'stopped') {
    await emit(host, 'stopped', name, { durationMs: performance.now() - began }).catch((error: unknown) => failures.push({ module: name, phase: 'event', error }));
  }
  for (const failure of failures) {
    await emit(host, 'error', name, { error: errorSummary(failure.error) }).catch((e: unknown) => host.logger.error({ err: e }, 'error event delivery failed'));
  }
  return failures;
}

/** Stops `started` (in start order) in reverse; every module gets its stop even if one fails. */
export async function stopAll(host: LifecycleHost, started: readonly ModuleRuntime[]): Promise<Failure[]> {
  const failures: Failure[] = [];
  for (const runtime of [...started].reverse()) failures.push(...(await stopOne(host, runtime)));
  return failures;
}

function describeFailures(failures: readonly Failure[]) {
  return failures.map((f) => ({ module: f.module, phase: f.phase, ...errorSummary(f.error) }));
}

/**
 * Starts `ordered` modules; on the first failure rolls back and throws
 * CORE_ERR_START_FAILED. Returns the modules in the order they started.
 */
export async function startAll(host: LifecycleHost, ordered: readonly ModuleRuntime[]): Promise<ModuleRuntime[]> {
  const started: ModuleRuntime[] = [];
  for (const runtime of ordered) {
    const failure = await startOne(host, runtime);
    if (runtime.state === 'started') started.push(runtime);
    if (failure === undefined) continue;
    const rollback = await stopAll(host, started);
    const rolledBack = started.filter((r) => r.state === 'stopped').map((r) => r.definition.name).reverse();
    throw coreError(
      'CORE_ERR_START_FAILED',
      `Module '${failure.module}' failed during ${failure.phase}: ${errorSummary(failure.error).message}. Rolled back (stopped in this order): ${rolledBack.length > 0 ? rolledBack.join(', ') : 'nothing'}${rollback.length > 0 ? `; ${String(rollback.length)} stop(s) failed during rollback` : ''}`,
      { cause: failure.error, details: { module: failure.module, phase: failure.phase, rolledBack, rollbackFailures: describeFailures(rollback) } },
    );
  }
  return started;
}

/** CORE_ERR_STOP_FAILED aggregating every module stop failure. */
export function stopFailed(failures: readonly Failure[]): RampartError {
  // One module can fail twice (a strict observer on 'stopping', then its stop hook): named once.
  const names = [...new Set(failures.map((f) => f.module))];
  const count = `${String(names.length)} module${names.length === 1 ? '' : 's'}`;
  return coreError('CORE_ERR_STOP_FAILED', `Modules failed to stop: ${names.join(', ')}; every other module was stopped`, {
    cause: causeOf(failures.map((f) => f.error), `${count} failed to stop`),
    details: { failures: describeFailures(failures) },
  });
}
