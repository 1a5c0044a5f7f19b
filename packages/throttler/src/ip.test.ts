import { describe, expect, it } from 'vitest';
import { checkGrouping, inRanges, ipGroup, parseCidrs, parseIp } from './ip.ts';

describe('IP parsing and grouping', () => {
  it('parses strictly and normalises IPv4-mapped IPv6', () => {
    expect(['203.0.113.7', ' ::ffff:10.0.0.1 ', '2001:DB8::1'].map((s) => parseIp(s)?.toString())).toEqual(['203.0.113.7', '10.0.0.1', '2001:db8::1']);
    expect(['0x7f.1', '127.1', 'fe80::1%eth0', 'unknown', '', '1.2.3.4:80'].map((s) => parseIp(s))).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('groups IPv6 by /64 and IPv4 by /32 unless configured', () => {
    const v6 = parseIp('2001:db8:1:2:aaaa:bbbb:cccc:dddd')!;
    expect([ipGroup(v6), ipGroup(v6, { ipv6Prefix: 48 }), ipGroup(v6, { ipv6Prefix: 128 })]).toEqual(['2001:db8:1:2::/64', '2001:db8:1::/48', '2001:db8:1:2:aaaa:bbbb:cccc:dddd']);
    const v4 = parseIp('203.0.113.77')!;
    expect([ipGroup(v4), ipGroup(v4, { ipv4Prefix: 24 })]).toEqual(['203.0.113.77', '203.0.113.0/24']);
  });

  // Was: only key generators checked their prefixes; ipGroup itself threw ipaddr.js's plain Error
  // for /40 and answered '0.0.0.0/0' (every client one key) for /0.
  it('refuses a prefix out of range with THROTTLE_ERR_INVALID_OPTION', () => {
    const v4 = parseIp('203.0.113.77')!;
    const v6 = parseIp('2001:db8::1')!;
    for (const [address, grouping] of [[v4, { ipv4Prefix: 40 }], [v4, { ipv4Prefix: 0 }], [v4, { ipv4Prefix: 24.5 }], [v6, { ipv6Prefix: 129 }], [v6, { ipv6Prefix: 0 }]] as const) {
      expect(() => ipGroup(address, grouping)).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
    }
    expect(ipGroup(v4, { ipv4Prefix: 1, ipv6Prefix: 128 })).toBe('128.0.0.0/1');
  });

  it('matches ranges of the same family only', () => {
    const ranges = parseCidrs(['10.0.0.0/8', '2001:db8::/32', '192.0.2.1']);
    expect(ranges.map((r) => r.bits)).toEqual([8, 32, 32]);
    expect(['10.9.9.9', '2001:db8:ffff::1', '192.0.2.1', '192.0.2.2', '::ffff:10.1.1.1'].map((s) => inRanges(parseIp(s)!, ranges))).toEqual([true, true, true, false, true]);
  });

  // Was: the mapped address became IPv4 before its prefix was checked against 32, so `::ffff:10.0.0.0/104` threw.
  it('reads an IPv4-mapped IPv6 range as the IPv4 range it carries (prefix 96..128, less 96)', () => {
    const ranges = parseCidrs(['::ffff:10.0.0.0/104', '::ffff:c000:0201', '::ffff:192.168.0.0/128']);
    expect(ranges.map((r) => [r.address.toString(), r.bits])).toEqual([['10.0.0.0', 8], ['192.0.2.1', 32], ['192.168.0.0', 32]]);
    expect(['10.200.0.1', '::ffff:10.0.0.9', '11.0.0.1', '192.0.2.1'].map((s) => inRanges(parseIp(s)!, ranges))).toEqual([true, true, false, true]);
    for (const cidr of ['::ffff:10.0.0.0/95', '::ffff:10.0.0.0/129']) expect(() => parseCidrs([cidr])).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_CIDR' }));
  });

  it.each(['10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/8/8', 'nope', '::/129', '10.0.0.0/ 8', '10.0.0.0/'])('refuses %j with THROTTLE_ERR_INVALID_CIDR', (cidr) => {
    expect(() => parseCidrs([cidr])).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_CIDR' }));
  });

  it('refuses a non-array and bad prefixes', () => {
    expect(() => parseCidrs('10.0.0.0/8' as unknown as string[])).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_CIDR' }));
    expect(() => checkGrouping({ ipv6Prefix: 0 })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
    expect(() => checkGrouping({ ipv4Prefix: 33 })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
    expect(checkGrouping({ ipv4Prefix: 24, ipv6Prefix: 56 })).toEqual({ ipv4Prefix: 24, ipv6Prefix: 56 });
  });
});
