/**
 * The routes the server adds itself: the readiness probe and the OpenAPI
 * documents. A controller route on one of their paths would make Fastify throw
 * FST_ERR_DUPLICATED_ROUTE while routes are registered (at listen, far from the
 * cause); checking here makes it a startup error that names the clash. They are
 * registered here too, with what they answer while the server is not ready or drains.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CompiledRoute } from './compile-routes.ts';
import { closeConnectionWhileDraining, DRAINING_DETAIL } from './draining.ts';
import { sendProblem } from './error-handler.ts';
import type { ErrorHandlerSettings } from './error-handler.ts';
import { HttpError } from './errors.ts';
import { ServiceUnavailableException } from './exceptions.ts';
import { buildOpenApi, versionsOf } from './openapi.ts';
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

/** `detail` of the readiness problem when the check failed (returned false, threw or rejected). */
export const NOT_READY_DETAIL = 'A required dependency is not ready';

/** What the built-in routes read from the server. */
export interface BuiltInRouteSettings {
  readonly routes: readonly CompiledRoute[];
  readonly requestIdHeader: string;
  readonly readinessCheck: () => boolean | Promise<boolean>;
  readonly errors: ErrorHandlerSettings;
  /** True while the server accepts traffic. */
  readonly ready: () => boolean;
  /** True once the drain began: responses then say `Connection: close`. */
  readonly draining: () => boolean;
}

// A check that throws is a dependency that is not ready: a probe must answer 503 (load
// balancers act on it), not 500. The error's message may carry a connection string, so it
// is the cause (logged), never the detail. Thrown, so global filters still see the failure.
async function readinessPasses(check: () => boolean | Promise<boolean>): Promise<boolean> {
  try {
    return await check();
  } catch (error) {
    throw new ServiceUnavailableException(NOT_READY_DETAIL, { cause: error });
  }
}

function readinessHandler(s: BuiltInRouteSettings) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    // Asked again after the check: a close that began while it ran flipped readiness,
    // and a probe answered after the flip must say "not ready".
    if (s.ready() && (await readinessPasses(s.readinessCheck)) && s.ready()) return reply.header(s.requestIdHeader, request.id).send({ status: 'ready' });
    const detail = s.ready() ? NOT_READY_DETAIL : DRAINING_DETAIL;
    return sendProblem(request, reply, new ServiceUnavailableException(detail), s.errors);
  };
}

/**
 * Adds the built-in routes to `scope` (the scope of the controller routes, whose shared
 * schemas the OpenAPI documents resolve `$ref`s against).
 * @example
 * registerBuiltInRoutes(scope, builtInRoutes(routes, options), settings);
 */
export function registerBuiltInRoutes(scope: FastifyInstance, builtIns: readonly BuiltInRoute[], s: BuiltInRouteSettings): void {
  // They answer outside registerRoutes' send wrapper, so the drain's `Connection: close` is
  // added at onSend: it then covers every answer of these routes (the document, the probe's
  // 200 and 503, an error, a raw Fastify hook answering itself).
  const onSend = closeConnectionWhileDraining(s.draining);
  for (const builtIn of builtIns) {
    if (builtIn.kind === 'readiness') {
      scope.get(builtIn.path, { onSend }, readinessHandler(s));
      continue;
    }
    // Built once, when the routes are registered (during ready()): the shared schemas are
    // those of this scope, the ones Fastify resolves the routes' `$ref`s against.
    const doc = buildOpenApi(s.routes, builtIn.version, builtIn.info, scope.getSchemas());
    scope.get(builtIn.path, { onSend }, (request, reply) => reply.header(s.requestIdHeader, request.id).send(doc));
  }
}
