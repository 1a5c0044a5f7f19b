/**
 * Key strategies: which bucket a request counts against. Every part is
 * percent-encoded, so a header value carrying `&`, `=`, `|`, CR/LF or braces
 * can never forge another client's key; API keys are hashed so the secret
 * itself never reaches the store, a log line or an event.
 */
import { createHash } from 'node:crypto';
import { clientIp, compileTrustProxy, type HeaderMap, type TrustedProxies, type TrustProxyOptions } from './client-ip.ts';
import { ThrottleError } from './errors.ts';
import { checkGrouping, networkOf, type IpAddress, type IpGrouping } from './ip.ts';
import { routeMethodsOf } from './route-scope.ts';

/** The request shape the throttler needs; any framework can build it. */
export interface ThrottleRequest {
  /** Socket peer address (not a proxy header: trust is applied here); `''` when the peer has none. */
  readonly ip: string;
  /**
   * True when the connection came over a Unix domain socket (or Windows named pipe), whose peer has no address
   * (`ip` is then `''`). Set it only from the socket itself, never from a header: with
   * `trustProxy.unixSocket` such a peer is trusted as a proxy. The Fastify plugin sets it.
   */
  readonly unixSocket?: boolean;
  /** Lower-case header names. */
  readonly headers: HeaderMap;
  /** Route pattern, e.g. `/users/:id` (a pattern, not the raw URL, so ids do not split buckets). */
  readonly route?: string;
  readonly method?: string;
  /**
   * Every method the matched route was registered for (one handler, e.g. Fastify `method: [...]`): a route
   * override and the `route` strategy then count the route's methods as one quota. Default: `method` alone.
   * HEAD always counts as GET.
   */
  readonly routeMethods?: readonly string[];
  /**
   * The authenticated user, if any. For the `user` strategy an `id` that is `undefined`, `null`, empty or
   * whitespace-only, or a non-finite number, counts as no user (the client's IP bucket); `0` is an id.
   */
  readonly user?: { readonly id?: string | number } | null;
}

/** A built-in strategy or a function returning a key part (`undefined` falls back to the IP). */
export type KeyStrategy = 'ip' | 'user' | 'api-key' | 'route' | ((req: ThrottleRequest) => string | undefined);

export interface KeyOptions extends IpGrouping {
  /** One strategy or a combination (all parts joined). Default `ip`. */
  readonly by?: KeyStrategy | readonly KeyStrategy[];
  /** Trusted proxies; without it forwarding headers are ignored. */
  readonly trustProxy?: TrustProxyOptions;
  /** Header carrying the API key. Default `x-api-key`. */
  readonly apiKeyHeader?: string;
  /**
   * Decides whether an API key is real before it gets a bucket of its own; a key it refuses (or a missing one)
   * counts against the client's IP bucket. Without it, the `api-key` strategy must only run after
   * authentication: any client could send a fresh made-up key per request. A throw or rejection rejects `check()`.
   */
  readonly validateApiKey?: (key: string) => boolean | Promise<boolean>;
}

/** `KeyOptions` whose API-key validator answers synchronously: the key function then returns a string. */
export type SyncKeyOptions = KeyOptions & { readonly validateApiKey?: (key: string) => boolean };

const enc = encodeURIComponent;

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 22);
}

function firstHeader(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  const first = typeof value === 'string' ? value : value?.[0];
  return first === undefined || first.length === 0 ? undefined : first;
}

/**
 * A key function that takes the client address already resolved by the
 * caller (internal, not exported by the package): HttpThrottle resolves it
 * once per request and screens allow/deny with that same address, so the
 * lists and the keys can never disagree about who the client is.
 */
export interface KeyBuilder {
  /** The compiled trust-proxy settings; resolve the address with `clientIp(req, trust)`. */
  readonly trust: TrustedProxies | undefined;
  /** A promise only when `validateApiKey` answers with one. */
  readonly keyOf: (req: ThrottleRequest, address: IpAddress | undefined) => string | Promise<string>;
}

type Part = (req: ThrottleRequest, address: IpAddress | undefined) => string | Promise<string>;

