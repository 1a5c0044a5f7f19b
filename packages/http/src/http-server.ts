/**
 * A Rampart HTTP server: Fastify configured with problem-details errors,
 * request ids, versioning, compression, limits and a graceful close.
 */
import type { AddressInfo } from 'node:net';
import { constants as zlib } from 'node:zlib';
import compress from '@fastify/compress';
import Fastify, { LogController } from 'fastify';
import { SerializingLogController } from './request-log.ts';
import type { FastifyBaseLogger, FastifyHttpOptions, FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Server } from 'node:http';
import { clientErrorHandler } from './client-error.ts';
import { compileRoutes } from './compile-routes.ts';
import { declareRequestSlots } from './context.ts';
import type { CompiledRoute } from './compile-routes.ts';
import { toFilter } from './decorators.ts';
import { closeIdleAfterEachResponse, refuseWhileDraining } from './draining.ts';
import type { RequestIdGenerator } from './draining.ts';
import { errorHandler, frameworkErrorHandler } from './error-handler.ts';
import type { ErrorHandlerSettings } from './error-handler.ts';
import { HttpError } from './errors.ts';
import { installJsonParser } from './json-parser.ts';
import { allowedMethods, unmatched } from './method-not-allowed.ts';
import { assertNoBuiltInClash, builtInRoutes, registerBuiltInRoutes } from './built-in-routes.ts';
import type { BuiltInRoute } from './built-in-routes.ts';
import { resolveOptions } from './options.ts';
import type { HttpServerOptions, ResolvedOptions } from './options.ts';
import { registerRoutes } from './register-routes.ts';
import { requestIdGenerator } from './request-id.ts';
import { createResponseValidator } from './response-validation.ts';
import { appendVary } from './vary.ts';
import { VERSION_CONSTRAINT, versionConstraint, versionVary } from './versioning.ts';

/** Lifecycle state of an {@link HttpServer}. */
export type HttpServerState = 'idle' | 'listening' | 'draining' | 'closed';

/** Outcome of {@link HttpServer.close}. */
export interface CloseResult {
  /** False when the drain timeout cut in-flight requests short. */
  readonly drained: boolean;
}

function isLogger(value: unknown): value is FastifyBaseLogger {
  return typeof value === 'object' && value !== null && typeof (value as { child?: unknown }).child === 'function';
}

// The router derives the version before Fastify built a request, so there is no
// request id to log with. Warn, not error: the request itself is answered normally
// (with the default version). The message goes to the log only, never to the client.
function versionFailureReporter(log: () => FastifyBaseLogger): (error: unknown) => void {
  return (error) => log().warn({ err: error }, 'versioning extract() threw; the request falls back to the default version');
}

function fastifyOptions(o: ResolvedOptions, settings: ErrorHandlerSettings, genReqId: RequestIdGenerator, log: () => FastifyBaseLogger): FastifyHttpOptions<Server, FastifyBaseLogger> {
  const t = o.timeouts;
  // Stryker disable next-line ConditionalExpression,StringLiteral: a constraint for URI versioning derives a version no route is constrained by (cost only)
  const versioned = o.versioning !== undefined && o.versioning.type !== 'uri';
  return {
    ...(isLogger(o.logger) ? { loggerInstance: o.logger } : { logger: o.logger }),
    genReqId,
    // A logger instance has none of the req/res serializers Fastify gives the pino it builds itself.
    logController: new (isLogger(o.logger) ? SerializingLogController : LogController)({ requestIdLogLabel: 'requestId' }),
    bodyLimit: o.bodyLimit,
    // Both are Fastify defaults today; pinned so a future default change cannot reopen them.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Off: Fastify's drain 503 is plain JSON without a request id. refuseWhileDraining
    // answers those requests with a problem document instead (see #install).
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    ...(o.trustProxy === undefined ? {} : { trustProxy: o.trustProxy as FastifyServerOptions['trustProxy'] }),
    // Report every invalid field, not only the first.
    ajv: { customOptions: { allErrors: true } },
    // Under routerOptions: Fastify 5.x warns (FSTDEP022) on the top-level `constraints` option.
    // The cast: find-my-way's types want deriveConstraint to return a string, while at run
    // time `undefined` (no version derived: only unconstrained routes match) is supported.
    ...(versioned ? { routerOptions: { constraints: { [VERSION_CONSTRAINT]: versionConstraint(o.versioning, versionFailureReporter(log)) } } as FastifyServerOptions['routerOptions'] } : {}),
    http: { headersTimeout: t.headers, requestTimeout: t.request, keepAliveTimeout: t.keepAlive, connectionsCheckingInterval: t.checkInterval },
    requestTimeout: t.request,
    keepAliveTimeout: t.keepAlive,
    clientErrorHandler: clientErrorHandler(o.problemTypeBase, o.requestIdHeader),
    // Malformed URLs (400) and path parameters over maxParamLength (414) fail before
    // any route matched; without this Fastify answers them with its own JSON.
    frameworkErrors: frameworkErrorHandler(settings),
  };
}

