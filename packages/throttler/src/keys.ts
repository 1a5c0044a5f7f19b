/**
 * Key strategies: which bucket a request counts against. Every part is
 * percent-encoded, so a header value carrying `&`, `=`, `|`, CR/LF or braces
 * can never forge another client's key; API keys are hashed so the secret
 * itself never reaches the store, a log line or an event.
 */
import { createHash } from 'node:crypto';
import { clientIp, compileTrustProxy, type HeaderMap, type TrustProxyOptions } from './client-ip.ts';
import { ThrottleError } from './errors.ts';
import { checkGrouping, ipGroup, type IpGrouping } from './ip.ts';

/** The request shape the throttler needs; any framework can build it. */
export interface ThrottleRequest {
  /** Socket peer address (not a proxy header: trust is applied here). */
  readonly ip: string;
  /** Lower-case header names. */
  readonly headers: HeaderMap;
  /** Route pattern, e.g. `/users/:id` (a pattern, not the raw URL, so ids do not split buckets). */
  readonly route?: string;
  readonly method?: string;
  /** The authenticated user, if any. */
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
}

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
 * Builds the function that maps a request to its rate-limit key.
 * @example
 * const keyOf = createKeyGenerator({ by: ['user', 'route'], trustProxy: { proxies: ['10.0.0.0/8'] } });
 * keyOf({ ip: '10.0.0.9', headers: {}, route: '/login', user: { id: 42 } }); // 'user=42&route=%2Flogin'
 */
export function createKeyGenerator(options: KeyOptions = {}): (req: ThrottleRequest) => string {
  const trust = compileTrustProxy(options.trustProxy);
  const grouping = checkGrouping(options);
  const apiKeyHeader = (options.apiKeyHeader ?? 'x-api-key').toLowerCase();
  const strategies: KeyStrategy[] = [options.by ?? 'ip'].flat();
  if (strategies.length === 0) throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', 'key.by needs at least one strategy');
  const ipPart = (req: ThrottleRequest): string => {
    const address = clientIp(req, trust);
    return `ip=${address === undefined ? 'unknown' : enc(ipGroup(address, grouping))}`;
  };
  const parts = strategies.map((s, i): ((req: ThrottleRequest) => string) => {
    if (s === 'ip') return ipPart;
    if (s === 'route') return (req) => `route=${enc(`${req.method ?? ''} ${req.route ?? ''}`.trim())}`;
    if (s === 'user') return (req) => (req.user?.id === undefined ? ipPart(req) : `user=${enc(String(req.user.id))}`);
    if (s === 'api-key') {
      return (req) => {
        const secret = firstHeader(req.headers, apiKeyHeader);
        return secret === undefined ? ipPart(req) : `key=${hashSecret(secret)}`;
      };
    }
    if (typeof s !== 'function') throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', `unknown key strategy ${JSON.stringify(s)}`);
    return (req) => {
      const custom = s(req);
      return custom === undefined ? ipPart(req) : `c${i}=${enc(custom)}`;
    };
  });
  return (req) => parts.map((part) => part(req)).join('&');
}
