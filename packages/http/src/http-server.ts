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
import { refuseWhileDraining } from './draining.ts';
import type { RequestIdGenerator } from './draining.ts';
import { errorHandler, frameworkErrorHandler, sendProblem } from './error-handler.ts';
import type { ErrorHandlerSettings } from './error-handler.ts';
import { HttpError } from './errors.ts';
import { installJsonParser } from './json-parser.ts';
import { ServiceUnavailableException } from './exceptions.ts';
import { allowedMethods, unmatched } from './method-not-allowed.ts';
import { buildOpenApi, versionsOf } from './openapi.ts';
import { resolveOptions } from './options.ts';
import type { HttpServerOptions, ResolvedOptions } from './options.ts';
import { registerRoutes } from './register-routes.ts';
import { requestIdGenerator } from './request-id.ts';
import { createResponseValidator } from './response-validation.ts';
import { VERSION_CONSTRAINT, versionConstraint } from './versioning.ts';

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

function fastifyOptions(o: ResolvedOptions, settings: ErrorHandlerSettings, genReqId: RequestIdGenerator): FastifyHttpOptions<Server, FastifyBaseLogger> {
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
    ...(versioned ? { routerOptions: { constraints: { [VERSION_CONSTRAINT]: versionConstraint(o.versioning) } } as FastifyServerOptions['routerOptions'] } : {}),
    http: { headersTimeout: t.headers, requestTimeout: t.request, keepAliveTimeout: t.keepAlive, connectionsCheckingInterval: t.checkInterval },
    requestTimeout: t.request,
    keepAliveTimeout: t.keepAlive,
    clientErrorHandler: clientErrorHandler(o.problemTypeBase, o.requestIdHeader),
    // Malformed URLs (400) and path parameters over maxParamLength (414) fail before
    // any route matched; without this Fastify answers them with its own JSON.
    frameworkErrors: frameworkErrorHandler(settings),
  };
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
  readonly #settings: ErrorHandlerSettings;
  readonly #genReqId: RequestIdGenerator;

  constructor(options: HttpServerOptions = {}) {
    this.options = resolveOptions(options);
    const o = this.options;
    this.routes = compileRoutes(o);
    this.#settings = { production: o.production, requestIdHeader: o.requestIdHeader, typeBase: o.problemTypeBase, globalFilters: o.filters.map(toFilter), requestScope: o.requestScope };
    this.#genReqId = requestIdGenerator(o.requestIdHeader);
    this.app = Fastify(fastifyOptions(o, this.#settings, this.#genReqId));
    this.#install();
  }

  /** `idle` → `listening` → `draining` → `closed`. */
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
    const allowed = allowedMethods(this.app, o.versioning);
    this.app.setNotFoundHandler((request, reply) => sendProblem(request, reply, unmatched(request, allowed(request)), settings));
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
      this.#installProbes(scope, settings);
      registerRoutes(scope, this.routes, {
        now: () => o.clock.now(),
        responseValidator: o.validateResponses ? createResponseValidator() : undefined,
        requestIdHeader: header,
        requestScope: o.requestScope,
        globalFilters: settings.globalFilters.length > 0,
      });
      done();
    });
  }

  #installProbes(scope: FastifyInstance, settings: ErrorHandlerSettings): void {
    const o = this.options;
    if (o.readinessPath !== false) {
      scope.get(o.readinessPath, async (request, reply) => {
        if (this.ready && (await o.readinessCheck())) return reply.header(o.requestIdHeader, request.id).send({ status: 'ready' });
        const detail = this.ready ? 'A required dependency is not ready' : 'Server is shutting down';
        return sendProblem(request, reply, new ServiceUnavailableException(detail), settings);
      });
    }
    if (o.openapi === false) return;
    const { path, info } = o.openapi;
    if (o.versioning === undefined) {
      const doc = buildOpenApi(this.routes, undefined, info);
      scope.get(`${path}.json`, (request, reply) => reply.header(o.requestIdHeader, request.id).send(doc));
      return;
    }
    for (const version of versionsOf(this.routes, Object.keys(o.versioning.versions ?? {}))) {
      const doc = buildOpenApi(this.routes, version, info);
      scope.get(`${path}/v${version}.json`, (request, reply) => reply.header(o.requestIdHeader, request.id).send(doc));
    }
  }

  /**
   * Starts listening; resolves with the bound address.
   * @example
   * const { url, port } = await server.listen();
   */
  async listen(): Promise<{ url: string; port: number }> {
    if (this.#state !== 'idle') throw new HttpError('HTTP_ERR_ALREADY_LISTENING', `Cannot listen in state ${this.#state}`);
    await this.app.listen({ host: this.options.host, port: this.options.port });
    this.#state = 'listening';
    const address = this.app.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { url: `http://${host}:${address.port}`, port: address.port };
  }

  /**
   * Graceful close: readiness flips to not-ready, the listener closes, in-flight
   * requests finish (bounded by `drainTimeout`), then remaining sockets are cut.
   * @example
   * process.once('SIGTERM', () => void server.close());
   */
  async close(): Promise<CloseResult> {
    if (this.#state === 'closed' || this.#state === 'draining') return { drained: true };
    const wasListening = this.#state === 'listening';
    this.#state = 'draining';
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
    const closed = this.app.close().then(() => true as const);
    const drained = await Promise.race([closed, timeout]);
    clearTimeout(timer);
    if (!drained) {
      const error = new HttpError('HTTP_ERR_DRAIN_TIMEOUT', `In-flight requests still running after ${this.options.drainTimeout} ms; closing their sockets`);
      this.app.log.error({ err: error, code: error.code }, error.message);
      this.app.server.closeAllConnections();
      await closed;
    }
    return drained;
  }
}

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