// A made-up key must not earn a bucket: rotating them would escape the limit and, in memory, fill the table
// until real clients are refused for capacity. Only a key the validator accepts is counted on its own.
function apiKeyPart(header: string, validate: KeyOptions['validateApiKey'], ipPart: (address: IpAddress | undefined) => string): Part {
  return (req, address) => {
    const secret = firstHeader(req.headers, header);
    if (secret === undefined) return ipPart(address);
    if (validate === undefined) return `key=${hashSecret(secret)}`;
    const verdict = validate(secret);
    if (typeof verdict === 'boolean') return verdict ? `key=${hashSecret(secret)}` : ipPart(address);
    // Anything but `true` (a truthy non-boolean by mistake included) is refused: the IP bucket is the safe side.
    return Promise.resolve(verdict).then((valid) => (valid === true ? `key=${hashSecret(secret)}` : ipPart(address)));
  };
}

// Broken or anonymous auth often yields `null`, `''`, blanks or `NaN` (`Number(undefined)`) instead of no id:
// keyed as-is, every such request would share one `user=` / `user=null` bucket (throttling each other, and
// counted as a "user"). They count against the client's IP bucket, like an absent id. `0` is a real id.
function userId(req: ThrottleRequest): string | undefined {
  const id: unknown = req.user?.id;
  if (typeof id === 'string') return id.trim().length === 0 ? undefined : id;
  if (typeof id === 'number') return Number.isFinite(id) ? String(id) : undefined;
  return typeof id === 'bigint' ? String(id) : undefined;
}

function userPart(req: ThrottleRequest, address: IpAddress | undefined, ipPart: (address: IpAddress | undefined) => string): string {
  const id = userId(req);
  return id === undefined ? ipPart(address) : `user=${enc(id)}`;
}

function joinParts(values: (string | Promise<string>)[]): string | Promise<string> {
  let text = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (typeof value !== 'string') return Promise.all(values.map(async (v) => v)).then((all) => all.join('&'));
    text += i === 0 ? value : `&${value}`;
  }
  return text;
}

/**
 * Validates key options once and builds the key function.
 * @example
 * const { trust, keyOf } = createKeyBuilder({ trustProxy: { proxies: ['10.0.0.0/8'] } });
 * keyOf(req, clientIp(req, trust)); // 'ip=203.0.113.7'
 */
export function createKeyBuilder(options: KeyOptions = {}): KeyBuilder {
  const trust = compileTrustProxy(options.trustProxy);
  const grouping = checkGrouping(options);
  const apiKeyHeader = (options.apiKeyHeader ?? 'x-api-key').toLowerCase();
  const validate = options.validateApiKey;
  if (validate !== undefined && typeof validate !== 'function') throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', 'key.validateApiKey must be a function');
  const strategies: KeyStrategy[] = [options.by ?? 'ip'].flat();
  if (strategies.length === 0) throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', 'key.by needs at least one strategy');
  const ipPart = (address: IpAddress | undefined): string => `ip=${address === undefined ? 'unknown' : enc(networkOf(address, grouping))}`;
  const parts = strategies.map((s, i): Part => {
    if (s === 'ip') return (_req, address) => ipPart(address);
    if (s === 'route') return (req) => `route=${enc(`${routeMethodsOf(req)} ${req.route ?? ''}`.trim())}`;
    if (s === 'user') return (req, address) => userPart(req, address, ipPart);
    if (s === 'api-key') return apiKeyPart(apiKeyHeader, validate, ipPart);
    if (typeof s !== 'function') throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', `unknown key strategy ${JSON.stringify(s)}`);
    return (req, address) => {
      const custom = s(req);
      return custom === undefined ? ipPart(address) : `c${i}=${enc(custom)}`;
    };
  });
  const keyOf = parts.length === 1 ? parts[0]! : (req: ThrottleRequest, address: IpAddress | undefined) => joinParts(parts.map((part) => part(req, address)));
  return { trust, keyOf };
}

/**
 * Builds the function that maps a request to its rate-limit key: a string, or
 * a promise of one when `validateApiKey` answers asynchronously.
 * @example
 * const keyOf = createKeyGenerator({ by: ['user', 'route'], trustProxy: { proxies: ['10.0.0.0/8'] } });
 * keyOf({ ip: '10.0.0.9', headers: {}, route: '/login', user: { id: 42 } }); // 'user=42&route=%2Flogin'
 */
export function createKeyGenerator(options?: SyncKeyOptions): (req: ThrottleRequest) => string;
export function createKeyGenerator(options: KeyOptions): (req: ThrottleRequest) => string | Promise<string>;
export function createKeyGenerator(options: KeyOptions = {}): (req: ThrottleRequest) => string | Promise<string> {
  const { trust, keyOf } = createKeyBuilder(options);
  return (req) => keyOf(req, clientIp(req, trust));
}
