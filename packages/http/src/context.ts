/**
 * The per-request context object handed to handlers, guards, interceptors and
 * hooks. Created once per request (lazily, by the first code that needs it)
 * and cached on the Fastify request.
 */
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
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
 * const ctx = contextOf(request, reply, '2');
 */
export function contextOf(request: FastifyRequest, reply: FastifyReply, version: string | undefined): RouteContext {
  const holder = request as WithContext;
  return (holder[CONTEXT] ??= new RequestContext(request, reply, version));
}
