/**
 * The vocabulary shared by decorators, the plain-function form and the route
 * registrar: what a route, a controller, a guard, an interceptor, a hook and an
 * exception filter are.
 */
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { FromSchema, JsonSchema } from './schema-types.ts';

/** HTTP methods a route can answer. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** Marks a route or controller that answers every API version. */
export const VERSION_NEUTRAL: unique symbol = Symbol.for('rampart.http.version-neutral');

/** One version (`'2'`), several (`['1', '2']`) or every version ({@link VERSION_NEUTRAL}). */
export type VersionSpec = string | readonly string[] | typeof VERSION_NEUTRAL;

/** JSON Schemas validated by Fastify's ajv before (and optionally after) the handler. */
export interface RouteSchema {
  readonly params?: JsonSchema;
  readonly querystring?: JsonSchema;
  readonly body?: JsonSchema;
  readonly headers?: JsonSchema;
  /** Keyed by status code (`200`, `201`, `'2xx'`). */
  readonly response?: Readonly<Record<string | number, JsonSchema>>;
}

type Part<S extends RouteSchema, K extends keyof RouteSchema, Fallback> = S[K] extends JsonSchema ? FromSchema<S[K]> : Fallback;

/**
 * What every handler, guard, interceptor and hook receives.
 * @example
 * const handler = (ctx: RouteContext) => ({ id: ctx.params, requestId: ctx.requestId });
 */
export interface RouteContext<S extends RouteSchema = RouteSchema> {
  readonly params: Part<S, 'params', Record<string, string>>;
  readonly query: Part<S, 'querystring', Record<string, unknown>>;
  readonly body: Part<S, 'body', unknown>;
  readonly headers: Part<S, 'headers', Record<string, string | string[] | undefined>>;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  /** The validated incoming `X-Request-Id` or a generated one. */
  readonly requestId: string;
  /** The request logger: every line carries the request id. */
  readonly log: FastifyBaseLogger;
  /** The API version this request was routed to; `undefined` without versioning. */
  readonly version: string | undefined;
}

/** A route handler: its return value is the response body (JSON). */
export type Handler<S extends RouteSchema = RouteSchema> = (ctx: RouteContext<S>) => unknown;

/** Allows the request (`true`) or rejects it with 403; may also throw its own exception. */
export type Guard = (ctx: RouteContext) => boolean | Promise<boolean>;

/** Wraps the handler: call `next()` to run the rest of the chain, transform or replace its result. */
export type Interceptor = (ctx: RouteContext, next: () => Promise<unknown>) => unknown;

/** A hook: runs for its side effects; throwing answers with a problem. */
export type Hook = (ctx: RouteContext) => void | Promise<void>;

/** Hooks per phase; each phase runs global, then controller, then route hooks. */
export interface Hooks {
  /** Before body parsing: cheap rejections (IP lists, maintenance mode). */
  readonly onRequest?: readonly Hook[];
  /** After validation and guards, right before interceptors and the handler. */
  readonly preHandler?: readonly Hook[];
  /** After the response was sent (metrics, audit); errors here are logged only. */
  readonly onResponse?: readonly Hook[];
}

/** Context given to an exception filter. */
export interface FilterContext {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly requestId: string;
  readonly log: FastifyBaseLogger;
}

/**
 * Handles errors of the listed classes. Return an error to render it as a
 * problem instead, send a response through `ctx.reply`, or return `undefined`
 * without sending to pass the error on to the next (lower precedence) filter.
 */
export interface ExceptionFilter {
  catch(error: unknown, ctx: FilterContext): unknown;
}

/** A class with `@Catch(...)`, an instance of one, or a `defineFilter()` result. */
export type FilterLike = ExceptionFilter | (new () => ExceptionFilter);

/** Deprecation of a route or version (RFC 9745, RFC 8594). */
export interface DeprecationSpec {
  /** When it became (or becomes) deprecated: RFC 9745 requires a date. */
  readonly since: Date;
  /** After this instant the route answers 410 Gone. */
  readonly sunset?: Date;
  /** Migration guide, sent as `Link: <...>; rel="deprecation"`. */
  readonly link?: string;
}

/** Any class used as a controller; its constructor may take injected dependencies. */
export type ControllerClass = new (...args: never[]) => object;

/** Options shared by controllers and routes. */
export interface RouteOptionsBase {
  readonly version?: VersionSpec;
  readonly guards?: readonly Guard[];
  readonly interceptors?: readonly Interceptor[];
  readonly filters?: readonly FilterLike[];
  readonly hooks?: Hooks;
  readonly deprecated?: DeprecationSpec;
  /** OpenAPI tags. */
  readonly tags?: readonly string[];
}

/** Route options accepted by `@Get(path, options)` and `defineRoute`. */
export interface RouteOptions<S extends RouteSchema = RouteSchema> extends RouteOptionsBase {
  readonly schema?: S;
  /** Success status; defaults to 201 for POST, 200 otherwise. */
  readonly status?: number;
  readonly summary?: string;
  readonly description?: string;
  readonly operationId?: string;
}

/** A route as the registrar sees it (handler not yet bound to an instance). */
export interface RouteDefinition extends RouteOptions {
  readonly method: HttpMethod;
  readonly path: string;
  /** A function, or the method name on the controller instance. */
  readonly handler: Handler | string | symbol;
}

/** Controller-level options: path prefix plus defaults for its routes. */
export interface ControllerOptions extends RouteOptionsBase {
  readonly path?: string;
}

/** A controller: a path prefix, shared options and routes. */
export interface ControllerDefinition extends ControllerOptions {
  readonly path: string;
  readonly routes: readonly RouteDefinition[];
  /** Present for class controllers: instantiated (or resolved through DI) at registration. */
  readonly target?: ControllerClass;
}
