import { describe, expect, it } from 'vitest';
import { clientIp, compileTrustProxy, forwardedFor } from './client-ip.ts';

const trust = compileTrustProxy({ proxies: ['10.0.0.0/8', '2001:db8:ffff::/48'] });
const ip = (socket: string, headers: Record<string, string | string[]>, t = trust) => clientIp({ ip: socket, headers }, t)?.toString();

describe('client IP with explicit proxy trust', () => {
  it('ignores forwarding headers when no proxy is trusted or the peer is not trusted', () => {
    expect(ip('203.0.113.7', { 'x-forwarded-for': '1.1.1.1' }, undefined)).toBe('203.0.113.7');
    expect(ip('203.0.113.7', { 'x-forwarded-for': '1.1.1.1' })).toBe('203.0.113.7');
    expect(ip('garbage', {})).toBeUndefined();
  });

  it('takes the right-most untrusted address, not the client-chosen left-most one', () => {
    expect(ip('10.0.0.1', { 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.2' })).toBe('203.0.113.7');
    expect(ip('10.0.0.1', { 'x-forwarded-for': ['6.6.6.6', '203.0.113.7'] })).toBe('203.0.113.7');
    expect(ip('10.0.0.1', { 'x-forwarded-for': '10.0.0.3, 10.0.0.2' })).toBe('10.0.0.3');
    expect(ip('10.0.0.1', {})).toBe('10.0.0.1');
  });

  // Was: `203.0.113.7:4711` read as garbage, so every client behind such a proxy shared the proxy's bucket.
  it('reads X-Forwarded-For entries that carry a port', () => {
    expect(ip('10.0.0.1', { 'x-forwarded-for': '6.6.6.6:1, 203.0.113.7:4711, 10.0.0.2:443' })).toBe('203.0.113.7');
    expect(ip('10.0.0.1', { 'x-forwarded-for': '[2001:db8::7]:4711' })).toBe('2001:db8::7');
    expect(ip('10.0.0.1', { 'x-forwarded-for': '2001:db8::7' })).toBe('2001:db8::7');
  });

  it('stops at garbage and keeps the trusted proxy that reported it', () => {
    expect(ip('10.0.0.1', { 'x-forwarded-for': '203.0.113.7, not-an-ip, 10.0.0.2' })).toBe('10.0.0.2');
  });

  it('reads RFC 7239 Forwarded when configured', () => {
    const fwd = compileTrustProxy({ proxies: ['10.0.0.0/8'], header: 'forwarded' });
    expect(ip('10.0.0.1', { forwarded: 'for=6.6.6.6, for="[2001:db8::7]:4711";proto=https, for=10.0.0.5:80' }, fwd)).toBe('2001:db8::7');
    expect(forwardedFor('for=192.0.2.60;proto=http;by=203.0.113.43, proto=https, For="_hidden", for=unknown')).toEqual(['192.0.2.60', '_hidden', 'unknown']);
    expect(ip('10.0.0.1', { forwarded: 'for=_hidden' }, fwd)).toBe('10.0.0.1');
  });

  it('refuses a trust-everything range unless acknowledged', () => {
    expect(() => compileTrustProxy({ proxies: ['0.0.0.0/0'] })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_PERMISSIVE_TRUST_PROXY', category: 'security' }));
    expect(() => compileTrustProxy({ proxies: ['::/0'] })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_PERMISSIVE_TRUST_PROXY' }));
    expect(compileTrustProxy({ proxies: ['0.0.0.0/0'], acknowledgePermissive: true })?.ranges).toHaveLength(1);
    expect(() => compileTrustProxy({ proxies: [], header: 'x-real-ip' as 'forwarded' })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
  });
});
