/**
 * The single place errors become responses. Exception filters get the first
 * word (route, then controller, then global filters: the most specific wins);
 * whatever they leave is rendered as an RFC 9457 problem. A validation error
 * first gets the invalid fields of the parts Fastify did not validate. Server
 * faults are logged with the full error and the request id; 4xx at debug.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { stdSerializers } from 'pino';
import { inScope, watchSend } from './context.ts';
import type { RequestScopeRunner } from './context.ts';
import { trackRequest } from './diagnostics.ts';
import type { FilterDefinition } from './define.ts';
import { BadRequestException, HttpException } from './exceptions.ts';
import { normalize, PROBLEM_CONTENT_TYPE, renderProblem } from './problem-details.ts';
import type { FilterContext } from './types.ts';
import { validateAllParts } from './validate-all-parts.ts';

/** What the error handler needs to know about the server. */
export interface ErrorHandlerSettings {
  readonly production: boolean;
  readonly requestIdHeader: string;
  readonly typeBase: string;
  readonly globalFilters: readonly FilterDefinition[];
  /** Core's request scope, entered (or re-entered) around each filter. */
  readonly requestScope: RequestScopeRunner | undefined;
  /** True once the server began its drain: responses then say `Connection: close`. */
  readonly draining?: () => boolean;
}

/** Filters of a route, most specific first (route, then controller). */
export interface RouteFilters {
  readonly filters: readonly FilterDefinition[];
}

function filtersOf(request: FastifyRequest): readonly FilterDefinition[] {
  const config = request.routeOptions.config as { rampart?: RouteFilters } | undefined;
  return config?.rampart?.filters ?? [];
}

function catches(filter: FilterDefinition, error: unknown): boolean {
  return filter.types.length === 0 || filter.types.some((type) => error instanceof type);
}

/** The request path without its query string (queries may carry tokens). */
export function instanceOf(request: { readonly url: string }): string {
  const url = request.url;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Sends `error` as a problem document (no filters).
 * @example
 * sendProblem(request, reply, new NotFoundException(), settings);
 */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown, settings: ErrorHandlerSettings): FastifyReply {
  const problem = renderProblem(error, {
    requestId: request.id,
    instance: instanceOf(request),
    production: settings.production,
    typeBase: settings.typeBase,
  });
  trackRequest(request, reply);
  // A request in flight when the drain began may fail before its handler (a guard, validation
  // of a slowly uploaded body): its socket is closed after this response, so the client must
  // not reuse it (see the handler's send in register-routes.ts).
  if (settings.draining?.() === true) reply.header('connection', 'close');
  if (problem.serverFault) request.log.error({ err: error, code: problem.body.code }, 'request failed');
  else request.log.debug({ code: problem.body.code, status: problem.body.status }, 'request rejected');
  return reply
    .code(problem.body.status)
    .headers(problem.headers)
    .header(settings.requestIdHeader, request.id)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problem.body);
}

async function runFilters(error: unknown, filters: readonly FilterDefinition[], ctx: FilterContext, settings: ErrorHandlerSettings): Promise<{ handled: boolean; error: unknown }> {
  for (const filter of filters) {
    if (!catches(filter, error)) continue;
    let result: unknown;
    const send = watchSend(ctx.reply, settings.draining);
    try {
      result = await inScope(ctx.request, settings.requestScope, () => filter.catch(error, ctx));
    } catch (thrown) {
      // A failing filter must not hide the original failure: log both, answer with the new one.
      // Loggers serialize only `err`; an Error under another key would log as `{}`.
      ctx.log.error({ err: thrown, original: stdSerializers.err(error as Error) }, 'exception filter threw');
      return { handled: false, error: thrown };
      // Stryker disable next-line BlockStatement: not putting send back only leaves one more wrapper around it
    } finally {
      send.stop();
    }
    if (send.started || ctx.reply.sent) return { handled: true, error };
    if (result !== undefined) return { handled: false, error: result };
  }
  return { handled: false, error };
}

/**
 * Builds the Fastify error handler.
 * @example
 * app.setErrorHandler(errorHandler({ production: true, requestIdHeader: 'x-request-id', typeBase: 'urn:rampart:problem:', globalFilters: [] }));
 */
export function errorHandler(settings: ErrorHandlerSettings) {
  return async (thrown: unknown, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    // Fastify stops at the first invalid part; the answer lists the fields of every part.
    const error = await validateAllParts(thrown, request);
    // Filters see framework failures (validation, limits) as the exceptions they map to.
    const subject = error instanceof HttpException ? error : frameworkOrRaw(error, settings.production);
    const ctx: FilterContext = { request, reply, requestId: request.id, log: request.log };
    const filters = [...filtersOf(request), ...settings.globalFilters];
    if (filters.length === 0) return sendProblem(request, reply, error, settings);
    // A filter may answer itself. The request id header and the diagnostics event are
    // normally set up by contextOf(), which has not run for an error raised before the
    // handler (validation, 413, 415), so they are set up here.
    reply.header(settings.requestIdHeader, request.id);
    trackRequest(request, reply);
    const outcome = await runFilters(subject, filters, ctx, settings);
    if (outcome.handled) return reply;
    if (outcome.error !== subject) {
      // Keep the original visible in logs when a filter swapped a server fault for something else.
      if (!(subject instanceof HttpException) || subject.status >= 500) request.log.error({ err: error }, 'request failed (filtered)');
    }
    return sendProblem(request, reply, outcome.error === subject ? error : outcome.error, settings);
  };
}

function frameworkOrRaw(error: unknown, production: boolean): unknown {
  const mapped = normalize(error, production);
  // normalize() wraps unknown errors as a 500 with `cause`; filters want the raw value then.
  return mapped.code === 'HTTP_ERR_INTERNAL' && mapped.cause === error ? error : mapped;
}

// Fastify's messages for these quote the raw URL, query string included (which
// may carry tokens), so the client gets a fixed detail; the original is the cause.
function fromRouter(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'FST_ERR_BAD_URL') return new BadRequestException('The URL path is not valid percent-encoded UTF-8', { cause: error });
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return new HttpException(414, 'A path parameter is longer than the server accepts', { cause: error, code: 'HTTP_ERR_URI_TOO_LONG' });
  return error;
}

/**
 * Builds Fastify's `frameworkErrors`: failures Fastify meets before a route
 * matched (a malformed URL, a path parameter over `maxParamLength`). They get
 * the global filters and the problem rendering like any other error; without
 * it Fastify answers them with its own JSON and no request id.
 * @example
 * Fastify({ frameworkErrors: frameworkErrorHandler(settings) });
 */
export function frameworkErrorHandler(settings: ErrorHandlerSettings): (error: unknown, request: FastifyRequest, reply: FastifyReply) => void {
  const handle = errorHandler(settings);
  return (error, request, reply) => {
    // Fastify ignores the return value here. handle() does not reject: a throwing
    // filter is caught in runFilters, and renderProblem accepts any value.
    void handle(fromRouter(error), request, reply);
  };
}
