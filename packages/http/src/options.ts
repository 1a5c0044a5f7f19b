/**
 * Options of an HTTP server with their defaults, and the validation that
 * rejects nonsense at startup (a typo'd timeout should not become "no timeout").
 */
import type { FastifyBaseLogger } from 'fastify';
import type { LoggerOptions } from 'pino';
import { HttpError } from './errors.ts';
import type { ControllerClass, ControllerDefinition, FilterLike, Guard, Hooks, Interceptor } from './types.ts';
import type { VersioningOptions } from './versioning.ts';
import type { RequestScopeRunner } from './context.ts';

/** Transport timeouts against slow clients (milliseconds). */
export interface TimeoutOptions {
  /** Max time to receive the complete request headers (slowloris). Default 10 s. */
  readonly headers?: number;
  /** Max time to receive the whole request. Default 30 s. */
  readonly request?: number;
  /** Idle keep-alive socket lifetime. Default 5 s. */
  readonly keepAlive?: number;
  /** How often Node checks the two limits above. Default 1 s. */
  readonly checkInterval?: number;
}

/** Response compression (via @fastify/compress). */
export interface CompressionOptions {
  /** Bodies smaller than this many bytes are sent as is. Default 1024. */
  readonly threshold?: number;
  /** Brotli quality 0..11; 4 is close to gzip's ratio at a fraction of q11's CPU. Default 4. */
  readonly brotliQuality?: number;
  /** Encodings offered, in server preference order. Default zstd (if supported), br, gzip, deflate. */
  readonly encodings?: readonly ('zstd' | 'br' | 'gzip' | 'deflate')[];
}

/** OpenAPI 3.1 documents, one per API version. */
export interface OpenApiOptions {
  /** Base path: `/openapi.json` without versioning, `/openapi/v2.json` with. Default `/openapi`. */
  readonly path?: string;
  readonly info?: { readonly title: string; readonly version: string; readonly description?: string };
}

/** Options of {@link createHttpServer} and `HttpModule`. */
export interface HttpServerOptions {
  readonly controllers?: readonly (ControllerClass | ControllerDefinition)[];
  /** Creates controller instances (core's container in `HttpModule`). Default `new Class()`. */
  readonly instantiate?: (target: ControllerClass) => object;
  /** Listen address. Default `127.0.0.1`. */
  readonly host?: string;
  /** Listen port; 0 picks a free one. Default 3000. */
  readonly port?: number;
  /** A pino(-compatible) logger, pino options, or `false` for none. Default pino at `info`. */
  readonly logger?: FastifyBaseLogger | LoggerOptions | false;
  /** Hides messages of unexpected errors. Default `NODE_ENV === 'production'`. */
  readonly production?: boolean;
  /** Header carrying the request id in and out. Default `x-request-id`. */
  readonly requestIdHeader?: string;
  /** Prefix of problem `type` URIs. Default `urn:rampart:problem:`. */
  readonly problemTypeBase?: string;
  /** Max request body in bytes (413 above). Default 1 MiB. */
  readonly bodyLimit?: number;
  readonly timeouts?: TimeoutOptions;
  /** `false` disables compression. */
  readonly compression?: CompressionOptions | false;
  readonly versioning?: VersioningOptions;
  /** `false` disables the OpenAPI routes. */
  readonly openapi?: OpenApiOptions | false;
  /** Validate response bodies against `schema.response` too (costs CPU). Default false. */
  readonly validateResponses?: boolean;
  readonly guards?: readonly Guard[];
  readonly interceptors?: readonly Interceptor[];
  readonly filters?: readonly FilterLike[];
  readonly hooks?: Hooks;
  /** Readiness probe path answering 200, or 503 while draining; `false` disables. Default `/health/ready`. */
  readonly readinessPath?: string | false;
  /** Max time in-flight requests may take to finish on close. Default 10 s. */
  readonly drainTimeout?: number;
  /** Time between flipping readiness and closing the listener (load balancer catch-up). Default 0. */
  readonly readinessGrace?: number;
  /** Time source for sunset checks. */
  readonly clock?: { now(): number };
  /** Runs each request in a scope (core's `app.runInRequestScope`); `HttpModule` sets it. */
  readonly requestScope?: RequestScopeRunner;
  /** Extra readiness condition (core's `app.health()`); the probe also fails while draining. */
  readonly readinessCheck?: () => boolean | Promise<boolean>;
  /** Forwarded by Fastify: trust `X-Forwarded-*` from these proxies. */
  readonly trustProxy?: boolean | string | readonly string[] | number;
}