// compileRoutes catches the clashes it can see; Fastify refuses the others (a route
// added on server.app, a router rule compileRoutes does not model). Those get the
// documented code too, with Fastify's error as the cause.
function registrationError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (code !== 'FST_ERR_DUPLICATED_ROUTE') return error;
  return new HttpError('HTTP_ERR_DUPLICATE_ROUTE', (error as Error).message, { cause: error });
}

/**
 * The server. Create it with {@link createHttpServer}; `HttpModule` drives it through the core lifecycle.
 * @example
 * const server = createHttpServer({ controllers: [Hello], port: 0 });
 * const { url } = await server.listen();
 * await server.close();
 */
export class HttpServer {
  /** The underlying Fastify instance (register plugins before `listen`). */
  readonly app: FastifyInstance;
  /** Every registered route, after versions were expanded. */
  readonly routes: readonly CompiledRoute[];
  readonly options: ResolvedOptions;
  #state: HttpServerState = 'idle';
  /** The pending `app.listen()`, while listen() waits for it. */
  #starting: Promise<unknown> | undefined;
  /** The one close in progress or done; every close() caller gets it. */
  #closing: Promise<CloseResult> | undefined;
  /** Set when the drain starts (after readinessGrace): responses then carry `Connection: close`. */
  #closingConnections = false;
  readonly #settings: ErrorHandlerSettings;
  readonly #genReqId: RequestIdGenerator;
  readonly #builtIns: readonly BuiltInRoute[];
  /** The `Vary` the versioning calls for, checked before Fastify is built. */
  readonly #vary: string | undefined;

