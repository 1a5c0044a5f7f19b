/**
 * Fastify binding: an `onRequest` hook over `HttpThrottle.check()`. Route
 * overrides come from route `config.rateLimit` or from `@RateLimit()` /
 * `rateLimit()` metadata on the handler. Fastify is only a type import here.
 */
import type { Server, Socket } from 'node:net';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { getRateLimit, normalizeRouteLimit, type RouteLimit, type RouteLimitInput } from './decorator.ts';
import { HttpThrottle, type HttpThrottleOptions } from './http-throttle.ts';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';

export interface FastifyThrottleOptions extends HttpThrottleOptions {
  /** Use this throttle (the caller closes it) instead of building one from the options. */
  readonly throttle?: HttpThrottle;
  /** The authenticated user of a request, for the `user` key strategy. */
  readonly user?: (request: FastifyRequest) => { readonly id?: string | number } | null | undefined;
}

// What the onRoute hook settles once per route: its validated limit and the methods that share its quota.
const ROUTE = Symbol('rampart.throttle.route');

interface RouteScope {
  readonly limit: RouteLimit | undefined;
  readonly methods: readonly string[];
}

interface ThrottleRouteConfig {
  rateLimit?: RouteLimitInput;
  [ROUTE]?: RouteScope;
}

// Scopes of routes declared before the plugin, by their config object (one per route): settled on
// their first request, as onRoute settles the others, not validated again on every request.
const lateScopes = new WeakMap<object, RouteScope>();

function scopeOf(request: FastifyRequest): RouteScope {
  const config = request.routeOptions.config as ThrottleRouteConfig;
  // Stryker disable next-line LogicalOperator: without the cache the same scope is built again (slower, same result)
  const settled = config[ROUTE] ?? lateScopes.get(config);
  if (settled !== undefined) return settled;
  // A route declared before the plugin was registered never met the onRoute hook: read its config as it stands.
  const limit = config.rateLimit === undefined ? undefined : normalizeRouteLimit(config.rateLimit);
  const scope: RouteScope = { limit, methods: [request.routeOptions.method ?? []].flat() };
  // Stryker disable next-line CallExpression: as above, performance only
  lateScopes.set(config, scope);
  return scope;
}

/**
 * Whether a connection came in over a Unix domain socket (or Windows named pipe): the server that accepted it
 * listens on a path, so `address()` is a string. Asked only when the socket has no peer address; a destroyed
 * TCP socket also has none, and its server's address is an object (or null once closed).
 */
function onPipe(socket: Socket): boolean {
  // net.Server sets `socket.server` on every connection it accepts; a socket without one is not a listener's.
  const server = (socket as Socket & { readonly server?: Server | null }).server;
  return typeof server?.address() === 'string';
}

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify awaits an async plugin; nothing here is asynchronous
const plugin: FastifyPluginAsync<FastifyThrottleOptions> = async (app, options) => {
  const throttle = options.throttle ?? new HttpThrottle(options);
  if (options.throttle === undefined) app.addHook('onClose', async () => throttle.close());
  // The methods of the last GET route seen per url: Fastify's HEAD route for it (same url, the GET handler,
  // registered right after it) spends that route's quota, as do HEAD routes declared for that url.
  const getRoutes = new Map<string, readonly string[]>();
  // Fastify binds handlers (the bound copy loses identity), so read @RateLimit metadata at registration.
  app.addHook('onRoute', (route) => {
    const config: ThrottleRouteConfig = route.config ?? {};
    const meta = getRateLimit(route.handler);
    const input = config.rateLimit ?? meta;
    const own: readonly string[] = [route.method].flat();
    if (own.includes('GET')) getRoutes.set(route.url, own);
    const methods = own.length === 1 && own[0] === 'HEAD' ? (getRoutes.get(route.url) ?? own) : own;
    // Normalised (so validated) here: a bad limit fails startup with its typed code instead of every request.
    const scope: RouteScope = { limit: input === undefined ? undefined : normalizeRouteLimit(input), methods };
    route.config = { ...config, [ROUTE]: scope };
  });
  app.addHook('onRequest', async (request, reply) => {
    const scope = scopeOf(request);
    const socket = request.raw.socket;
    const peer = socket.remoteAddress;
    const result = await throttle.check(
      {
        // The socket peer, not request.ip: proxy trust is decided by the throttle's own CIDR list.
        ip: peer ?? '',
        // No peer address: a Unix-socket connection, or a TCP socket already destroyed (only the first is flagged).
        unixSocket: peer === undefined && onPipe(socket),
        headers: request.headers,
        method: request.method,
        route: request.routeOptions.url,
        routeMethods: scope.methods,
        user: options.user?.(request) ?? null,
      },
      scope.limit,
    );
    reply.headers(result.headers);
    if (!result.allowed) return reply.code(result.status).type(PROBLEM_CONTENT_TYPE).send(result.body);
    return undefined;
  });
};

/**
 * Fastify plugin; registered without encapsulation so it covers every route.
 * @example
 * await app.register(fastifyThrottle, { policies: { limit: 100, windowMs: 60_000 }, headers: { legacy: true } });
 * app.post('/login', { config: { rateLimit: { limit: 5, windowMs: 60_000 } } }, login);
 */
export const fastifyThrottle: FastifyPluginAsync<FastifyThrottleOptions> = Object.assign(plugin, {
  // What fastify-plugin sets: apply hooks to the parent scope, not a child context.
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@rampart/throttler',
});
