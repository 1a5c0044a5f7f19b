/**
 * Service scopes and their lifetimes. A service may inject only services that
 * live at least as long as itself; otherwise the longer-lived one would keep a
 * stale (or another tenant's, another request's) instance: a scope leak.
 */

/**
 * - `singleton`: one instance per process, shared by every app built from the same provider declaration.
 * - `app` (default): one instance per application.
 * - `tenant`: one instance per tenant per application (needs a tenant context).
 * - `request`: one instance per `app.runInRequestScope()` call.
 * - `transient`: a new instance on every resolution; lives as long as whatever holds it.
 */
export type Scope = 'singleton' | 'app' | 'tenant' | 'request' | 'transient';

export const SCOPES: readonly Scope[] = Object.freeze(['singleton', 'app', 'tenant', 'request', 'transient']);

/** Lifetime rank; larger lives longer. Transient has none of its own (see effective lifetime). */
export const LIFETIME: Readonly<Record<Exclude<Scope, 'transient'>, number>> = Object.freeze({
  singleton: 4,
  app: 3,
  tenant: 2,
  request: 1,
});

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}
