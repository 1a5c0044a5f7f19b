/**
 * The routes the server adds itself: the readiness probe and the OpenAPI
 * documents. A controller route on one of their paths would make Fastify throw
 * FST_ERR_DUPLICATED_ROUTE while routes are registered (at listen, far from the
 * cause); checking here makes it a startup error that names the clash.
 */
import type { CompiledRoute } from './compile-routes.ts';
import { HttpError } from './errors.ts';
import { versionsOf } from './openapi.ts';
import type { OpenApiInfo } from './openapi.ts';
import type { ResolvedOptions } from './options.ts';

/** One built-in GET route: its path and, for OpenAPI, what the document covers. */
export type BuiltInRoute =
  | { readonly kind: 'readiness'; readonly path: string }
  | {
      readonly kind: 'openapi';
      readonly path: string;
      /** API version the document covers; `undefined` without versioning. */
      readonly version: string | undefined;
      readonly info: OpenApiInfo;
    };

/**
 * The built-in routes of a server with these options and routes.
 * @example
 * builtInRoutes(routes, options).map((r) => r.path); // ['/health/ready', '/openapi.json']
 */
export function builtInRoutes(routes: readonly CompiledRoute[], o: ResolvedOptions): BuiltInRoute[] {
  const out: BuiltInRoute[] = o.readinessPath === false ? [] : [{ kind: 'readiness', path: o.readinessPath }];
  if (o.openapi === false) return out;
  const { path: base, info } = o.openapi;
  if (o.versioning === undefined) return [...out, { kind: 'openapi', path: `${base}.json`, version: undefined, info }];
  for (const version of versionsOf(routes, Object.keys(o.versioning.versions ?? {}))) out.push({ kind: 'openapi', path: `${base}/v${version}.json`, version, info });
  return out;
}

const HOW_TO_MOVE = { readiness: 'choose another path or set readinessPath', openapi: 'choose another path or set openapi' } as const;

/**
 * Throws `HTTP_ERR_DUPLICATE_ROUTE` when a GET or HEAD route takes the path of a built-in one.
 * @example
 * assertNoBuiltInClash(routes, builtInRoutes(routes, options));
 */
export function assertNoBuiltInClash(routes: readonly CompiledRoute[], builtIns: readonly BuiltInRoute[]): void {
  const taken = new Map(builtIns.map((b) => [b.path, b.kind]));
  for (const route of routes) {
    const kind = route.method === 'GET' || route.method === 'HEAD' ? taken.get(route.url) : undefined;
    if (kind !== undefined) {
      throw new HttpError('HTTP_ERR_DUPLICATE_ROUTE', `${route.method} ${route.url} is the built-in ${kind} route: ${HOW_TO_MOVE[kind]} (false disables it)`);
    }
  }
}