  constructor(options: HttpServerOptions = {}) {
    this.options = resolveOptions(options);
    const o = this.options;
    this.#vary = o.versioning === undefined ? undefined : versionVary(o.versioning);
    this.routes = compileRoutes(o);
    this.#builtIns = builtInRoutes(this.routes, o);
    assertNoBuiltInClash(this.routes, this.#builtIns);
    this.#settings = {
      production: o.production,
      requestIdHeader: o.requestIdHeader,
      typeBase: o.problemTypeBase,
      globalFilters: o.filters.map(toFilter),
      requestScope: o.requestScope,
      // From the drain on, not during readinessGrace (see registerRoutes below).
      draining: () => this.#closingConnections,
    };
    this.#genReqId = requestIdGenerator(o.requestIdHeader);
    // The logger is read lazily: Fastify builds it from these very options.
    this.app = Fastify(fastifyOptions(o, this.#settings, this.#genReqId, () => this.app.log));
    this.#install();
  }

  /** `idle` → `listening` → `draining` → `closed` (a pending listen() stays `idle`). */
  get state(): HttpServerState {
    return this.#state;
  }

  /** True while the server accepts traffic (the readiness probe answers 200). */
  get ready(): boolean {
    return this.#state === 'listening';
  }

  #install(): void {
    const o = this.options;
    const header = o.requestIdHeader;
    const settings = this.#settings;
    declareRequestSlots(this.app);
    installJsonParser(this.app);
    this.app.setErrorHandler(errorHandler(settings));
    // Runs once, when Fastify starts closing (after the listener stopped accepting):
    // costs nothing per request while the server is up, unlike a check in a request hook.
    this.app.addHook('preClose', (done) => {
      refuseWhileDraining(this.app.server, settings, this.#genReqId, this.app.log);
      done();
    });
    const vary = this.#vary;
    // On every response, not only on versioned routes: a version-neutral route or a 404 shares
    // its URL with versioned routes, and which one answers depends on the version asked for.
    // At onSend, so a Vary the handler set is added to, not replaced. Only servers that route
    // by a header pay for this hook.
    if (vary !== undefined) {
      this.app.addHook('onSend', (_request, reply, payload, done) => {
        appendVary(reply, vary);
        done(null, payload);
      });
    }
    const allowed = allowedMethods(this.app, o.versioning);
    // Through the error handler, not sendProblem: global filters see 404 and 405 like any other error.
    const handle = errorHandler(settings);
    this.app.setNotFoundHandler((request, reply) => handle(unmatched(request, allowed(request)), request, reply));
    if (o.compression !== false) {
      const c = o.compression;
      void this.app.register(compress, {
        globalCompression: true,
        // Request bodies are not inflated: a small gzip body can expand past bodyLimit (decompression bomb).
        globalDecompression: false,
        threshold: c.threshold,
        encodings: [...c.encodings],
        brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: c.brotliQuality } },
      });
    }
    // Registered as a plugin so it loads after @fastify/compress, whose onRoute
    // hook only decorates routes added after it.
    void this.app.register((scope, _opts, done) => {
      // A throw here would escape avvio as an uncaught exception (the process dies
      // instead of listen() rejecting), so it is handed to done().
      let failure: unknown;
      try {
        registerBuiltInRoutes(scope, this.#builtIns, {
          routes: this.routes,
          requestIdHeader: header,
          readinessCheck: o.readinessCheck,
          errors: settings,
          ready: () => this.ready,
          draining: () => this.#closingConnections,
        });
        registerRoutes(scope, this.routes, {
          now: () => o.clock.now(),
          responseValidator: o.validateResponses ? createResponseValidator(scope.getSchemas()) : undefined,
          requestIdHeader: header,
          requestScope: o.requestScope,
          globalFilters: settings.globalFilters.length > 0,
          // From the drain on, not during readinessGrace: until the load balancer
          // noticed, clients keep their connections and the server keeps serving.
          draining: () => this.#closingConnections,
        });
      } catch (error) {
        failure = registrationError(error);
      }
      done(failure as Error | undefined);
    });
  }

  /**
   * Starts listening; resolves with the bound address.
   * @example
   * const { url, port } = await server.listen();
   */
  async listen(): Promise<{ url: string; port: number }> {
    if (this.#state !== 'idle' || this.#starting !== undefined) {
      throw new HttpError('HTTP_ERR_ALREADY_LISTENING', `Cannot listen in state ${this.#starting === undefined ? this.#state : 'starting'}`);
    }
    const starting = this.app.listen({ host: this.options.host, port: this.options.port });
    this.#starting = starting;
    try {
      await starting;
    } finally {
      this.#starting = undefined;
    }
    // close() ran while the listener was being bound: it closes it once bound (it
    // waits for this very promise); the server never was ready, so listen() fails.
    if (this.#state !== 'idle') throw new HttpError('HTTP_ERR_LISTEN_ABORTED', 'close() was called before listen() finished; the server was closed instead');
    this.#state = 'listening';
    const address = this.app.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { url: `http://${host}:${address.port}`, port: address.port };
  }

  /**
   * Graceful close: readiness flips to not-ready, the listener closes, in-flight
   * requests finish (bounded by `drainTimeout`), then remaining sockets are cut.
   * Every call returns the same promise: a second caller waits for the same drain.
   * @example
   * process.once('SIGTERM', () => void server.close());
   */
  close(): Promise<CloseResult> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<CloseResult> {
    const wasListening = this.#state === 'listening';
    const starting = this.#starting;
    this.#state = 'draining';
    // A pending listen() must finish binding before Fastify can close the listener.
    // Its failure (port in use, ...) is listen()'s to report: its caller gets it.
    if (starting !== undefined) await starting.then(noop, noop);
    // Stryker disable next-line EqualityOperator: a grace of 0 only adds one timer turn
    if (wasListening && this.options.readinessGrace > 0) await delay(this.options.readinessGrace);
    const drained = await this.#drain();
    this.#state = 'closed';
    return { drained };
  }

  async #drain(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.options.drainTimeout);
    });
    this.#closingConnections = true;
    const stopReaping = closeIdleAfterEachResponse(this.app.server);
    const closed = this.app.close().then(() => true as const);
    const drained = await Promise.race([closed, timeout]);
    clearTimeout(timer);
    if (!drained) {
      const error = new HttpError('HTTP_ERR_DRAIN_TIMEOUT', `In-flight requests still running after ${this.options.drainTimeout} ms; closing their sockets`);
      this.app.log.error({ err: error, code: error.code }, error.message);
      this.app.server.closeAllConnections();
      await closed;
    }
    stopReaping();
    return drained;
  }
}

function noop(): void {}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Creates a server from controllers and options.
 * @example
 * const server = createHttpServer({ controllers: [Users], versioning: { type: 'uri', defaultVersion: '1' } });
 */
export function createHttpServer(options: HttpServerOptions = {}): HttpServer {
  return new HttpServer(options);
}
