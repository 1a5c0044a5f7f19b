/**
 * The HTTP-agnostic entry point for web frameworks: give it a request-like
 * `{ ip, headers, route, method, user }`, get back whether to continue, the
 * status, the header fields to set and the problem body to send.
 * @rampart/http and the Fastify plugin are thin adapters over `check()`.
 */
import { EventEmitter } from 'node:events';
import type { BreakerTransition } from './circuit-breaker.ts';
import type { Decision } from './decision.ts';
import { normalizeRouteLimit, type RouteLimit, type RouteLimitInput } from './decorator.ts';
import type { ThrottleError } from './errors.ts';
import { rateLimitHeaders, type HeaderOptions } from './headers.ts';
import { clientIp, type TrustedProxies } from './client-ip.ts';
import { inRanges, parseCidrs } from './ip.ts';
import { createKeyBuilder, type KeyBuilder, type KeyOptions, type ThrottleRequest } from './keys.ts';
import { RateLimiter, type RateLimiterOptions } from './limiter.ts';
import { MemoryStore } from './memory-store.ts';
import { definePolicies } from './policy.ts';
import { deniedProblem, rateLimitProblem, type ProblemDocument } from './problem.ts';
import { routeMethodsOf } from './route-scope.ts';
import type { RateLimitStore } from './store.ts';

export interface HttpThrottleOptions extends Omit<RateLimiterOptions, 'namespace'> {
  /** How a request maps to a key. Default: client IP, no proxy trusted. */
  readonly key?: KeyOptions;
  /**
   * CIDRs never limited (health checks, internal callers). Matched against the
   * client address the key uses (after `key.trustProxy`), not the socket peer.
   */
  readonly allow?: readonly string[];
  /** CIDRs always refused with 403; matched like `allow`. */
  readonly deny?: readonly string[];
  /**
   * Per-route limits by `'METHOD /pattern'` or `'/pattern'`; `false` exempts a route. A `'GET /pattern'`
   * entry covers HEAD too (one quota) unless a `'HEAD /pattern'` entry exists. Validated at construction.
   */
  readonly routes?: Readonly<Record<string, RouteLimitInput>>;
  readonly headers?: HeaderOptions;
  /** Weight of a request. Default 1. */
  readonly cost?: (req: ThrottleRequest) => number;
}

/** What to do with a request. */
export interface ThrottleResult {
  /** Continue to the handler? */
  readonly allowed: boolean;
  /** 200 when allowed; 429 limited, 403 denied, 503 store down under fail-closed. */
  readonly status: number;
  /** Header fields to set on the response (allowed or not). */
  readonly headers: Readonly<Record<string, string>>;
  /** RFC 9457 body for a refusal. */
  readonly body: ProblemDocument | undefined;
  /** Absent for allow/deny-listed and exempt requests. */
  readonly decision: Decision | undefined;
}

export interface HttpThrottleEvents {
  decision: [Decision];
  breaker: [BreakerTransition];
  'store-error': [ThrottleError];
}

const PASS: ThrottleResult = Object.freeze({ allowed: true, status: 200, headers: Object.freeze({}), body: undefined, decision: undefined });

/**
 * @example
 * const throttle = createHttpThrottle({ policies: { limit: 100, windowMs: 60_000 }, key: { trustProxy: { proxies: ['10.0.0.0/8'] } } });
 * const result = await throttle.check({ ip: socket.remoteAddress, headers: req.headers, method: 'GET', route: '/users/:id' });
 * for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
 * if (!result.allowed) { res.statusCode = result.status; res.end(JSON.stringify(result.body)); }
 */
export class HttpThrottle extends EventEmitter<HttpThrottleEvents> {
  readonly #options: HttpThrottleOptions;
  readonly #store: RateLimitStore;
  readonly #insurance: RateLimitStore | undefined;
  readonly #owned: RateLimitStore[] = [];
  readonly #keyOf: KeyBuilder['keyOf'];
  readonly #trust: TrustedProxies | undefined;
  readonly #allow: ReturnType<typeof parseCidrs>;
  readonly #deny: ReturnType<typeof parseCidrs>;
  readonly #routes = new Map<string, RouteLimit>();
  // By route id AND the policies counted there (`cacheKey`): one route id can meet several limits (an override
  // picked per request, e.g. by plan; two Fastify routes told apart only by a host or version constraint; a
  // `routes` entry and an override), and each must be decided by its own policies, not by whichever came first.
  readonly #limiters = new Map<string, RateLimiter>();
  // A limit's policies as text, per limit object: computed once, not on every request.
  readonly #signatures = new WeakMap<object, string>();
  readonly #clock: { now(): number };

  constructor(options: HttpThrottleOptions = {}) {
    super();
    this.#options = options;
    this.#clock = options.clock ?? Date;
    const keys = createKeyBuilder(options.key);
    this.#keyOf = keys.keyOf;
    this.#trust = keys.trust;
    this.#allow = parseCidrs(options.allow ?? []);
    this.#deny = parseCidrs(options.deny ?? []);
    for (const [route, limit] of Object.entries(options.routes ?? {})) this.#routes.set(route, normalizeRouteLimit(limit));
    this.#store = options.store ?? this.#own(new MemoryStore({ clock: this.#clock }));
    const wantsInsurance = options.onStoreError === 'insurance';
    this.#insurance = wantsInsurance ? (options.insurance ?? this.#own(new MemoryStore({ clock: this.#clock }))) : undefined;
    // no route limit: the default limiter takes options.policies (or the built-in default)
    this.#limiterFor('default', undefined);
  }

