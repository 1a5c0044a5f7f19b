/**
 * `@RateLimit()` (TC39 standard decorator) and its plain-function form. Both
 * only attach metadata to the handler; the HTTP binding reads it with
 * `getRateLimit(handler)` and applies it as a per-route override.
 */
import { ThrottleError } from './errors.ts';
import { checkCost, definePolicies, type PolicyInput } from './policy.ts';

/** A route's own limit: one policy, several, with a cost, or `false` to exempt the route. */
export type RouteLimitInput = PolicyInput | { readonly policies: PolicyInput | readonly PolicyInput[]; readonly cost?: number } | false;

/** Normalised route limit. */
export type RouteLimit = { readonly policies: PolicyInput | readonly PolicyInput[]; readonly cost?: number } | false;

/**
 * Brings the three accepted shapes to one and validates its policies and cost
 * (`THROTTLE_ERR_INVALID_POLICY`, `THROTTLE_ERR_INVALID_COST`) where the limit
 * is declared: checked only when its route is first requested, a bad limit
 * would pass startup and then fail every request to that route.
 */
export function normalizeRouteLimit(input: RouteLimitInput): RouteLimit {
  if (input === false) return false;
  if (typeof input !== 'object' || input === null) throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', 'a route limit is a policy, { policies }, or false');
  const limit = 'policies' in input ? input : { policies: input };
  const policies = definePolicies(limit.policies);
  if (limit.cost !== undefined) checkCost(limit.cost, policies);
  return limit;
}

// A WeakMap keyed by the handler: no reflect-metadata, and handlers stay collectable.
const registry = new WeakMap<object, RouteLimit>();

/**
 * Marks a handler method with its own rate limit.
 * @example
 * class AuthController {
 *   @RateLimit({ limit: 5, windowMs: 60_000 })
 *   login() {}
 * }
 * getRateLimit(AuthController.prototype.login); // { policies: { limit: 5, windowMs: 60000 } }
 */
export function RateLimit(limit: RouteLimitInput) {
  const normalized = normalizeRouteLimit(limit);
  return function <T extends (...args: never[]) => unknown>(method: T, _context: ClassMethodDecoratorContext): T {
    registry.set(method, normalized);
    return method;
  };
}

/**
 * Function form of `@RateLimit()`: attaches the limit to `handler` and returns it.
 * @example
 * app.post('/login', rateLimit({ limit: 5, windowMs: 60_000 }, loginHandler));
 */
export function rateLimit<T extends object>(limit: RouteLimitInput, handler: T): T {
  registry.set(handler, normalizeRouteLimit(limit));
  return handler;
}

/**
 * The limit attached to a handler, if any.
 * @example
 * const override = getRateLimit(handler); // pass to throttle.check(req, override)
 */
export function getRateLimit(handler: object): RouteLimit | undefined {
  return registry.get(handler);
}
