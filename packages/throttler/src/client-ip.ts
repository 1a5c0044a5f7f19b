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
  /**
   * Trust the peer of a Unix domain socket (or Windows named pipe) connection as a proxy: such a peer has no
   * address, so without this the forwarding header is never read and every client shares one `ip=unknown`
   * bucket. Only requests flagged `unixSocket: true` (the Fastify plugin flags them itself) are affected;
   * `proxies` may then be `[]` (the right-most forwarded address is the client). Default `false`.
   */
  readonly unixSocket?: boolean;
}

export interface TrustedProxies {
  readonly ranges: readonly Cidr[];
  readonly header: 'x-forwarded-for' | 'forwarded';
  /** The peer of a Unix-socket connection is a trusted proxy. */
  readonly unixSocket?: boolean;
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
  const unixSocket = options.unixSocket === undefined ? false : options.unixSocket;
  if (typeof unixSocket !== 'boolean') throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', `trustProxy.unixSocket must be a boolean, got ${typeof unixSocket}`);
  return { ranges, header, unixSocket };
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

// RFC 6874 zone ids: an interface name or index.
const ZONED = /^([0-9a-f:.]+)%[\w.~-]+$/i;

// A link-local peer as Node reports it (`fe80::1%eth0`): the kernel's word, not a header, so the zone can be
// dropped to name the client. Never a trusted proxy: CIDRs carry no zone, so `fe80::1` would match that
// address on every interface, and a host on another link could speak for anyone.
function zonedPeer(ip: string): IpAddress | undefined {
  const address = ZONED.exec(ip)?.[1];
  return address?.includes(':') === true ? parseIp(address) : undefined;
}

/**
 * The client address of a request; `undefined` when the socket address itself is unusable. A request with
 * `unixSocket: true` (and an empty `ip`) came over a Unix socket: its peer is a trusted proxy only under
 * `trustProxy.unixSocket`.
 * @example
 * clientIp({ ip: '10.0.0.2', headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' } }, trust)?.toString(); // '203.0.113.7'
 */
export function clientIp(req: { readonly ip: string; readonly headers: HeaderMap }, trust: TrustedProxies | undefined): IpAddress | undefined;
// A second signature rather than a wider first one: what callers compiled against stays exactly as it was.
export function clientIp(req: { readonly ip: string; readonly headers: HeaderMap; readonly unixSocket?: boolean }, trust: TrustedProxies | undefined): IpAddress | undefined;
export function clientIp(req: { readonly ip: string; readonly headers: HeaderMap; readonly unixSocket?: boolean }, trust: TrustedProxies | undefined): IpAddress | undefined {
  let current = parseIp(req.ip);
  if (current === undefined) {
    // Off the hot path: only requests whose peer is not a plain address get here. A peer with an address
    // (zoned) is never a Unix socket, whatever the flag says.
    const zoned = zonedPeer(req.ip);
    if (zoned !== undefined || req.unixSocket !== true || trust?.unixSocket !== true) return zoned;
  } else if (trust === undefined || !inRanges(current, trust.ranges)) return current;
  const hops = chain(req.headers, trust);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseIp(hops[i]!);
    // Garbage where an address should be: keep the trusted proxy that reported it, never the garbage
    // (a Unix-socket proxy has no address: the request is then `undefined`, as without the opt-in).
    if (hop === undefined) return current;
    current = hop;
    if (!inRanges(hop, trust.ranges)) return hop;
  }
  return current;
}