  /** The limiter used for routes without an override. */
  get limiter(): RateLimiter {
    return this.#limiters.get('default')!;
  }

  /**
   * Decides one request. `override` (e.g. from `getRateLimit(handler)`) beats
   * the `routes` table, which beats the default policies.
   */
  async check(req: ThrottleRequest, override?: RouteLimit): Promise<ThrottleResult> {
    // The client the key strategy sees (right-most untrusted hop behind a trusted proxy), resolved once:
    // screening the socket peer instead would exempt every proxied request when the proxy range is allowed,
    // and let a deny-listed client through any trusted proxy.
    const address = clientIp(req, this.#trust);
    if (address !== undefined && inRanges(address, this.#deny)) return deny();
    if (address !== undefined && inRanges(address, this.#allow)) return PASS;
    const [id, limit] = this.#routeLimit(req, override);
    if (limit === false) return PASS;
    const limiter = this.#limiterFor(id, limit);
    const cost = limit?.cost ?? this.#options.cost?.(req) ?? 1;
    const key = this.#keyOf(req, address);
    // Stryker disable next-line ConditionalExpression: performance-only, awaiting a string would only cost a microtask
    const decision = await limiter.consume(typeof key === 'string' ? key : await key, { cost });
    const headers = rateLimitHeaders(decision, this.#options.headers, this.#clock.now());
    if (decision.allowed) return { allowed: true, status: 200, headers, body: undefined, decision };
    const body = rateLimitProblem(decision);
    return { allowed: false, status: body.status, headers, body, decision };
  }

  /** Closes every limiter and the stores this throttle created. */
  async close(): Promise<void> {
    for (const limiter of this.#limiters.values()) await limiter.close();
    for (const store of this.#owned.splice(0)) await store.close();
  }

  #routeLimit(req: ThrottleRequest, override: RouteLimit | undefined): [string, RouteLimit | undefined] {
    const route = req.route ?? '';
    // Override and table ids are prefixed, so a route literally named `default` cannot alias the default limiter.
    // An override is the route's own limit: one quota for all its methods, HEAD counted as GET (route-scope.ts).
    if (override !== undefined) return [`route:${`${routeMethodsOf(req)} ${route}`.trim()}`, override];
    const asked = `${req.method ?? ''} ${route}`.trim();
    const exact = this.#routes.get(asked);
    if (exact !== undefined) return [`route:${asked}`, exact];
    // HEAD runs the GET handler: without a HEAD entry of its own it spends the `GET /x` entry's quota.
    if (req.method === 'HEAD') {
      const counted = `GET ${route}`.trim();
      const asGet = this.#routes.get(counted);
      if (asGet !== undefined) return [`route:${counted}`, asGet];
    }
    const byPath = req.route === undefined ? undefined : this.#routes.get(req.route);
    return byPath === undefined ? ['default', undefined] : [`route:${req.route}`, byPath];
  }

  #limiterFor(id: string, limit: Exclude<RouteLimit, false> | undefined): RateLimiter {
    const cacheKey = limit === undefined ? id : `${id}\n${this.#signature(limit)}`;
    let limiter = this.#limiters.get(cacheKey);
    if (limiter === undefined) {
      const namespace = id === 'default' ? id : encodeURIComponent(id);
      const policies = limit?.policies ?? this.#options.policies;
      limiter = new RateLimiter({ ...this.#options, policies, namespace, store: this.#store, insurance: this.#insurance });
      limiter.on('decision', (d) => this.emit('decision', d));
      limiter.on('breaker', (t) => this.emit('breaker', t));
      limiter.on('store-error', (e) => this.emit('store-error', e));
      this.#limiters.set(cacheKey, limiter);
    }
    return limiter;
  }

  // By content, not identity: an override built per request (an object literal) must find its limiter again
  // rather than add one per request. Limits with equal policies share a limiter, as they share the store's state.
  #signature(limit: Exclude<RouteLimit, false>): string {
    let signature = this.#signatures.get(limit);
    if (signature === undefined) {
      signature = definePolicies(limit.policies)
        .map((p) => `${p.name}:${p.algorithm}:${p.limit}:${p.windowMs}:${p.capacity}`)
        .join(',');
      this.#signatures.set(limit, signature);
    }
    return signature;
  }

  #own(store: RateLimitStore): RateLimitStore {
    this.#owned.push(store);
    return store;
  }
}

function deny(): ThrottleResult {
  const body = deniedProblem();
  return { allowed: false, status: 403, headers: {}, body, decision: undefined };
}

/**
 * Function form of `new HttpThrottle(options)`.
 * @example
 * const throttle = createHttpThrottle(); // 100 requests per minute per client IP
 */
export function createHttpThrottle(options: HttpThrottleOptions = {}): HttpThrottle {
  return new HttpThrottle(options);
}
