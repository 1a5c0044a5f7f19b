/**
 * The registry of every error code @rampart/core raises. A code is never
 * reused once retired; `packages/core/README.md` documents each one (a test
 * keeps the two in step).
 */
import {
  ConfigError,
  DependencyError,
  LifecycleError,
  RampartError,
  SecurityError,
  ValidationError,
} from './rampart-error.ts';
import type { ErrorCategory, RampartErrorOptions } from './rampart-error.ts';

/** One entry of an error registry. */
export interface ErrorSpec {
  readonly category: ErrorCategory;
  /** What the code means in general; the thrown message adds the specifics. */
  readonly summary: string;
  readonly status?: number;
}

/**
 * Types an error registry (`src/errors.ts` of any package) and freezes it.
 * @example
 * export const VAULT_ERRORS = defineErrors({
 *   VAULT_ERR_TAMPERED: { category: 'security', summary: 'Ciphertext failed authentication', status: 400 },
 * });
 */
export function defineErrors<const R extends Record<string, ErrorSpec>>(registry: R): Readonly<R> {
  return Object.freeze(registry);
}

/**
 * Builds the error for a registry code, picking the taxonomy class from the
 * code's category and the status from the registry.
 * @example
 * throw errorFrom(VAULT_ERRORS, 'VAULT_ERR_TAMPERED', 'tag mismatch for key k1');
 */
export function errorFrom<R extends Record<string, ErrorSpec>>(
  registry: R,
  code: keyof R & string,
  message: string,
  options: RampartErrorOptions = {},
): RampartError {
  const spec = registry[code] as ErrorSpec;
  const full = { ...options, status: options.status ?? spec.status, category: spec.category };
  switch (spec.category) {
    case 'config':
      return new ConfigError(code, message, full);
    case 'validation':
      return new ValidationError(code, message, full);
    case 'dependency':
      return new DependencyError(code, message, full);
    case 'lifecycle':
      return new LifecycleError(code, message, full);
    case 'security':
      return new SecurityError(code, message, full);
    default:
      return new RampartError(code, message, full);
  }
}

export const CORE_ERRORS = defineErrors({
  CORE_ERR_INVALID_MODULE: { category: 'validation', summary: 'A module declaration is malformed; no module of the batch was registered.' },
  CORE_ERR_DUPLICATE_MODULE: { category: 'validation', summary: 'Two modules share one name.' },
  CORE_ERR_INVALID_PROVIDER: { category: 'validation', summary: 'A provider declaration is malformed (token, factory, scope, inject list, priority).' },
  CORE_ERR_CORE_VERSION: { category: 'dependency', summary: 'A module needs a newer (or another major) version of @rampart/core.' },
  CORE_ERR_MISSING_MODULE: { category: 'dependency', summary: 'A module requires a module that is not registered.' },
  CORE_ERR_CYCLE: { category: 'dependency', summary: 'Modules depend on each other in a circle; the chain is in details.chain.' },
  CORE_ERR_PROVIDER_CYCLE: { category: 'dependency', summary: 'Services inject each other in a circle; the chain is in details.chain.' },
  CORE_ERR_MISSING_PROVIDER: { category: 'dependency', summary: 'No provider for a requested service; names the requester and suggests close names.' },
  CORE_ERR_AMBIGUOUS_PROVIDER: { category: 'dependency', summary: 'Several providers tie after name, priority and registration order; lists the candidates.' },
  CORE_ERR_PROVIDER_FAILED: { category: 'dependency', summary: "A provider's factory or constructor threw; the cause is kept." },
  CORE_ERR_UNDECLARED_DEPENDENCY: { category: 'dependency', summary: "A service injects a service of a module that its own module does not depend on (start order would be wrong)." },
  CORE_ERR_SCOPE_LEAK: { category: 'dependency', summary: 'A longer-lived service injects a shorter-lived one; names both.' },
  CORE_ERR_NO_REQUEST_SCOPE: { category: 'lifecycle', summary: 'A request-scoped service was resolved outside app.runInRequestScope().' },
  CORE_ERR_INVALID_STATE: { category: 'lifecycle', summary: 'The application or a module cannot make this transition (double start, stop before start, use after stop).' },
  CORE_ERR_START_FAILED: { category: 'lifecycle', summary: 'A module failed to init or start; started modules were stopped in reverse order.' },
  CORE_ERR_STOP_FAILED: { category: 'lifecycle', summary: 'One or more modules failed to stop; every other module was still stopped.' },
  CORE_ERR_HOOK_TIMEOUT: { category: 'lifecycle', summary: "A module's init, start or stop hook outlived its limit (createApp hookTimeouts); it was left running, and the start rolled back or the stop went on." },
  CORE_ERR_TENANT_HOOK_FAILED: { category: 'lifecycle', summary: "A tenant-aware module's hook failed for a tenant: on start, tenants already started were stopped again; on stop, every other tenant was still stopped." },
  CORE_ERR_OBSERVER_FAILED: { category: 'lifecycle', summary: 'An observer threw or timed out while the application runs with strict observers.' },
  CORE_ERR_TENANT_REQUIRED: { category: 'security', summary: 'A tenant-scoped service was resolved without a tenant context in strict mode.', status: 403 },
  CORE_ERR_INVALID_TENANT: { category: 'security', summary: 'A tenant id is malformed, reserved or rejected by the tenant resolver.', status: 403 },
  CORE_ERR_CONFIG_INVALID: { category: 'config', summary: "Modules' configuration failed to load or validate; every problem is aggregated." },
  CORE_ERR_RELOAD_FAILED: { category: 'config', summary: "A module's reload hook failed after a configuration change." },
  CORE_ERR_DUPLICATE_APP: { category: 'validation', summary: 'An AppRegistry already holds an application with this id.' },
  CORE_ERR_UNKNOWN_APP: { category: 'validation', summary: 'An AppRegistry holds no application with this id.' },
  CORE_ERR_APPS_STOP_FAILED: { category: 'lifecycle', summary: 'AppRegistry.stopAll(): one or more applications failed to stop; every other one was still stopped, and the failures are the cause.' },
  CORE_ERR_INVALID_TOKEN: { category: 'validation', summary: 'token(name) was given a name that is not a non-empty string.' },
  CORE_ERR_INVALID_OPTIONS: { category: 'validation', summary: 'createApp() was given a malformed option that has no code of its own (observers: not an array of functions or { onEvent } objects).' },
});

export type CoreErrorCode = keyof typeof CORE_ERRORS;

/**
 * The `cause` of an error that reports several failures: the one error itself,
 * or an AggregateError of all of them.
 * @example
 * coreError('CORE_ERR_STOP_FAILED', msg, { cause: causeOf(errors, '2 modules failed to stop') });
 */
export function causeOf(errors: readonly unknown[], message: string): unknown {
  return errors.length === 1 ? errors[0] : new AggregateError(errors, message);
}

/** Internal shorthand: an error from the core registry. */
export function coreError(code: CoreErrorCode, message: string, options: RampartErrorOptions = {}): RampartError {
  return errorFrom(CORE_ERRORS, code, message, options);
}
