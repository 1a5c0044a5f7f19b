/**
 * L1 contract of @rampart/config (novice, zero config): declare a schema, set
 * environment variables, get typed, validated, frozen values.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defineSchema, isConfigError, loadConfig, t } from '@rampart/config';

const NAMES = ['PORT', 'DB__HOST', 'DB__POOL_SIZE', 'DEBUG', 'TIMEOUT', 'DB__PASSWORD'];

afterEach(() => {
  for (const name of NAMES) delete process.env[name];
});

const schema = defineSchema({
  port: t.port().default(3000),
  debug: t.boolean().default(false),
  timeout: t.duration().default(5000),
  db: t.object({
    host: t.string().default('localhost'),
    poolSize: t.integer().default(10),
    password: t.string().secret(),
  }),
});

describe('@rampart/config L1: schema + env gives typed values', () => {
  it('reads environment variables named after the schema and coerces them', async () => {
    process.env.PORT = '8080';
    process.env.DEBUG = 'true';
    process.env.TIMEOUT = '30s';
    process.env.DB__POOL_SIZE = '25';
    process.env.DB__PASSWORD = 'pw';
    const config = await loadConfig(schema);
    expect(config.value.port).toBe(8080);
    expect(config.value.debug).toBe(true);
    expect(config.value.timeout).toBe(30_000);
    expect(config.value.db.host).toBe('localhost');
    expect(config.value.db.poolSize).toBe(25);
    expect(config.value.db.password.reveal()).toBe('pw');
    expect(JSON.stringify(config.value.db.password)).toBe('"[redacted]"');
    expect(Object.isFrozen(config.value.db)).toBe(true);
  });

  it('uses defaults when nothing is set, and refuses to start without a required value', async () => {
    let caught: unknown;
    try {
      await loadConfig(schema);
    } catch (error) {
      caught = error;
    }
    expect(isConfigError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe('CONFIG_ERR_VALIDATION');
    expect((caught as { issues: { path: string; kind: string }[] }).issues.map((i) => [i.path, i.kind])).toEqual([['db.password', 'required']]);
    process.env.DB__PASSWORD = 'pw';
    const config = await loadConfig(schema);
    expect(config.toJSON()).toEqual({ port: 3000, debug: false, timeout: 5000, db: { host: 'localhost', poolSize: 10, password: '[redacted]' } });
  });

  it('lists every bad value at once with the variable that supplied it', async () => {
    process.env.PORT = 'eighty';
    process.env.DB__POOL_SIZE = '2.5';
    process.env.DB__PASSWORD = 'pw';
    let caught: { issues: { path: string; source: string; got: string }[] } | undefined;
    try {
      await loadConfig(schema);
    } catch (error) {
      caught = error as typeof caught;
    }
    expect(caught?.issues.map((i) => [i.path, i.source, i.got])).toEqual([
      ['port', 'env PORT', '"eighty"'],
      ['db.poolSize', 'env DB__POOL_SIZE', '"2.5"'],
    ]);
  });
});
