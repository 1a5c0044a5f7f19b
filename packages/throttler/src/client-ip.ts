/**
 * Which address is the client? The socket peer, unless that peer is a proxy
 * the operator explicitly trusts; then X-Forwarded-For / Forwarded is walked
 * from the RIGHT, skipping trusted proxies, and the first untrusted address
 * wins. The left-most entry is whatever the client chose to send: trusting it
 * lets anyone pick a fresh identity per request.
 */
import { ThrottleError } from './errors.ts';
import { inRanges, parseCidrs, parseIp, type Cidr, type IpAddress } from './ip.ts';

/** Request headers as Node and most frameworks expose them (lower-case names). */
export type HeaderMap = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface TrustProxyOptions {
  /** CIDRs of the proxies in front of this server (load balancer, CDN egress ranges). */
  readonly proxies: readonly string[];
  /** Header carrying the chain. Default `x-forwarded-for`. */
  readonly header?: 'x-forwarded-for' | 'forwarded';
  /** Required to accept a range that trusts every address (`0.0.0.0/0`, `::/0`). */
  readonly acknowledgePermissive?: boolean;
}

export interface TrustedProxies {
  readonly ranges: readonly Cidr[];
  readonly header: 'x-forwarded-for' | 'forwarded';
}

/**
 * Validates trust-proxy settings; trusting everything is refused unless acknowledged.
 * @example
 * const trust = compileTrustProxy({ proxies: ['10.0.0.0/8'] });
 */
export function compileTrustProxy(options: TrustProxyOptions | undefined): TrustedProxies | undefined {
  if (options === undefined) return undefined;
  const ranges = parseCidrs(options.proxies);
  if (ranges.some((r) => r.bits === 0) && options.acknowledgePermissive !== true) {
    throw new ThrottleError('THROTTLE_ERR_PERMISSIVE_TRUST_PROXY', 'a /0 range trusts every client');
  }
  const header = options.header ?? 'x-forwarded-for';
  if (header !== 'x-forwarded-for' && header !== 'forwarded') throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', 'trustProxy.header must be x-forwarded-for or forwarded');
  return { ranges, header };
}

function headerText(headers: HeaderMap, name: string): string {
  const value = headers[name];
  return typeof value === 'string' ? value : (value ?? []).join(',');
}

/** `for=` values of a Forwarded header (RFC 7239), in order, brackets and ports removed. */
export function forwardedFor(value: string): string[] {
  const out: string[] = [];
  for (const element of value.split(',')) {
    const pair = element.split(';').find((p) => p.trim().toLowerCase().startsWith('for='));
    if (pair === undefined) continue;
    out.push(withoutPort(pair.trim().slice(4).replace(/^"(.*)"$/, '$1')));
  }
  return out;
}

// `[2001:db8::7]:4711` and `203.0.113.7:4711` name the address before the port (some proxies, e.g. Azure
// Application Gateway, write ports into X-Forwarded-For too). Unstripped, the hop reads as garbage and every
// client behind the proxy is counted as the proxy: one shared bucket for all of them.
function withoutPort(node: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(node);
  if (bracketed !== null) return bracketed[1]!;
  return /^[\d.]+:\d+$/.test(node) ? node.slice(0, node.lastIndexOf(':')) : node;
}

function chain(headers: HeaderMap, trust: TrustedProxies): string[] {
  const text = headerText(headers, trust.header);
  if (trust.header === 'forwarded') return forwardedFor(text);
  return text.split(',').map((s) => withoutPort(s.trim())).filter((s) => s.length > 0);
}

/**
 * The client address of a request; `undefined` when the socket address itself is unusable.
 * @example
 * clientIp({ ip: '10.0.0.2', headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' } }, trust)?.toString(); // '203.0.113.7'
 */
export function clientIp(req: { readonly ip: string; readonly headers: HeaderMap }, trust: TrustedProxies | undefined): IpAddress | undefined {
  let current = parseIp(req.ip);
  if (current === undefined || trust === undefined || !inRanges(current, trust.ranges)) return current;
  const hops = chain(req.headers, trust);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseIp(hops[i]!);
    // Garbage where an address should be: keep the trusted proxy that reported it, never the garbage.
    if (hop === undefined) return current;
    current = hop;
    if (!inRanges(hop, trust.ranges)) return hop;
  }
  return current;
}
