/**
 * Registers compiled routes on Fastify. The order inside one request is:
 *   1. deprecation headers / sunset check
 *   2. onRequest hooks (global → controller → route), before the body is read
 *   3. body parsing, then guards (global → controller → route): an unauthenticated
 *      caller learns nothing about the schema
 *   4. schema validation (params, querystring, headers, body)
 *   5. preHandler hooks (global → controller → route)
 *   6. interceptors (global outermost … route innermost) around the handler
 *   7. response (validated against `schema.response` when enabled), then onResponse hooks
 * Only non-empty stages are attached, so a bare route costs what Fastify costs.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { CompiledRoute } from './compile-routes.ts';
import { contextOf, inScope, watchSend } from './context.ts';
import type { RequestScopeRunner } from './context.ts';
import { ForbiddenException, GoneException } from './exceptions.ts';
import type { Hook, RouteContext } from './types.ts';
import { VERSION_CONSTRAINT } from './versioning.ts';
import type { ResponseValidator, RouteResponseCheck } from './response-validation.ts';

type FastifyHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

function hooks(list: readonly Hook[], version: string | undefined, header: string, scope: RequestScopeRunner | undefined): FastifyHook[] {
  return list.map((hook) => async (request, reply) => {
    await inScope(request, scope, () => hook(contextOf(request, reply, version, header)));
  });
}

// A hook before the handler may answer the request itself (an authentication hook's 401).
// Fastify skips the rest of the request only once `reply.sent`, which a streamed or
// compressed send is not when the hook returns: the handler would still run, and its reply
// collide with the hook's. Waiting for the reply to finish, as Fastify's own `return reply`
// from an async hook does, ends the request there.
function answeringHooks(list: readonly Hook[], version: string | undefined, header: string, scope: RequestScopeRunner | undefined, draining: () => boolean): FastifyHook[] {
  return list.map((hook) => async (request, reply) => {
    const send = watchSend(reply, draining);
    // A hook that throws leaves the watch on: the error's reply goes through one more wrapper, no harm.
    await inScope(request, scope, () => hook(contextOf(request, reply, version, header)));
    // Stryker disable next-line CallExpression: not putting send back only leaves one more wrapper around it
    send.stop();
    // reply.then() settles when the response finished; a failed one is Fastify's to log.
    if (send.started) {
      // Stryker disable next-line BlockStatement: a promise that never settles ends the request the same way for the client; settling lets Fastify finish its hook chain
      await new Promise<void>((settled) => {
        const done = (): void => settled();
        reply.then(done, done);
      });
    }
  });
}

function sunsetHook(route: CompiledRoute, now: () => number): FastifyHook[] {
  const deprecation = route.deprecation;
  if (deprecation === undefined) return [];
  const { headers, sunsetAt, link } = deprecation;
  return [
    async (_request, reply) => {
      reply.headers(headers);
      if (sunsetAt !== undefined && now() >= sunsetAt) {
        const extensions = link === undefined ? {} : { migration: link };
        throw new GoneException(`This endpoint was retired on ${new Date(sunsetAt).toUTCString()}`, { extensions });
      }
    },
  ];
}

function guardHook(route: CompiledRoute, header: string, scope: RequestScopeRunner | undefined): FastifyHook {
  const { guards, version } = route;
  return async (request, reply) => {
    const ctx = contextOf(request, reply, version, header);
    for (const guard of guards) {
      if ((await inScope(request, scope, () => guard(ctx))) !== true) throw new ForbiddenException('Access to this resource is denied');
    }
  };
}

function chain(route: CompiledRoute): (ctx: RouteContext) => unknown {
  const { handler, interceptors } = route;
  // Stryker disable next-line ConditionalExpression: an empty chain calls the handler the same way (one promise more)
  if (interceptors.length === 0) return handler;
  return interceptors.reduceRight<(ctx: RouteContext) => Promise<unknown>>(
    (next, interceptor) => (ctx) => Promise.resolve(interceptor(ctx, () => next(ctx))),
    (ctx) => Promise.resolve(handler(ctx)),
  );
}

function handlerOf(route: CompiledRoute, header: string, scope: RequestScopeRunner | undefined, globalFilters: boolean, draining: () => boolean, check: RouteResponseCheck | undefined) {
  const run = chain(route);
  // After the handler, only onResponse hooks and exception filters run user code in the scope.
  const later = route.onResponse.length > 0 || route.filters.length > 0 || globalFilters;
  const { status, version } = route;
  // `undefined` means "no body": answer 204 instead of leaving the request hanging,
  // unless something already called reply.send().
  const finish = (reply: FastifyReply, value: unknown, sendCalled: boolean): unknown => {
    if (value !== undefined) return value;
    return reply.sent || sendCalled ? reply : reply.code(204).send();
  };
  return (request: FastifyRequest, reply: FastifyReply): unknown => {
    // Stryker disable next-line ConditionalExpression: 200 is Fastify's default; the check saves a call
    if (status !== 200) reply.code(status);
    // Fastify only reports `reply.sent` once the response ended: a send whose body is a
    // stream, or whose onSend hooks are async (compression), is still unsent when the
    // handler returns, and a 204 sent then would go out over it (ERR_HTTP_HEADERS_SENT).
    // Fastify keeps no flag for "send started", so the send is watched for this request.
    const send = reply.send.bind(reply);
    let started = false;
    reply.send = (payload?: unknown) => {
      started = true;
      // A response of a drain tells the client not to reuse the connection; Node then
      // closes it after the response instead of keeping it until keepAliveTimeout.
      if (draining()) reply.header('connection', 'close');
      // Fastify runs preSerialization (where responses are validated) only for objects.
      const failure = check?.raw(reply, payload);
      return send(failure ?? payload);
    };
    const ctx = contextOf(request, reply, version, header);
    const result = inScope(request, scope, () => run(ctx), later);
    // `started` is read when the handler's result is in, not before.
    if (result instanceof Promise) return result.then((value: unknown) => finish(reply, value, started));
    return finish(reply, result, started);
  };
}

/**
 * Adds every route to `app`.
 * @example
 * registerRoutes(app, compileRoutes(options), { now: () => Date.now(), responseValidator: undefined, requestIdHeader: 'x-request-id', requestScope: undefined, globalFilters: false, draining: () => false });
 */
