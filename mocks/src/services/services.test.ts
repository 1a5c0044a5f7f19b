import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../errors.ts';
import { withPostgres } from './postgres.ts';
import { withRedis } from './redis.ts';
import { dockerPresent, findServicesScript, parseExports, serviceOrSkip } from './strategies.ts';

// These tests talk to real servers: REDIS_URL / DATABASE_URL from .ci/run, or the
// local binaries that scripts/services.sh starts. They never skip: a missing
// server is a failure here, since this is the code that provides servers.

describe('withRedis', () => {
  it('gives a real Redis with a unique prefix and sweeps its keys on close', async () => {
    const redis = await withRedis();
    expect(['env', 'local']).toContain(redis.source);
    expect(redis.prefix).toMatch(/^rampart-test:[0-9a-f]{12}:$/);
    const client = redis.client();
    await client.set(`${redis.prefix}a`, '1');
    await client.set(`${redis.prefix}b`, '2');
    expect(await client.get(`${redis.prefix}a`)).toBe('1');
    const other = await withRedis();
    expect(other.prefix).not.toBe(redis.prefix);
    await redis.close();
    const check = other.client();
    expect(await check.exists(`${redis.prefix}a`, `${redis.prefix}b`)).toBe(0);
    await other[Symbol.asyncDispose]();
  });

  it('sweeps keys across many SCAN pages, and closes every connection it opened', async () => {
    const redis = await withRedis();
    const client = redis.client();
    const name = `rampart-mocks:${redis.prefix.slice('rampart-test:'.length, -1)}`;
    const keys = Array.from({ length: 1_500 }, (_, i) => `${redis.prefix}k${i}`);
    await client.mset(...keys.flatMap((k) => [k, '1']));
    redis.client();
    const observer = await withRedis();
    const watch = observer.client();
    const names = async () => ((await watch.client('LIST')) as string).split('\n').filter((l) => l.includes(` name=${name}`)).length;
    expect(await names()).toBe(2);
    await redis.close();
    expect(await watch.exists(...keys)).toBe(0);
    expect(await names()).toBe(0);
    await observer.close();
  });

  it('close() on a fixture with no keys is harmless', async () => {
    const redis = await withRedis();
    await expect(redis.close()).resolves.toBeUndefined();
  });

  it('falls back to the local services script when the environment has no URL', async () => {
    const env: NodeJS.ProcessEnv = {};
    const redis = await withRedis({ env, docker: false });
    expect(redis.source).toBe('local');
    expect(env.REDIS_URL).toBe(redis.url);
    await redis.close();
  });

  it('reports every strategy that failed when no Redis can be had', async () => {
    const env: NodeJS.ProcessEnv = { REDIS_URL: 'redis://127.0.0.1:1' };
    const error = await withRedis({ env, docker: false, servicesScript: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).code).toBe('MOCKS_ERR_SERVICE_UNAVAILABLE');
    expect((error as ServiceUnavailableError).reasons).toHaveLength(3);
    expect((error as ServiceUnavailableError).reasons[0]).toBe('testcontainers: no Docker engine (DOCKER_HOST unset, /var/run/docker.sock absent)');
    expect((error as ServiceUnavailableError).reasons[1]).toMatch(/^env: /);
    expect((error as ServiceUnavailableError).reasons[2]).toBe('local: scripts/services.sh not found');
  });

  it('says so when REDIS_URL is unset and a services script prints no URL', async () => {
    const script = join(mkdtempSync(join(tmpdir(), 'rampart-mocks-')), 'services.sh');
    writeFileSync(script, 'echo "services: nothing to start" >&2\necho "export OTHER=1"\n');
    const error = await withRedis({ env: {}, docker: false, servicesScript: script }).catch((e: unknown) => e);
    expect((error as ServiceUnavailableError).reasons).toEqual([
      'testcontainers: no Docker engine (DOCKER_HOST unset, /var/run/docker.sock absent)',
      'env: REDIS_URL is not set',
      `local: ${script} start printed no REDIS_URL`,
    ]);
  });
});

describe('withPostgres', () => {
  it('creates a fresh database, usable at once, and drops it on close', async () => {
    const db = await withPostgres();
    expect(db.database).toMatch(/^rampart_test_[0-9a-f]{12}$/);
    expect(new URL(db.url).pathname).toBe(`/${db.database}`);
    const client = await db.connect();
    await client.query('CREATE TABLE notes (id int primary key, body text)');
    await client.query("INSERT INTO notes VALUES (1, 'hello')");
    const { rows } = await client.query<{ body: string }>('SELECT body FROM notes');
    expect(rows).toEqual([{ body: 'hello' }]);
    await db.close();
    const admin = await withPostgres();
    const check = await admin.connect();
    const exists = await check.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.database]);
    expect(exists.rowCount).toBe(0);
    await admin[Symbol.asyncDispose]();
  });
});

describe('strategy helpers', () => {
  it('parses only whole export lines', () => {
    expect(parseExports('export REDIS_URL=redis://h:1\nnoise\nexport DATABASE_URL=postgres://x/y\n')).toEqual({
      REDIS_URL: 'redis://h:1',
      DATABASE_URL: 'postgres://x/y',
    });
    expect(parseExports('say export A=1\nexport B=2 # trailing\nexport C=3')).toEqual({ C: '3' });
  });

  it('sees a Docker engine only through DOCKER_HOST or the engine socket', () => {
    expect(dockerPresent({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toBe(true);
    expect(dockerPresent({})).toBe(false);
  });

  it('uses the URL from the environment when it answers, without starting anything', async () => {
    const first = await withRedis();
    const env: NodeJS.ProcessEnv = { REDIS_URL: first.url };
    const second = await withRedis({ env, docker: false, servicesScript: false });
    expect(second.source).toBe('env');
    expect(second.url).toBe(first.url);
    await second.close();
    await first.close();
  });

  it('finds scripts/services.sh upward from a nested folder and not from /', () => {
    expect(findServicesScript(`${import.meta.dirname}/deep/er`)).toMatch(/scripts\/services\.sh$/);
    expect(findServicesScript('/')).toBeUndefined();
  });

  it('serviceOrSkip skips with the reason outside CI, fails under CI, passes other errors on', async () => {
    const unavailable = () => Promise.reject(new ServiceUnavailableError('redis', ['env: REDIS_URL is not set']));
    const notes: Array<string | undefined> = [];
    const ctx = { skip: (note?: string) => void notes.push(note) };
    await expect(serviceOrSkip(ctx, unavailable, {})).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(notes).toEqual(['No real backing service could be reached or started: redis: env: REDIS_URL is not set']);
    await expect(serviceOrSkip(ctx, unavailable, { CI: 'true' })).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(serviceOrSkip(ctx, () => Promise.reject(new Error('other')), {})).rejects.toThrow('other');
    expect(notes).toHaveLength(1);
    await expect(serviceOrSkip(ctx, () => Promise.resolve(5))).resolves.toBe(5);
  });
});
