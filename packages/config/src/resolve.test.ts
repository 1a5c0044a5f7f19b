import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { t } from './builders.ts';
import type { ConfigError } from './errors.ts';
import { dotenvFeeder } from './feeders/files.ts';
import { objectFeeder } from './feeders/object.ts';
import { loadConfig } from './load.ts';
import { compile } from './plan.ts';
import { finish } from './resolve.ts';
import { defineSchema } from './schema.ts';

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a rejection');
}

describe('issues name their source exactly', () => {
  it('a .env variable: `dotenv <name> in <file>`', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rampart-config-resolve-'));
    try {
      const path = join(dir, '.env');
      await writeFile(path, 'APP_PORT=http\n');
      const error = await rejection(loadConfig(defineSchema({ port: t.port() }), { feeders: [dotenvFeeder(path, { prefix: 'APP_' })] }));
      expect(error.issues).toEqual([
        { path: 'port', kind: 'type', expected: 'port (integer 0-65535)', got: '"http"', source: `dotenv APP_PORT in ${path}`, layer: 'base', message: `port: expected port (integer 0-65535), got "http" (from dotenv APP_PORT in ${path})` },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a scalar where a nested object belongs: reported at the dotted object path', async () => {
    const schema = defineSchema({ outer: t.object({ inner: t.object({ x: t.string().default('a') }) }) });
    const error = await rejection(loadConfig(schema, { feeders: [objectFeeder({ outer: { inner: 5 } }, { layer: { tenant: 'acme' } })] }));
    expect(error.issues).toEqual([
      {
        path: 'outer.inner',
        kind: 'type',
        expected: 'object',
        got: '5',
        source: 'object programmatic at outer.inner',
        layer: 'tenant:acme',
        message: 'tenant acme: outer.inner: expected object, got 5 (from object programmatic at outer.inner)',
      },
    ]);
  });

  it('a failing object rule: `schema rule`, layer none', async () => {
    const schema = defineSchema({ pair: t.object({ a: t.integer().default(1), b: t.integer().default(1) }).validate((p) => p.a !== p.b, 'a and b must differ') });
    const error = await rejection(loadConfig(schema, { feeders: [] }));
    expect(error.issues).toEqual([
      { path: 'pair', kind: 'constraint', expected: 'a and b must differ', got: '{"a":1,"b":1}', source: 'schema rule', layer: 'none', message: 'pair: a and b must differ (from schema rule)' },
    ]);
  });
});

describe('provenance of unset fields', () => {
  it('an optional secret nobody set has no value, not a redacted one', async () => {
    const config = await loadConfig(defineSchema({ token: t.string().secret().optional() }), { feeders: [] });
    expect(config.explain('token')).toEqual({
      path: 'token',
      value: undefined,
      feeder: 'unset',
      source: 'none',
      key: 'token',
      layer: 'none',
      priority: 0,
      secret: true,
      dynamic: false,
      description: undefined,
      overridden: [],
    });
  });
});

describe('finish', () => {
  const plan = compile(defineSchema({ tls: t.object({ cert: t.string() }).optional().validate(() => false, 'never valid') }).root.spec);

  it('skips the rules of an absent optional object', () => {
    expect(finish(plan, { tls: undefined })).toEqual({ value: { tls: undefined }, issues: [] });
  });

  it('runs them on a present one', () => {
    expect(finish(plan, { tls: { cert: 'c' } }).issues.map((i) => i.message)).toEqual(['tls: never valid (from schema rule)']);
  });
});
