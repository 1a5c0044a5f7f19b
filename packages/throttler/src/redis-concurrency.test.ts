import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LogCapture, withRedis } from '@rampart/mocks';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { fastifyThrottle } from './fastify-plugin.ts';
import type { FailurePolicy } from './limiter.ts';
import { RedisStore } from './redis-store.ts';

const run = promisify(execFile);
const worker = fileURLToPath(new URL('./test-support/consume-worker.ts', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined); // refused while the server boots; retried below
  for (let i = 0; i < 50; i++) {
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`redis-server on ${port} did not start`);
}

describe('Redis store under concurrency and outage', () => {
  it('four processes sharing one Redis fire 10,000 requests at a limit of 1,000: exactly 1,000 admitted', async () => {
    await using redis = await withRedis();
    const results = await Promise.all(
      [0, 1, 2, 3].map(() => run(process.execPath, [worker, redis.url, `${redis.prefix}mp:`, '2500'], { timeout: 60_000 })),
    );
    const admitted = results.map((r) => (JSON.parse(r.stdout) as { admitted: number }).admitted);
    expect(admitted.reduce((a, b) => a + b, 0)).toBe(1_000);
  }, 60_000);

  for (const [policy, afterOutage] of [
    ['fail-open', [200]],
    ['fail-closed', [503]],
    ['insurance', [200, 429]],
  ] as [FailurePolicy, number[]][]) {
    it(`Redis killed mid-run under ${policy}: no crash, no stray 500, the policy holds`, async () => {
      const port = await freePort();
      const server = await startRedis(port);
      const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 200 });
      const clientErrors: unknown[] = [];
      client.on('error', (e: unknown) => clientErrors.push(e)); // an unhandled 'error' event would crash the process
      await once(client, 'ready');
      const logs = new LogCapture();
      const app = Fastify();
      await app.register(fastifyThrottle, {
        store: new RedisStore({ client, prefix: 'outage:' }),
        policies: { limit: 5, windowMs: 60_000 },
        onStoreError: policy,
        timeoutMs: 300,
        breaker: { failureThreshold: 2, cooldownMs: 60_000 },
        logger: logs.logger,
      });
      app.get('/', () => 'ok');
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const before: number[] = [];
        for (let i = 0; i < 7; i++) before.push((await request(url).get('/')).status);
        expect(before).toEqual([200, 200, 200, 200, 200, 429, 429]);
        server.kill('SIGKILL');
        await once(server, 'exit');
        const after: number[] = [];
        for (let i = 0; i < 10; i++) after.push((await request(url).get('/')).status);
        expect(after.every((s) => afterOutage.includes(s))).toBe(true);
        if (policy === 'insurance') expect(after).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
        expect(logs.lines.some((l) => l.msg === 'rate-limit circuit open')).toBe(true);
      } finally {
        await app.close();
        client.disconnect();
        server.kill('SIGKILL');
      }
    }, 30_000);
  }
});
