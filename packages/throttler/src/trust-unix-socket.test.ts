/**
 * `trustProxy.unixSocket`: an app behind a reverse proxy on a Unix domain socket (nginx
 * `proxy_pass http://unix:/run/app.sock`) has no peer address, so without the opt-in every client shares one
 * `ip=unknown` bucket; with it the forwarding header names the client. Also: a link-local peer with a zone id.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { clientIp, compileTrustProxy, type TrustProxyOptions } from './client-ip.ts';
import { fastifyThrottle, type FastifyThrottleOptions } from './fastify-plugin.ts';
import { createHttpThrottle } from './http-throttle.ts';
import { createKeyGenerator } from './keys.ts';

const xff = (value: string) => ({ 'x-forwarded-for': value });

describe('trustProxy.unixSocket: validation', () => {
  it('defaults to false and is kept when true; proxies may be empty', () => {
    expect(compileTrustProxy({ proxies: ['10.0.0.0/8'] })?.unixSocket).toBe(false);
    const trust = compileTrustProxy({ proxies: [], unixSocket: true });
    expect([trust?.unixSocket, trust?.ranges, trust?.header]).toEqual([true, [], 'x-forwarded-for']);
  });

  it.each([['yes'], [1], [null], [{}]])('refuses unixSocket %j with THROTTLE_ERR_INVALID_OPTION', (value) => {
    const options = { proxies: [], unixSocket: value } as unknown as TrustProxyOptions;
    expect(() => compileTrustProxy(options)).toThrow(expect.objectContaining({ name: 'ThrottleError', code: 'THROTTLE_ERR_INVALID_OPTION', message: expect.stringContaining('trustProxy.unixSocket must be a boolean') as string }));
    expect(() => createHttpThrottle({ key: { trustProxy: options } })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
  });
});

describe('trustProxy.unixSocket: clientIp', () => {
  const unix = compileTrustProxy({ proxies: ['10.0.0.0/8'], unixSocket: true });
  const tcpOnly = compileTrustProxy({ proxies: ['10.0.0.0/8'] });

  it('walks the forwarding header from the right when the Unix-socket peer is trusted', () => {
    expect(clientIp({ ip: '', unixSocket: true, headers: xff('6.6.6.6, 203.0.113.7') }, unix)?.toString()).toBe('203.0.113.7');
    // trusted hops behind the socket (a second proxy) are skipped as usual
    expect(clientIp({ ip: '', unixSocket: true, headers: xff('6.6.6.6, 203.0.113.7, 10.0.0.3') }, unix)?.toString()).toBe('203.0.113.7');
    const forwarded = compileTrustProxy({ proxies: [], header: 'forwarded', unixSocket: true });
    expect(clientIp({ ip: '', unixSocket: true, headers: { forwarded: 'for="[2001:db8::7]:4711"', 'x-forwarded-for': '6.6.6.6' } }, forwarded)?.toString()).toBe('2001:db8::7');
  });

  it('stays unknown without a usable header: the socket has no address to fall back to', () => {
    expect(clientIp({ ip: '', unixSocket: true, headers: {} }, unix)).toBeUndefined();
    expect(clientIp({ ip: '', unixSocket: true, headers: xff('203.0.113.7, garbage') }, unix)).toBeUndefined();
  });

  it('changes nothing without the opt-in, without the request flag, or for a peer that has an address', () => {
    expect(clientIp({ ip: '', unixSocket: true, headers: xff('203.0.113.7') }, tcpOnly)).toBeUndefined();
    expect(clientIp({ ip: '', unixSocket: true, headers: xff('203.0.113.7') }, undefined)).toBeUndefined();
    expect(clientIp({ ip: '', headers: xff('203.0.113.7') }, unix)).toBeUndefined();
    expect(clientIp({ ip: '', unixSocket: false, headers: xff('203.0.113.7') }, unix)).toBeUndefined();
    // an untrusted TCP peer stays the client even if a caller sets the flag by mistake
    expect(clientIp({ ip: '198.51.100.9', unixSocket: true, headers: xff('203.0.113.7') }, unix)?.toString()).toBe('198.51.100.9');
  });

  it('gives each forwarded client its own key through HttpThrottle.check and screens deny with it', async () => {
    const throttle = createHttpThrottle({ policies: { limit: 1, windowMs: 60_000 }, deny: ['192.0.2.0/24'], key: { trustProxy: { proxies: [], unixSocket: true } } });
    const req = (client: string) => ({ ip: '', unixSocket: true, headers: xff(client) });
    expect((await throttle.check(req('203.0.113.1'))).status).toBe(200);
    expect((await throttle.check(req('203.0.113.1'))).status).toBe(429);
    expect((await throttle.check(req('203.0.113.2'))).status).toBe(200);
    expect((await throttle.check(req('192.0.2.5'))).status).toBe(403);
    await throttle.close();
  });
});

describe('a link-local peer with a zone id', () => {
  it('is the client, zone dropped, instead of the shared unknown bucket', () => {
    expect(clientIp({ ip: 'fe80::1%eth0', headers: {} }, undefined)?.toString()).toBe('fe80::1');
    expect(clientIp({ ip: 'fe80::1%2', headers: {} }, undefined)?.toString()).toBe('fe80::1');
    const keyOf = createKeyGenerator({ ipv6Prefix: 128 });
    expect(keyOf({ ip: 'fe80::1%eth0', headers: {} })).toBe('ip=fe80%3A%3A1');
    expect(keyOf({ ip: 'fe80::2%eth0', headers: {} })).toBe('ip=fe80%3A%3A2');
  });

  it('is never a trusted proxy: a CIDR has no zone, so it cannot tell one link from another', () => {
    const trust = compileTrustProxy({ proxies: ['fe80::/10'], unixSocket: true });
    expect(clientIp({ ip: 'fe80::1%eth0', headers: xff('203.0.113.7') }, trust)?.toString()).toBe('fe80::1');
    expect(clientIp({ ip: 'fe80::1%eth0', unixSocket: true, headers: xff('203.0.113.7') }, trust)?.toString()).toBe('fe80::1');
  });

  it.each(['fe80::1%', '%eth0', '1.2.3.4%eth0', 'garbage%eth0', 'fe80::1%eth0%eth1', 'fe80::1%eth 0', 'fe80::1%eth0/64'])('still refuses %j', (ip) => {
    expect(clientIp({ ip, headers: {} }, undefined)).toBeUndefined();
  });

  it('stays refused in a forwarding header (a client wrote it, not the kernel)', () => {
    const trust = compileTrustProxy({ proxies: ['10.0.0.0/8'] });
    expect(clientIp({ ip: '10.0.0.1', headers: xff('fe80::1%eth0') }, trust)?.toString()).toBe('10.0.0.1');
  });
});

interface Reply {
  readonly status: number;
  readonly body: string;
}

function get(target: { socketPath: string } | { port: number; host: string }, client: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...target, path: '/items', headers: { 'x-forwarded-for': client, connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(process.platform === 'win32')('fastifyThrottle on a real Unix domain socket', () => {
  let app: FastifyInstance | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function serveUnix(options: FastifyThrottleOptions): Promise<{ socketPath: string }> {
    dir = await mkdtemp(join(tmpdir(), 'rampart-throttle-'));
    const socketPath = join(dir, 'app.sock');
    app = Fastify();
    await app.register(fastifyThrottle, options);
    app.get('/items', (request) => ({ ip: request.ip ?? null, peer: request.raw.socket.remoteAddress ?? null }));
    await app.listen({ path: socketPath });
    return { socketPath };
  }

  const limitOne = { policies: { limit: 1, windowMs: 60_000 } };

  it('with trustProxy.unixSocket, two forwarded clients get separate buckets', async () => {
    const target = await serveUnix({ ...limitOne, key: { trustProxy: { proxies: [], unixSocket: true } } });
    const first = await get(target, '203.0.113.1');
    // the premise: neither the socket nor Fastify knows a peer address
    expect([first.status, JSON.parse(first.body)]).toEqual([200, { ip: null, peer: null }]);
    expect((await get(target, '203.0.113.1')).status).toBe(429);
    expect((await get(target, '203.0.113.2')).status).toBe(200);
    expect((await get(target, '198.51.100.7, 203.0.113.3')).status).toBe(200);
    expect((await get(target, '203.0.113.2')).status).toBe(429);
  });

  it('with trustProxy.unixSocket, trusted proxy hops are skipped and allow/deny see the forwarded client', async () => {
    const target = await serveUnix({ ...limitOne, allow: ['198.51.100.0/24'], deny: ['192.0.2.0/24'], key: { trustProxy: { proxies: ['10.0.0.0/8'], unixSocket: true } } });
    expect((await get(target, '203.0.113.1, 10.0.0.2')).status).toBe(200);
    expect((await get(target, '203.0.113.1, 10.0.0.9')).status).toBe(429);
    expect((await get(target, '192.0.2.1')).status).toBe(403);
    expect((await get(target, '198.51.100.1')).status).toBe(200);
    expect((await get(target, '198.51.100.1')).status).toBe(200);
  });

  it('without the opt-in, every client shares one bucket (as before)', async () => {
    const target = await serveUnix({ ...limitOne, key: { trustProxy: { proxies: ['10.0.0.0/8'] } } });
    expect((await get(target, '203.0.113.1')).status).toBe(200);
    expect((await get(target, '203.0.113.2')).status).toBe(429);
    expect((await get(target, '203.0.113.3')).status).toBe(429);
  });

  it('without any trustProxy, every client shares one bucket (as before)', async () => {
    const target = await serveUnix(limitOne);
    expect((await get(target, '203.0.113.1')).status).toBe(200);
    expect((await get(target, '203.0.113.2')).status).toBe(429);
  });

  it('does not trust a TCP peer because of the opt-in: only Unix-socket connections are flagged', async () => {
    app = Fastify();
    await app.register(fastifyThrottle, { ...limitOne, key: { trustProxy: { proxies: [], unixSocket: true } } });
    app.get('/items', () => 'ok');
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const target = { port, host: '127.0.0.1' };
    expect((await get(target, '203.0.113.1')).status).toBe(200);
    expect((await get(target, '203.0.113.2')).status).toBe(429);
  });
});
