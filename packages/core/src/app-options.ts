/**
 * createApp() options: their type, and their check as data. The types say
 * arrays, but a plain JS caller can pass anything, and iterating what is not
 * iterable was a bare TypeError without a code. Each list is refused with the
 * code of what it holds: modules and decorators CORE_ERR_INVALID_MODULE,
 * providers CORE_ERR_INVALID_PROVIDER, observers CORE_ERR_INVALID_OPTIONS.
 */
import type { LoadOptions } from '@rampart/config';
import { coreError } from './errors.ts';
import type { CoreErrorCode } from './errors.ts';
import type { Observer } from './events.ts';
import type { HookTimeouts } from './lifecycle.ts';
import type { Logger } from './logger.ts';
import type { ModuleDecorator } from './module-decorators.ts';
import { isDecorator } from './module-validate.ts';
import type { ModuleClass, ModuleDefinition } from './module.ts';
import type { Provider } from './provider.ts';
import { formatValue } from './suggest.ts';
import type { TenancyOptions } from './tenancy.ts';

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
  /**
   * Per-module limits, in ms, for `init`, `start` and `stop` hooks; default none
   * (a hook may take as long as it needs). A hook still running at its limit
   * fails with CORE_ERR_HOOK_TIMEOUT and is left running: a start rolls back, a
   * stop goes on with the next module. `dispose` limits each service instance's
   * `Symbol.asyncDispose`: one past it is logged at error and left running, and
   * disposal goes on with the next instance.
   * @example
   * createApp({ modules, hookTimeouts: { start: 30_000, stop: 10_000, dispose: 5_000 } });
   */
  hookTimeouts?: HookTimeouts;
  /** How to load modules' configuration (@rampart/config `loadConfig` options: feeders, instance, tenants, watch). */
  config?: LoadOptions;
}

/** A function, or an object with an `onEvent` method. */
function isObserver(value: unknown): boolean {
  if (typeof value === 'function') return true;
  return typeof value === 'object' && value !== null && typeof (value as { onEvent?: unknown }).onEvent === 'function';
}

function checkList(value: unknown, accepts: (item: unknown) => boolean, code: CoreErrorCode, option: string, what: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw coreError(code, `createApp({ ${option} }): ${option} must be an array of ${what}, got ${formatValue(value)}`, { details: { option } });
  const at = value.findIndex((item) => !accepts(item));
  if (at >= 0) throw coreError(code, `createApp({ ${option} }): ${option}[${String(at)}] is ${formatValue(value[at])}, not one of ${what}`, { details: { option, index: at } });
}

// A time limit is a positive number of ms: setTimeout takes 0, a negative number, NaN or a
// string as "at once", so a typo would fail every hook (or deliver no event) without a word.
function checkLimit(value: unknown, option: string): void {
  if (value === undefined || (Number.isFinite(value) && (value as number) > 0)) return;
  throw coreError('CORE_ERR_INVALID_OPTIONS', `createApp({ ${option} }): ${option} must be a positive number of ms, got ${formatValue(value)}`, { details: { option } });
}

const HOOKS = new Set(['init', 'start', 'stop', 'dispose', 'reload']);

function checkTimeouts(options: AppOptions): void {
  const given = options as Partial<Record<'observerTimeoutMs' | 'healthTimeoutMs' | 'hookTimeouts', unknown>>;
  checkLimit(given.observerTimeoutMs, 'observerTimeoutMs');
  checkLimit(given.healthTimeoutMs, 'healthTimeoutMs');
  const hooks = given.hookTimeouts;
  if (hooks === undefined) return;
  if (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks)) {
    throw coreError('CORE_ERR_INVALID_OPTIONS', `createApp({ hookTimeouts }): hookTimeouts must be an object { init?, start?, stop?, dispose?, reload? } of ms, got ${formatValue(hooks)}`, { details: { option: 'hookTimeouts' } });
  }
  for (const [hook, limit] of Object.entries(hooks)) {
    // A misspelt hook (`shutdown`) would otherwise leave the hook it meant without a limit.
    if (!HOOKS.has(hook)) throw coreError('CORE_ERR_INVALID_OPTIONS', `createApp({ hookTimeouts }): unknown hook '${hook}'; limits exist for init, start, stop, dispose and reload`, { details: { option: `hookTimeouts.${hook}` } });
    checkLimit(limit, `hookTimeouts.${hook}`);
  }
}

/** Throws a coded error for the first malformed list or time-limit option of `createApp(options)`. */
export function checkAppOptions(options: AppOptions): void {
  checkTimeouts(options);
  const given = options as Partial<Record<'modules' | 'providers' | 'decorators' | 'observers', unknown>>;
  // Items of `modules` and `providers` are checked on registration, each with what is wrong with it.
  checkList(given.modules, () => true, 'CORE_ERR_INVALID_MODULE', 'modules', 'module declarations');
  checkList(given.providers, () => true, 'CORE_ERR_INVALID_PROVIDER', 'providers', 'provider declarations');
  checkList(given.decorators, isDecorator, 'CORE_ERR_INVALID_MODULE', 'decorators', 'module decorators ({ name, wrap(module), priority? })');
  checkList(given.observers, isObserver, 'CORE_ERR_INVALID_OPTIONS', 'observers', 'observers (functions or { onEvent(event) } objects)');
}
