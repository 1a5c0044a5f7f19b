/**
 * `withPostgres()`: a real PostgreSQL database for a test, created empty and
 * dropped (with its connections) when the fixture is disposed.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { locateService, type ServiceOptions, type ServiceSource, type ServiceSpec } from './strategies.ts';

export interface PostgresFixture extends AsyncDisposable {
  /** URL of the fresh database. */
  url: string;
  /** Name of the fresh database (`rampart_test_<hex>`). */
  database: string;
  source: ServiceSource;
  /** A connected client on the fresh database, closed with the fixture. */
  connect(): Promise<pg.Client>;
  close(): Promise<void>;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const spec: ServiceSpec = {
  name: 'postgres',
  envVar: 'DATABASE_URL',
  async probe(url) {
    await withClient(url, (client) => client.query('SELECT 1'));
  },
  /* v8 ignore start -- needs a Docker engine, absent on this project's CI machines */
  // Stryker disable all: needs a Docker engine, absent on this project's machines; no test can run it here
  async container() {
    const { GenericContainer, Wait } = await import('testcontainers');
    const started = await new GenericContainer('postgres:16-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage('database system is ready to accept connections', 2))
      .start();
    return `postgres://postgres@${started.getHost()}:${started.getMappedPort(5432)}/postgres`;
  },
  // Stryker restore all
  /* v8 ignore stop */
};

/**
 * @example
 * await using db = await withPostgres();
 * const client = await db.connect();
 * await client.query('CREATE TABLE notes (id int)');
 */
export async function withPostgres(options: ServiceOptions = {}): Promise<PostgresFixture> {
  const { url: adminUrl, source } = await locateService(spec, options);
  // database names come from hex only: no quoting problem, no injection
  const database = `rampart_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));
  const target = new URL(adminUrl);
  target.pathname = `/${database}`;
  const url = target.toString();
  const clients: pg.Client[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(clients.splice(0).map((client) => client.end()));
    await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  };
  return {
    url,
    database,
    source,
    async connect() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      clients.push(client);
      return client;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
