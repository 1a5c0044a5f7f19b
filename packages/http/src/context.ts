/**
 * The per-request context object handed to handlers, guards, interceptors and
 * hooks. Created once per request (lazily, by the first code that needs it)
 * and cached on the Fastify request.
 */
import { AsyncResource } from 'node:async_hooks';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
 * Declares the two per-request slots this file keeps on Fastify's request, so
 * Fastify's request constructor creates them: a property added later changes
 * the object's hidden class on every request, which showed up as extra server
 * CPU per request under load (the Fastify docs give the same advice for
 * `decorateRequest`).
 * @example
 * declareRequestSlots(fastify);
 */
export function declareRequestSlots(app: FastifyInstance): void {
  app.decorateRequest(CONTEXT, undefined);
  app.decorateRequest(SCOPE, undefined);
}

/**
 * Calls `fn` inside the request's scope. The scope is entered by the first
 * Rampart stage of a request that runs user code (hook, guard, handler or
 * filter), not by a global Fastify hook: measured on real HTTP under load, a
 * global onRequest hook that runs the rest of Fastify's pipeline inside the
 * scope added about twice as much server CPU per request as entering it here
 * (1.15x against 1.07x a server without a scope, in an A/B of 4-5 server
 * processes each; see `http/request-scope/server-cpu`). Fastify parses bodies and runs
 * later stages on events created outside the scope, so an AsyncResource made
 * inside it re-enters the same scope for every later stage. `later` says
 * whether a later stage may run user code (onResponse hooks, exception
 * filters); when none can, as for a plain route whose handler is its only
 * stage, no resource is made: that is an async id and a captured context per
 * request saved.
 * @example
 * inScope(request, runner, () => handler(ctx), false);
 */
export function inScope<R>(request: FastifyRequest, runner: RequestScopeRunner | undefined, fn: () => R, later = true): R {
  const holder = request as WithScope;
  const resource = holder[SCOPE];
  if (resource !== undefined) return resource.runInAsyncScope(fn);
  if (runner === undefined) return fn();
  if (!later) return runner(request.id, fn);
  return runner(request.id, () => {
    // Stryker disable next-line StringLiteral: the resource type name is only seen by async_hooks tracers
    holder[SCOPE] = new AsyncResource('rampart:http.request');
    return fn();
  });
}

/** A send watched by {@link watchSend}. */
export interface SendWatch {
  /** True once `reply.send()` was called while watching. */
  readonly started: boolean;
  /** Puts the previous `reply.send` back. */
  stop(): void;
}

/**
 * Watches `reply.send()` while user code that may answer the request runs (a
 * hook before the handler, an exception filter). Fastify reports `reply.sent`
 * only once the response ended: a send of a stream, or through an async onSend
 * hook (compression), has not ended when that code returns, and whatever runs
 * next (the handler, a problem document) would go out over it.
 * @example
 * const send = watchSend(reply); await hook(ctx); send.stop(); if (send.started) ...
 */
export function watchSend(reply: FastifyReply, draining?: () => boolean): SendWatch {
  // Bound, so putting it back restores the handler's own wrapper (register-routes.ts) when there is one.
  const send = reply.send.bind(reply);
  const watch = {
    started: false,
    stop: () => void (reply.send = send),
  };
  reply.send = (payload?: unknown) => {
    watch.started = true;
    // An answer sent while the server drains closes its connection: say so (see register-routes.ts).
    if (draining?.() === true) reply.header('connection', 'close');
    return send(payload);
  };
  return watch;
}
