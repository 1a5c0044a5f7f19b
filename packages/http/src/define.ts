/**
 * The plain-function form: everything the decorators declare can be declared
 * with these functions, for code that cannot (or prefers not to) use
 * decorators. Decorators build exactly the same definitions.
 */
import { HttpError } from './errors.ts';
import type {
  ControllerDefinition,
  ControllerOptions,
  ExceptionFilter,
  FilterContext,
  Handler,
  Hooks,
  HttpMethod,
  RouteDefinition,
  RouteOptions,
  RouteOptionsBase,
  RouteSchema,
} from './types.ts';

/** Errors a filter handles: any class whose instances it catches. */
export type ErrorClass = abstract new (...args: never[]) => unknown;

/** A filter built by {@link defineFilter} or from a `@Catch()` class. */
export interface FilterDefinition extends ExceptionFilter {
  /** Classes this filter catches; empty = every error. */
  readonly types: readonly ErrorClass[];
}

/** A route declared with the function form. */
export interface RouteInit<S extends RouteSchema> extends RouteOptions<S> {
  readonly method: HttpMethod;
  readonly path?: string;
  readonly handler: Handler<S>;
}

/**
 * Declares a route; `schema` is inferred as a literal so `ctx` is typed.
 * @example
 * const create = defineRoute({
 *   method: 'POST', path: '/',
 *   schema: { body: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
 *   handler: (ctx) => ({ hello: ctx.body.name }),
 * });
 */
export function defineRoute<const S extends RouteSchema = RouteSchema>(init: RouteInit<S>): RouteDefinition {
  return { ...init, path: normalizePath(init.path ?? ''), handler: init.handler as unknown as Handler };
}

/**
 * Declares a controller from routes.
 * @example
 * const users = defineController({ path: '/users', version: '2', routes: [defineRoute({ method: 'GET', handler: () => [] })] });
 */
export function defineController(init: ControllerOptions & { readonly routes: readonly RouteDefinition[] }): ControllerDefinition {
  return { ...init, path: normalizePath(init.path ?? '') };
}

/**
 * Declares an exception filter for the given error classes (none = all errors).
 * @example
 * const conflicts = defineFilter([UniqueViolation], () => new ConflictException('already exists'));
 */
export function defineFilter(
  types: readonly ErrorClass[],
  handle: (error: unknown, ctx: FilterContext) => unknown,
): FilterDefinition {
  return { types, catch: handle };
}

/**
 * Combines options given inline (`@Get(path, options)`, `@Controller(path, options)`)
 * with those from stacked decorators: lists concatenate, single values from
 * decorators win.
 */
export function mergeOptions(inline: RouteOptionsBase, decorated: RouteOptionsBase): RouteOptionsBase {
  const hooks = (phase: keyof Hooks) => [...(inline.hooks?.[phase] ?? []), ...(decorated.hooks?.[phase] ?? [])];
  return {
    version: decorated.version ?? inline.version,
    deprecated: decorated.deprecated ?? inline.deprecated,
    guards: [...(inline.guards ?? []), ...(decorated.guards ?? [])],
    interceptors: [...(inline.interceptors ?? []), ...(decorated.interceptors ?? [])],
    filters: [...(inline.filters ?? []), ...(decorated.filters ?? [])],
    hooks: { onRequest: hooks('onRequest'), preHandler: hooks('preHandler'), onResponse: hooks('onResponse') },
    tags: [...(inline.tags ?? []), ...(decorated.tags ?? [])],
  };
}

/** `users/` → `/users`; `/` stays `/`. Rejects paths that could not route. */
export function normalizePath(path: string): string {
  if (typeof path !== 'string' || /[\s?#]/.test(path)) {
    throw new HttpError('HTTP_ERR_INVALID_CONTROLLER', `Invalid route path: ${JSON.stringify(path)}`);
  }
  // `''` and `'/'` both trim to `''`, which becomes `/`.
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** Joins a controller prefix and a route path without doubled or trailing slashes. */
export function joinPath(...parts: readonly string[]): string {
  const joined = parts.map(normalizePath).filter((p) => p !== '/').join('');
  return joined === '' ? '/' : joined;
}
