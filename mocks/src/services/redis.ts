/**
 * `withRedis()`: a real Redis for a test, isolated by a unique key prefix that
 * is swept when the fixture is disposed.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { locateService, type ServiceOptions, type ServiceSource, type ServiceSpec } from './strategies.ts';

export interface RedisFixture extends AsyncDisposable {
  /** `redis://host:port` of a server that answered PING. */
  url: string;
  source: ServiceSource;
  /** Unique key prefix for this fixture (`rampart-test:<hex>:`); every key under it is deleted on close. */
  prefix: string;
  /** A new ioredis client on `url`, closed with the fixture. */
  client(): Redis;
  close(): Promise<void>;
}

async function probe(url: string): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectionName: 'rampart-mocks:probe',
  });
  // Stryker disable next-line all: only silences ioredis' duplicate stderr report; connect() rejects with the same error
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}

const spec: ServiceSpec = {
  name: 'redis',
  envVar: 'REDIS_URL',
  probe,
  /* v8 ignore start -- needs a Docker engine, absent on this project's CI machines */
  // Stryker disable all: needs a Docker engine, absent on this project's machines; no test can run it here
  async container() {
    const { GenericContainer, Wait } = await import('testcontainers');
    const started = await new GenericContainer('redis:7-alpine')
      .withExposedPorts(6379)
      .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
      .start();
    return `redis://${started.getHost()}:${started.getMappedPort(6379)}`;
  },
  // Stryker restore all
  /* v8 ignore stop */
};

async function sweep(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/**
 * @example
 * await using redis = await withRedis();
 * const store = new RedisStore({ client: redis.client(), prefix: redis.prefix });
 */
export async function withRedis(options: ServiceOptions = {}): Promise<RedisFixture> {
  const { url, source } = await locateService(spec, options);
  const prefix = `rampart-test:${randomBytes(6).toString('hex')}:`;
  const clients: Redis[] = [];
  const name = `rampart-mocks:${prefix.slice('rampart-test:'.length, -1)}`;
  const close = async (): Promise<void> => {
    const admin = new Redis(url, { connectionName: `${name}:admin` });
    try {
      await sweep(admin, prefix);
    } finally {
      // quit (not disconnect) waits for the server, so no connection outlives close()
      await Promise.allSettled([admin, ...clients.splice(0)].map((client) => client.quit()));
    }
  };
  return {
    url,
    source,
    prefix,
    client() {
      const client = new Redis(url, { connectionName: name });
      clients.push(client);
      return client;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