export function registerRoutes(
  app: FastifyInstance,
  routes: readonly CompiledRoute[],
  settings: {
    now: () => number;
    responseValidator: ResponseValidator | undefined;
    requestIdHeader: string;
    requestScope: RequestScopeRunner | undefined;
    globalFilters: boolean;
    /** True once the server began closing. */
    draining: () => boolean;
  },
): void {
  // Fastify adds a HEAD route for every GET; with an explicit HEAD route on the same path
  // and version both would be registered and Fastify would refuse the second.
  const explicitHead = new Set(routes.filter((r) => r.method === 'HEAD').map((r) => `${r.url} ${r.constraint ?? '*'}`));
  for (const route of routes) {
    const { requestIdHeader: header, requestScope: scope } = settings;
    const onRequest = [...sunsetHook(route, settings.now), ...answeringHooks(route.onRequest, route.version, header, scope, settings.draining)];
    const preHandler = answeringHooks(route.preHandler, route.version, header, scope, settings.draining);
    const onResponse = hooks(route.onResponse, route.version, header, scope);
    const check = settings.responseValidator?.forRoute(route.schema?.response);
    const options: RouteOptions = {
      method: route.method,
      url: route.url,
      handler: handlerOf(route, header, scope, settings.globalFilters, settings.draining, check),
      config: { rampart: { filters: route.filters } },
      ...(route.method === 'GET' && explicitHead.has(`${route.url} ${route.constraint ?? '*'}`) ? { exposeHeadRoute: false } : {}),
      // Empty stages are left out so a bare route costs what Fastify costs; Fastify treats
      // an absent option and an empty/undefined one alike, hence the disabled mutants.
      // Stryker disable next-line ConditionalExpression: schema undefined = no schema
      ...(route.schema === undefined ? {} : { schema: route.schema }),
      ...(route.constraint === undefined ? {} : { constraints: { [VERSION_CONSTRAINT]: route.constraint } }),
      // Stryker disable next-line ConditionalExpression: an empty hook list = no hooks
      ...(onRequest.length === 0 ? {} : { onRequest }),
      ...(route.guards.length === 0 ? {} : { preValidation: [guardHook(route, header, scope)] }),
      // Stryker disable next-line ConditionalExpression: an empty hook list = no hooks
      ...(preHandler.length === 0 ? {} : { preHandler }),
      // Stryker disable next-line ConditionalExpression: an empty hook list = no hooks
      ...(onResponse.length === 0 ? {} : { onResponse }),
      // Stryker disable next-line ConditionalExpression: preSerialization undefined = no hook
      ...(check === undefined ? {} : { preSerialization: check.preSerialization }),
    };
    app.route(options);
  }
}
