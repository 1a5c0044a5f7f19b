/**
 * Strict IP parsing and grouping. IPv4 must be four-part decimal (no `0x7f.1`
 * tricks), IPv4-mapped IPv6 (`::ffff:203.0.113.7`) is treated as the IPv4 it
 * carries, and IPv6 clients are grouped by prefix because one subscriber
 * usually owns a whole /64 and can rotate through it at will.
 */
import ipaddr from 'ipaddr.js';
import { ThrottleError } from './errors.ts';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** A parsed CIDR range. */
export interface Cidr {
  readonly address: IpAddress;
  readonly bits: number;
}

/**
 * Parses one address; `undefined` when it is not a plain IP.
 * @example
 * parseIp('::ffff:10.0.0.1')?.toString(); // '10.0.0.1'
 */
export function parseIp(text: string): IpAddress | undefined {
  const value = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return ipaddr.IPv4.parse(value);
  // Zone ids (`fe80::1%eth0`) name a local interface, never a remote client.
  if (value.includes('%') || !ipaddr.IPv6.isValid(value)) return undefined;
  const v6 = ipaddr.IPv6.parse(value);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

function parseCidr(text: string): Cidr {
  const [addr = '', bits, extra] = text.trim().split('/');
  const address = parseIp(addr);
  // An IPv4-mapped IPv6 range (`::ffff:10.0.0.0/104`) is the IPv4 range it carries: its prefix also
  // counts the 96 bits of `::ffff:`, so it is 96..128 and means /(n - 96), as in proxy-addr.
  const mapped = address?.kind() === 'ipv4' && addr.includes(':') ? 96 : 0;
  const max = address?.kind() === 'ipv6' || mapped > 0 ? 128 : 32;
  const n = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (address === undefined || extra !== undefined || !(n >= mapped && n <= max)) {
    throw new ThrottleError('THROTTLE_ERR_INVALID_CIDR', JSON.stringify(text));
  }
  return { address, bits: n - mapped };
}

/**
 * Parses a CIDR list; a bare address is a /32 (IPv4) or /128 (IPv6).
 * @example
 * const proxies = parseCidrs(['10.0.0.0/8', '2001:db8::/32', '127.0.0.1']);
 */
export function parseCidrs(list: readonly string[]): readonly Cidr[] {
  if (!Array.isArray(list)) throw new ThrottleError('THROTTLE_ERR_INVALID_CIDR', 'expected an array of CIDR strings');
  return list.map(parseCidr);
}

/** True when `address` falls in one of `ranges` (IPv4 never matches an IPv6 range and vice versa). */
export function inRanges(address: IpAddress, ranges: readonly Cidr[]): boolean {
  return ranges.some((r) => r.address.kind() === address.kind() && address.match(r.address, r.bits));
}

export interface IpGrouping {
  /** Prefix length that groups IPv4 clients. Default 32 (one key per address). */
  readonly ipv4Prefix?: number;
  /** Prefix length that groups IPv6 clients. Default 64 (one key per subscriber network). */
  readonly ipv6Prefix?: number;
}

/**
 * The rate-limit identity of an address: the network of its prefix. A prefix
 * outside 1..32 (IPv4) or 1..128 (IPv6) is THROTTLE_ERR_INVALID_OPTION.
 * @example
 * ipGroup(parseIp('2001:db8:1:2:aaaa::1')!); // '2001:db8:1:2::/64'
 */
export function ipGroup(address: IpAddress, grouping: IpGrouping = {}): string {
  return networkOf(address, checkGrouping(grouping));
}

/** ipGroup for a grouping already checked (key generators check theirs once, not per request). */
export function networkOf(address: IpAddress, grouping: IpGrouping): string {
  const ipv6 = address.kind() === 'ipv6';
  const bits = ipv6 ? (grouping.ipv6Prefix ?? 64) : (grouping.ipv4Prefix ?? 32);
  const max = ipv6 ? 128 : 32;
  if (bits === max) return ipv6 ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
  const network = ipv6 ? ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`).toRFC5952String() : ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`).toString();
  return `${network}/${bits}`;
}

/** Validates an IpGrouping up front. */
export function checkGrouping(grouping: IpGrouping): IpGrouping {
  const ok = (v: number | undefined, max: number) => v === undefined || (Number.isInteger(v) && v >= 1 && v <= max);
  if (!ok(grouping.ipv4Prefix, 32) || !ok(grouping.ipv6Prefix, 128)) {
    throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', 'ipv4Prefix must be 1..32 and ipv6Prefix 1..128');
  }
  return grouping;
}
