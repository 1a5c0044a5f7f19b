/**
 * L2 contract of @rampart/throttler: `key.trustProxy.unixSocket` trusts the
 * peer of a Unix-socket connection (no address, flagged `unixSocket: true`)
 * as a proxy, so the forwarding header names the client; without it such
 * requests have no client address, as before. Malformed values are refused.
 * Locked: never modified, only added to.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientIp, compileTrustProxy, fastifyThrottle, type TrustProxyOptions } from '@rampart/throttler';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

const xff = (value: string) => ({ 'x-forwarded-for': value });

describe('@rampart/throttler L2: trustProxy.unixSocket', () => {
  it('clientIp reads the forwarding header behind a trusted Unix-socket peer, and only then', () => {
    const unix = compileTrustProxy({ proxies: [], unixSocket: true });
    const tcpOnly = compileTrustProxy({ proxies: ['10.0.0.0/8'] });
    expect(clientIp({ ip: '', unixSocket: true, headers: xff('6.6.6.6, 203.0.113.7') }, unix)?.toString()).toBe('203.0.113.7');
    expect(clientIp({ ip: '', unixSocket: true, headers: xff('203.0.113.7') }, tcpOnly)).toBeUndefined();
    expect(clientIp({ ip: '', headers: xff('203.0.113.7') }, unix)).toBeUndefined();
    expect(clientIp({ ip: '198.51.100.1', unixSocket: true, headers: xff('203.0.113.7') }, unix)?.toString()).toBe('198.51.100.1');
  });

  it.each([['yes'], [1], [null]])('refuses unixSocket %j with THROTTLE_ERR_INVALID_OPTION', (value) => {
    expect(() => compileTrustProxy({ proxies: [], unixSocket: value } as unknown as TrustProxyOptions)).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
  });

  it('the Fastify plugin on a Unix socket gives forwarded clients their own buckets under the opt-in', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rampart-throttle-contract-'));
    const socketPath = join(dir, 'app.sock');
    const app = Fastify();
    try {
      await app.register(fastifyThrottle, { policies: { limit: 1, windowMs: 60_000 }, key: { trustProxy: { proxies: [], unixSocket: true } } });
      app.get('/items', () => 'ok');
      await app.listen({ path: socketPath });
      const status = (client: string) =>
        new Promise<number>((resolve, reject) => {
          const req = http.request({ socketPath, path: '/items', headers: { 'x-forwarded-for': client, connection: 'close' } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end();
        });
      expect([await status('203.0.113.1'), await status('203.0.113.1'), await status('203.0.113.2')]).toEqual([200, 429, 200]);
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
