/**
 * createApp() options checked as data. The types say arrays, but a plain JS
 * caller can pass anything, and iterating what is not iterable was a bare
 * TypeError without a code. Each list is refused with the code of what it
 * holds: modules and decorators CORE_ERR_INVALID_MODULE, providers
 * CORE_ERR_INVALID_PROVIDER, observers CORE_ERR_INVALID_OPTIONS.
 */
import type { AppOptions } from './app.ts';
import { coreError } from './errors.ts';
import type { CoreErrorCode } from './errors.ts';
import { isDecorator } from './module-validate.ts';
import { formatValue } from './suggest.ts';

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

/** Throws a coded error for the first malformed list option of `createApp(options)`. */
export function checkAppOptions(options: AppOptions): void {
  const given = options as Partial<Record<'modules' | 'providers' | 'decorators' | 'observers', unknown>>;
  // Items of `modules` and `providers` are checked on registration, each with what is wrong with it.
  checkList(given.modules, () => true, 'CORE_ERR_INVALID_MODULE', 'modules', 'module declarations');
  checkList(given.providers, () => true, 'CORE_ERR_INVALID_PROVIDER', 'providers', 'provider declarations');
  checkList(given.decorators, isDecorator, 'CORE_ERR_INVALID_MODULE', 'decorators', 'module decorators ({ name, wrap(module), priority? })');
  checkList(given.observers, isObserver, 'CORE_ERR_INVALID_OPTIONS', 'observers', 'observers (functions or { onEvent(event) } objects)');
}
