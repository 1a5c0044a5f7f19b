/**
 * The per-request context object handed to handlers, guards, interceptors and
 * hooks. Created once per request (lazily, by the first code that needs it)
 * and cached on the Fastify request.
 */
import { AsyncResource } from 'node:async_hooks';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { trackRequest } from './diagnostics.ts';
import type { RouteContext } from './types.ts';

const CONTEXT = Symbol('rampart.http.context');

type WithContext = FastifyRequest & { [CONTEXT]?: RouteContext };

class RequestContext implements RouteContext {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly version: string | undefined;

  constructor(request: FastifyRequest, reply: FastifyReply, version: string | undefined) {
    this.request = request;
    this.reply = reply;
    this.version = version;
  }

  // Getters, not copies: onRequest hooks see the context before the body is
  // parsed, and the same object must show the parsed body later.
  get params(): Record<string, string> {
    return this.request.params as Record<string, string>;
  }
  get query(): Record<string, unknown> {
    return this.request.query as Record<string, unknown>;
  }
  get body(): unknown {
    return this.request.body;
  }
  get headers(): Record<string, string | string[] | undefined> {
    return this.request.headers;
  }
  get requestId(): string {
    return this.request.id;
  }
  get log(): FastifyBaseLogger {
    return this.request.log;
  }
}

/**
 * The context of a request, created on first use.
 * @example
 * const ctx = contextOf(request, reply, '2', 'x-request-id');
 */
export function contextOf(request: FastifyRequest, reply: FastifyReply, version: string | undefined, requestIdHeader: string): RouteContext {
  const holder = request as WithContext;
  const existing = holder[CONTEXT];
  if (existing !== undefined) return existing;
  // The first Rampart code to see a request stamps the id header and arms the
  // diagnostics event: cheaper than two global hooks on every request.
  reply.header(requestIdHeader, request.id);
  trackRequest(request, reply);
  return (holder[CONTEXT] = new RequestContext(request, reply, version));
}

const SCOPE = Symbol('rampart.http.scope');

type WithScope = FastifyRequest & { [SCOPE]?: AsyncResource };

/** Runs `fn` inside a request scope (core's `app.runInRequestScope`). */
export type RequestScopeRunner = <R>(requestId: string, fn: () => R) => R;

/**
 * Enters the request scope for `request` and keeps a handle on it. Fastify
 * parses bodies on socket events that were created outside the scope, so the
 * async context would be lost before the handler runs; an AsyncResource
 * created inside the scope restores it wherever we call user code.
 * @example
 * app.addHook('onRequest', (req, _reply, done) => enterScope(req, runner, done));
 */
export function enterScope(request: FastifyRequest, runner: RequestScopeRunner, done: () => void): void {
  runner(request.id, () => {
    // Stryker disable next-line StringLiteral: the resource type name is only seen by async_hooks tracers
    (request as WithScope)[SCOPE] = new AsyncResource('rampart:http.request');
    done();
  });
}

/**
 * Calls `fn` in the request's scope, if one was entered.
 * @example
 * inScope(request, () => handler(ctx));
 */
export function inScope<R>(request: FastifyRequest, fn: () => R): R {
  const resource = (request as WithScope)[SCOPE];
  return resource === undefined ? fn() : resource.runInAsyncScope(fn);
}
