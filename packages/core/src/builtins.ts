/**
 * Services every application provides. They carry a very low priority, so an
 * app-level or module provider of the same token wins the tie-break.
 */
import type { Logger } from './logger.ts';
import type { Resolver } from './module.ts';
import type { Provider } from './provider.ts';
import type { ScopeContexts, TenantContext } from './tenancy.ts';
import { token } from './token.ts';

/**
 * The application's logger (bound to `{ app }`).
 * @example
 * { provide: REPO, inject: [LOGGER], useFactory: (log) => new Repo(log.child({ svc: 'repo' })) }
 */
export const LOGGER = token<Logger>('rampart.logger', 'The application logger');

/**
 * The application as a resolver (for factories that resolve lazily).
 * @example
 * { provide: JOBS, inject: [APP], useFactory: (app) => new Jobs(() => app.get(DB)) }
 */
export const APP = token<Resolver>('rampart.app', 'The application resolver');

/**
 * The current tenant (tenant-scoped: needs a tenant context in strict mode).
 * @example
 * { provide: REPO, scope: 'tenant', inject: [TENANT], useFactory: (t) => new Repo(`tenant_${t.id}`) }
 */
export const TENANT = token<TenantContext>('rampart.tenant', 'The tenant of the current call chain');

const BUILTIN_PRIORITY = -1000;

export function builtinProviders(app: Resolver & { logger: Logger }, contexts: ScopeContexts): Provider[] {
  return [
    { provide: LOGGER, useValue: app.logger, priority: BUILTIN_PRIORITY },
    { provide: APP, useValue: app, priority: BUILTIN_PRIORITY },
    {
      provide: TENANT,
      scope: 'tenant',
      priority: BUILTIN_PRIORITY,
      // Reached only with a tenant context or in permissive mode (the container guards strict mode).
      useFactory: () => contexts.current()?.tenant ?? contexts.fallbackTenant,
    },
  ];
}