/** Options after defaults. */
export interface ResolvedOptions
  extends Required<Omit<HttpServerOptions, 'versioning' | 'trustProxy' | 'logger' | 'compression' | 'openapi' | 'timeouts' | 'requestScope'>> {
  readonly requestScope: RequestScopeRunner | undefined;
  readonly versioning: VersioningOptions | undefined;
  readonly trustProxy: HttpServerOptions['trustProxy'];
  readonly logger: FastifyBaseLogger | LoggerOptions | false;
  readonly compression: Required<CompressionOptions> | false;
  readonly openapi: Required<Omit<OpenApiOptions, 'info'>> & { info: NonNullable<OpenApiOptions['info']> } | false;
  readonly timeouts: Required<TimeoutOptions>;
}

function positive(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || (!allowZero && value === 0)) {
    throw new HttpError('HTTP_ERR_INVALID_OPTIONS', `${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${String(value)}`);
  }
  return value;
}

/** zstd first when the runtime has it (`process.versions.zstd`, Node >= 22.15), then br, gzip, deflate. */
export function defaultEncodings(versions: Readonly<Record<string, string | undefined>> = process.versions): CompressionOptions['encodings'] & object {
  return versions.zstd === undefined ? ['br', 'gzip', 'deflate'] : ['zstd', 'br', 'gzip', 'deflate'];
}

function compression(value: CompressionOptions | false | undefined): ResolvedOptions['compression'] {
  if (value === false) return false;
  const quality = positive('compression.brotliQuality', value?.brotliQuality, 4, true);
  if (quality > 11) throw new HttpError('HTTP_ERR_INVALID_OPTIONS', `compression.brotliQuality must be 0..11, got ${quality}`);
  return {
    threshold: positive('compression.threshold', value?.threshold, 1024, true),
    brotliQuality: quality,
    encodings: value?.encodings ?? defaultEncodings(),
  };
}

/**
 * Applies defaults and validates.
 * @example
 * resolveOptions({ port: 0 }).bodyLimit; // 1048576
 */
export function resolveOptions(options: HttpServerOptions): ResolvedOptions {
  const t = options.timeouts ?? {};
  // Node refuses a headers timeout above the request timeout.
  if ((t.headers ?? 10_000) > (t.request ?? 30_000)) {
    throw new HttpError('HTTP_ERR_INVALID_OPTIONS', 'timeouts.headers must not exceed timeouts.request');
  }
  return {
    controllers: options.controllers ?? [],
    instantiate: options.instantiate ?? ((Target) => new Target()),
    host: options.host ?? '127.0.0.1',
    port: positive('port', options.port, 3000, true),
    logger: options.logger ?? { level: 'info' },
    production: options.production ?? process.env.NODE_ENV === 'production',
    requestIdHeader: (options.requestIdHeader ?? 'x-request-id').toLowerCase(),
    problemTypeBase: options.problemTypeBase ?? 'urn:rampart:problem:',
    bodyLimit: positive('bodyLimit', options.bodyLimit, 1024 * 1024),
    timeouts: {
      headers: positive('timeouts.headers', t.headers, 10_000),
      request: positive('timeouts.request', t.request, 30_000),
      keepAlive: positive('timeouts.keepAlive', t.keepAlive, 5_000),
      checkInterval: positive('timeouts.checkInterval', t.checkInterval, 1_000),
    },
    compression: compression(options.compression),
    versioning: options.versioning,
    openapi: options.openapi === false ? false : { path: options.openapi?.path ?? '/openapi', info: options.openapi?.info ?? { title: 'API', version: '1.0.0' } },
    validateResponses: options.validateResponses ?? false,
    guards: options.guards ?? [],
    interceptors: options.interceptors ?? [],
    filters: options.filters ?? [],
    hooks: options.hooks ?? {},
    readinessPath: options.readinessPath ?? '/health/ready',
    drainTimeout: positive('drainTimeout', options.drainTimeout, 10_000),
    readinessGrace: positive('readinessGrace', options.readinessGrace, 0, true),
    clock: options.clock ?? Date,
    trustProxy: options.trustProxy,
    requestScope: options.requestScope,
    readinessCheck: options.readinessCheck ?? (() => true),
  };
}
