/**
 * The HTTP server as a @rampart/core module: created and listening on
 * `start`, drained on `stop`. Requests run in core's request scope, controller
 * classes are resolved through the container when registered as providers, and
 * the readiness probe follows `app.health()`.
 */
import { APP, token } from '@rampart/core';
import type { ModuleContext, ModuleDefinition, Token } from '@rampart/core';
import type { FastifyBaseLogger } from 'fastify';
import { HttpError } from './errors.ts';
import { HttpServer } from './http-server.ts';
import type { HttpServerOptions } from './options.ts';
import { handleShutdownSignals } from './shutdown-signals.ts';
import type { Stoppable } from './shutdown-signals.ts';
import type { ControllerClass } from './types.ts';

/** Options of {@link HttpModule.forRoot}. */
export interface HttpModuleOptions extends HttpServerOptions {
  /** Module name; default `http`. */
  readonly name?: string;
  /** Modules that must start before the server (and stop after it). */
  readonly requires?: readonly string[];
  /** Signals that stop the application; `false` leaves signals alone. Default SIGTERM and SIGINT. */
  readonly shutdownSignals?: readonly NodeJS.Signals[] | false;
}

/**
 * The running server of the app (resolve it after `app.start()`).
 * @example
 * const server = app.get(HTTP_SERVER);
 */
export const HTTP_SERVER: Token<HttpServer> = token<HttpServer>('rampart.http.server', 'The HTTP server of the application');

interface AppLike extends Stoppable {
  runInRequestScope<R>(fn: () => R, options?: { requestId?: string }): R;
  health(): Promise<{ ready: boolean }>;
}

function appOf(ctx: ModuleContext): AppLike {
  const app = ctx.get(APP) as Partial<AppLike>;
  // Core always provides its Application under APP; this guards a foreign resolver.
  if (typeof app.runInRequestScope !== 'function' || typeof app.health !== 'function' || typeof app.stop !== 'function') {
    throw new HttpError('HTTP_ERR_INVALID_OPTIONS', 'HttpModule needs the core Application under the APP token');
  }
  return app as AppLike;
}

function serverFor(ctx: ModuleContext, options: HttpModuleOptions, app: AppLike): HttpServer {
  return new HttpServer({
    ...options,
    logger: options.logger ?? (ctx.logger as unknown as FastifyBaseLogger),
    instantiate: options.instantiate ?? ((Target: ControllerClass) => ctx.tryGet(Target) ?? new Target()),
    requestScope: options.requestScope ?? ((requestId, fn) => app.runInRequestScope(fn, { requestId })),
    readinessCheck: options.readinessCheck ?? (async () => (await app.health()).ready),
  });
}

/**
 * Builds the module.
 * @example
 * const app = createApp({ modules: [dbModule, HttpModule.forRoot({ controllers: [Users], requires: ['db'], port: 8080 })] });
 * await app.start();
 */
function forRoot(options: HttpModuleOptions = {}): ModuleDefinition {
  let server: HttpServer | undefined;
  let removeSignals: (() => void) | undefined;
  return {
    name: options.name ?? 'http',
    version: '0.1.0',
    coreVersion: '0.1.0',
    ...(options.requires === undefined ? {} : { requires: options.requires }),
    providers: [
      {
        provide: HTTP_SERVER,
        useFactory: () => {
          if (server === undefined) throw new HttpError('HTTP_ERR_INVALID_OPTIONS', 'HTTP_SERVER is available once the http module started');
          return server;
        },
      },
    ],
    async start(ctx) {
      const app = appOf(ctx);
      server = serverFor(ctx, options, app);
      const { url } = await server.listen();
      ctx.logger.info({ url }, 'http server listening');
      if (options.shutdownSignals !== false) removeSignals = handleShutdownSignals(app, { signals: options.shutdownSignals ?? ['SIGTERM', 'SIGINT'] });
    },
    async stop(ctx) {
      removeSignals?.();
      const result = await server?.close();
      ctx.logger.info({ drained: result?.drained ?? true }, 'http server closed');
    },
    health() {
      return server?.ready === true ? { status: 'healthy' } : { status: 'unhealthy', message: `http server is ${server?.state ?? 'not created'}` };
    },
  };
}

/**
 * The HTTP module factory (NestJS-style `forRoot`).
 * @example
 * HttpModule.forRoot({ controllers: [Hello], port: 3000 });
 */
export const HttpModule = { forRoot } as const;
