/**
 * L2 contract of @rampart/config (documented options): feeders, priorities,
 * layers and tenants, provenance, secrets, hot reload, samples.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defineFeeder,
  defineSchema,
  dotenvFeeder,
  envFeeder,
  generateSample,
  jsonFeeder,
  loadConfig,
  objectFeeder,
  PRIORITY,
  Secret,
  t,
  yamlFeeder,
} from '@rampart/config';

const schema = defineSchema(
  {
    db: t.object({
      host: t.string().default('localhost').describe('Database host'),
      port: t.port().default(5432),
      password: t.string().secret(),
    }),
    level: t.enum(['debug', 'info', 'warn']).default('info').dynamic(),
    rps: t.integer().default(100).dynamic(),
    maxRps: t.integer().default(1000),
  },
  { validate: [(c) => (c.rps <= c.maxRps ? undefined : { path: 'rps', message: 'rps must be <= maxRps' })] },
);

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-l2-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('@rampart/config L2: feeders and priorities', () => {
  it('merges defaults < files < env < programmatic, whatever the feeder order', async () => {
    const yaml = await file('app.yaml', 'db:\n  host: yamlhost\n  port: 1111\n  password: y\nlevel: warn\n');
    const json = await file('app.json', '{"db": {"port": 2222}}');
    const config = await loadConfig(schema, {
      feeders: [
        objectFeeder({ rps: 7 }),
        envFeeder({ prefix: 'APP_', env: { APP_DB__PORT: '3333', APP_LEVEL: 'debug' } }),
        yamlFeeder(yaml),
        jsonFeeder(json),
      ],
    });
    expect(config.toJSON()).toEqual({ db: { host: 'yamlhost', port: 3333, password: '[redacted]' }, level: 'debug', rps: 7, maxRps: 1000 });
    expect(PRIORITY).toEqual({ default: 0, file: 100, env: 200, programmatic: 300 });
  });

  it('honours an explicit priority, a .env file, and a custom feeder', async () => {
    const dotenv = await file('.env', 'APP_DB__PASSWORD=fromdotenv\nAPP_RPS=9\n');
    const vault = defineFeeder({ kind: 'vault', source: 'vault://kv/app', priority: 250, load: () => Promise.resolve({ values: { db: { password: 'fromvault' } } }) });
    const config = await loadConfig(schema, { feeders: [dotenvFeeder(dotenv, { prefix: 'APP_', priority: 500 }), vault] });
    expect(config.value.db.password.reveal()).toBe('fromdotenv');
    expect(config.value.rps).toBe(9);
    expect(config.explain('db.password')).toMatchObject({ feeder: 'dotenv', key: 'APP_DB__PASSWORD', overridden: [{ feeder: 'vault', source: 'vault://kv/app' }] });
  });

  it('fails on a missing required file, skips a missing optional one', async () => {
    expect(await codeOf(loadConfig(schema, { feeders: [yamlFeeder(join(dir, 'none.yaml'))] }))).toBe('CONFIG_ERR_SOURCE_MISSING');
    const config = await loadConfig(schema, { feeders: [yamlFeeder(join(dir, 'none.yaml'), { required: false }), objectFeeder({ db: { password: 'p' } })] });
    expect(config.value.db.port).toBe(5432);
  });

  it('refuses prototype-polluting keys and reports cross-field rules', async () => {
    const evil = await file('evil.json', '{"__proto__": {"polluted": true}}');
    expect(await codeOf(loadConfig(schema, { feeders: [jsonFeeder(evil)] }))).toBe('CONFIG_ERR_UNSAFE_KEY');
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(await codeOf(loadConfig(schema, { feeders: [objectFeeder({ db: { password: 'p' }, rps: 5000 })] }))).toBe('CONFIG_ERR_VALIDATION');
  });
});

describe('@rampart/config L2: layers, provenance, secrets', () => {
  it('resolves base < instance < tenant, with isolated tenant namespaces', async () => {
    const config = await loadConfig(schema, {
      instance: 'w1',
      tenants: ['globex'],
      feeders: [
        objectFeeder({ db: { password: 'p' }, rps: 50 }),
        objectFeeder({ rps: 60 }, { layer: { instance: 'w1' } }),
        objectFeeder({ rps: 70 }, { layer: { instance: 'w2' } }),
        objectFeeder({ rps: 5 }, { layer: { tenant: 'acme' } }),
      ],
    });
    expect(config.value.rps).toBe(60);
    expect(config.forTenant('acme').value.rps).toBe(5);
    expect(config.forTenant('globex').value.rps).toBe(60);
    expect(config.forTenant('acme').explain('rps').layer).toBe('tenant:acme');
    expect(config.explain('rps').layer).toBe('instance:w1');
  });

  it('explains every field and exports provenance as JSON with secrets redacted', async () => {
    const config = await loadConfig(schema, { feeders: [envFeeder({ prefix: 'APP_', env: { APP_DB__PASSWORD: 'topsecret', APP_DB__PORT: '6000' } })] });
    expect(config.explain('db.port')).toEqual({
      path: 'db.port',
      value: 6000,
      feeder: 'env',
      source: 'env',
      key: 'APP_DB__PORT',
      layer: 'base',
      priority: 200,
      secret: false,
      dynamic: false,
      description: undefined,
      overridden: [],
    });
    expect(config.explain('db.host')).toMatchObject({ feeder: 'default', source: 'schema', description: 'Database host' });
    const exported = JSON.stringify(config.provenance());
    expect(JSON.parse(exported).map((r: { path: string }) => r.path)).toEqual(['db.host', 'db.port', 'db.password', 'level', 'rps', 'maxRps']);
    for (const output of [exported, JSON.stringify(config), inspect(config, { depth: 10 }), String(config.value.db.password), `${String(config.value.db.password)}`]) {
      expect(output).not.toContain('topsecret');
    }
    expect(config.value.db.password).toBeInstanceOf(Secret);
    expect(config.value.db.password.reveal()).toBe('topsecret');
  });
});

describe('@rampart/config L2: hot reload and samples', () => {
  it('applies dynamic changes, holds static ones as restart-required, keeps the old config on error', async () => {
    const values: { rps?: unknown; maxRps?: number; db: { password: string } } = { db: { password: 'p' } };
    const config = await loadConfig(schema, { feeders: [objectFeeder(() => values)] });
    const notified: string[][] = [];
    const errors: string[] = [];
    config.onChange((applied) => notified.push(applied.map((c) => c.path)));
    config.onError((error) => errors.push(error.code));
    values.rps = 200;
    values.maxRps = 2000;
    const result = await config.reload();
    expect(result.applied.map((c) => [c.path, c.previous, c.next])).toEqual([['rps', 100, 200]]);
    expect(result.restartRequired.map((c) => [c.path, c.previous, c.next])).toEqual([['maxRps', 1000, 2000]]);
    expect([config.value.rps, config.value.maxRps]).toEqual([200, 1000]);
    values.rps = 'lots';
    expect(await codeOf(config.reload())).toBe('CONFIG_ERR_VALIDATION');
    expect(config.value.rps).toBe(200);
    expect(notified).toEqual([['rps']]);
    expect(errors).toEqual(['CONFIG_ERR_VALIDATION']);
    await config.close();
    expect(await codeOf(config.reload())).toBe('CONFIG_ERR_CLOSED');
  });

  it('reloads when a watched file changes', async () => {
    const path = await file('watched.yaml', 'db:\n  password: p\nlevel: info\n');
    const config = await loadConfig(schema, { feeders: [yamlFeeder(path)], watch: { debounceMs: 20 } });
    const changed = new Promise<string[]>((done) => config.onChange((applied) => done(applied.map((c) => `${c.path}=${String(c.next)}`))));
    await writeFile(path, 'db:\n  password: p\nlevel: warn\n');
    expect(await changed).toEqual(['level=warn']);
    expect(config.value.level).toBe('warn');
    await config.close();
  });

  it('generates a documented sample that loads back to the defaults', async () => {
    const sample = generateSample(schema, 'yaml');
    expect(sample).toContain('# Database host\n');
    const path = await file('sample.yaml', sample);
    const config = await loadConfig(schema, { feeders: [yamlFeeder(path)] });
    expect(config.toJSON()).toEqual({ db: { host: 'localhost', port: 5432, password: '[redacted]' }, level: 'info', rps: 100, maxRps: 1000 });
    expect(generateSample(schema, 'env', { prefix: 'APP_' })).toContain('APP_DB__PORT=5432\n');
    expect(JSON.parse(generateSample(schema, 'json')).db.port).toBe(5432);
  });
});
