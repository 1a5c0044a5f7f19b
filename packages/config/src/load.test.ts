import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from './builders.ts';
import type { ConfigError } from './errors.ts';
import { envFeeder } from './feeders/env.ts';
import { defineFeeder } from './feeders/feeder.ts';
import { jsonFeeder, yamlFeeder } from './feeders/files.ts';
import { objectFeeder } from './feeders/object.ts';
import { loadConfig } from './load.ts';
import { baseSpec, Field } from './field.ts';
import { defineSchema } from './schema.ts';
import { Secret } from './secret.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a rejection');
}

const schema = defineSchema({
  db: t.object({
    host: t.string().default('localhost'),
    port: t.port().default(5432),
    password: t.string().secret(),
  }),
  level: t.enum(['debug', 'info']).default('info'),
});

describe('loadConfig', () => {
  it('reads process.env by default (zero config)', async () => {
    process.env.DB__PASSWORD = 'pw';
    process.env.DB__PORT = '6543';
    try {
      const config = await loadConfig(schema);
      expect(config.value.db.port).toBe(6543);
      expect(config.value.db.password.reveal()).toBe('pw');
    } finally {
      delete process.env.DB__PASSWORD;
      delete process.env.DB__PORT;
    }
  });

  it('uses envPrefix for the default env feeder', async () => {
    process.env.LOADTEST_DB__PASSWORD = 'pw';
    try {
      expect((await loadConfig(schema, { envPrefix: 'LOADTEST_' })).value.db.password.reveal()).toBe('pw');
    } finally {
      delete process.env.LOADTEST_DB__PASSWORD;
    }
  });

  it('applies defaults < files < env < programmatic, and records the winner and the overridden', async () => {
    const yaml = await file('p.yaml', 'db:\n  host: filehost\n  port: 1000\n  password: f\nlevel: debug\n');
    const config = await loadConfig(schema, {
      feeders: [
        objectFeeder({ db: { port: 3000 } }),
        envFeeder({ prefix: 'APP_', env: { APP_DB__PORT: '2000', APP_DB__HOST: 'envhost' } }),
        yamlFeeder(yaml),
      ],
    });
    expect(config.value).toEqual({ db: { host: 'envhost', port: 3000, password: expect.any(Secret) }, level: 'debug' });
    expect(config.explain('db.port')).toEqual({
      path: 'db.port',
      value: 3000,
      feeder: 'object',
      source: 'programmatic',
      key: 'db.port',
      layer: 'base',
      priority: 300,
      secret: false,
      dynamic: false,
      description: undefined,
      overridden: [
        { feeder: 'env', source: 'env', key: 'APP_DB__PORT', layer: 'base', priority: 200, value: '2000' },
        { feeder: 'yaml', source: yaml, key: 'db.port', layer: 'base', priority: 100, value: 1000 },
      ],
    });
    expect(config.explain('db.password')).toMatchObject({ feeder: 'yaml', value: '[redacted]', secret: true });
  });

  it('lets an explicit priority reorder feeders, and a later feeder win a tie', async () => {
    const config = await loadConfig(schema, {
      feeders: [
        envFeeder({ env: { DB__PASSWORD: 'env' }, priority: 50 }),
        objectFeeder({ db: { password: 'a' } }, { priority: 100, source: 'a' }),
        objectFeeder({ db: { password: 'b' } }, { priority: 100, source: 'b' }),
      ],
    });
    expect(config.value.db.password.reveal()).toBe('b');
    expect(config.explain('db.password').overridden.map((c) => c.source)).toEqual(['a', 'env']);
    for (const count of [2, 3, 4]) {
      const tied = Array.from({ length: count }, (_, i) => objectFeeder({ db: { password: `p${i}` } }, { source: `s${i}` }));
      const last = await loadConfig(schema, { feeders: tied });
      expect(last.value.db.password.reveal()).toBe(`p${count - 1}`);
      expect(last.explain('db.password').overridden.map((c) => c.source)).toEqual(tied.slice(0, -1).map((f) => f.source).reverse());
    }
  });

  it('aggregates every problem with path, expected, got and source', async () => {
    const json = await file('bad.json', '{"db": {"port": "http"}, "level": "loud"}');
    const error = await rejection(loadConfig(schema, { feeders: [jsonFeeder(json)] }));
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.issues).toEqual([
      {
        path: 'db.port',
        kind: 'type',
        expected: 'port (integer 0-65535)',
        got: '"http"',
        source: `json ${json} at db.port`,
        layer: 'base',
        message: `db.port: expected port (integer 0-65535), got "http" (from json ${json} at db.port)`,
      },
      {
        path: 'db.password',
        kind: 'required',
        expected: 'string',
        got: 'nothing',
        source: 'no source',
        layer: 'none',
        message: 'db.password: is required (string) but no source supplied it (from no source)',
      },
      {
        path: 'level',
        kind: 'type',
        expected: 'one of "debug", "info"',
        got: '"loud"',
        source: `json ${json} at level`,
        layer: 'base',
        message: `level: expected one of "debug", "info", got "loud" (from json ${json} at level)`,
      },
    ]);
    expect(error.message.split('\n')).toHaveLength(4);
  });

  it('names env variables and .env files as the source of a bad value, and redacts secrets', async () => {
    const error = await rejection(
      loadConfig(defineSchema({ port: t.port(), token: t.integer().secret() }), { feeders: [envFeeder({ env: { PORT: 'x', TOKEN: 'sekrit' } })] }),
    );
    expect(error.issues.map((i) => [i.source, i.got])).toEqual([
      ['env PORT', '"x"'],
      ['env TOKEN', '[redacted]'],
    ]);
    expect(error.message).not.toContain('sekrit');
  });

  it('reports a scalar where an object is expected once, at the object path', async () => {
    const error = await rejection(loadConfig(schema, { feeders: [objectFeeder({ db: 5 })] }));
    // db holds a secret (password): the scalar standing in for it could be that secret.
    expect(error.issues.map((i) => [i.path, i.kind, i.expected, i.got])).toEqual([
      ['db', 'type', 'object', '[redacted]'],
      ['db.password', 'required', 'string', 'nothing'],
    ]);
  });

  it('runs field rules, object rules and cross-field rules (only once fields are valid)', async () => {
    const ranged = defineSchema(
      {
        min: t.integer().validate((n) => n >= 0, 'must be >= 0'),
        max: t.integer(),
        pair: t.object({ a: t.integer(), b: t.integer() }).validate((p) => p.a !== p.b, 'a and b must differ'),
      },
      {
        validate: [
          (c) => (c.min <= c.max ? undefined : { path: 'max', message: 'max must be >= min' }),
          () => 'whole config rule',
          () => [],
          () => {
            throw new Error('boom');
          },
        ],
      },
    );
    const bad = await rejection(loadConfig(ranged, { feeders: [objectFeeder({ min: -1, max: 0, pair: { a: 1, b: 1 } })] }));
    expect(bad.issues.map((i) => i.message)).toEqual(['min: must be >= 0 (from object programmatic at min)']);
    const cross = await rejection(loadConfig(ranged, { feeders: [objectFeeder({ min: 5, max: 1, pair: { a: 1, b: 1 } })] }));
    expect(cross.issues.map((i) => [i.path, i.kind, i.message])).toEqual([
      ['pair', 'constraint', 'pair: a and b must differ (from schema rule)'],
    ]);
    const top = await rejection(loadConfig(ranged, { feeders: [objectFeeder({ min: 5, max: 1, pair: { a: 1, b: 2 } })] }));
    expect(top.issues.map((i) => [i.path, i.kind, i.message])).toEqual([
      ['max', 'cross-field', 'max: max must be >= min (from schema rule)'],
      ['(root)', 'cross-field', '(root): whole config rule (from schema rule)'],
      ['(root)', 'cross-field', '(root): validator threw Error (from schema rule)'],
    ]);
  });

  it('reports a field rule that throws as a validation issue (error name only: the message could quote a secret)', async () => {
    const schema = defineSchema({
      token: t.string().secret().validate((v) => {
        throw new RangeError(`cannot parse ${v}`);
      }, 'must be a parsable token'),
      port: t.port().validate(() => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the point: a rule may throw anything
        throw 'nope';
      }, 'must be free'),
    });
    const error = await rejection(loadConfig(schema, { feeders: [objectFeeder({ token: 'hunter2-secret', port: 8080 })] }));
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.issues.map((i) => [i.path, i.kind, i.message])).toEqual([
      ['token', 'constraint', 'token: must be a parsable token (validator threw RangeError) (from object programmatic at token)'],
      ['port', 'constraint', 'port: must be free (validator threw string) (from object programmatic at port)'],
    ]);
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(error.message).not.toContain('hunter2');
  });

  it('treats an optional object as absent when no source mentions it', async () => {
    const opt = defineSchema({ tls: t.object({ cert: t.string(), port: t.port().default(443) }).optional(), name: t.string().default('x') });
    expect((await loadConfig(opt, { feeders: [] })).value).toEqual({ tls: undefined, name: 'x' });
    const present = await loadConfig(opt, { feeders: [objectFeeder({ tls: { cert: 'c' } })] });
    expect(present.value.tls).toEqual({ cert: 'c', port: 443 });
    const partial = await rejection(loadConfig(opt, { feeders: [objectFeeder({ tls: { port: 1 } })] }));
    expect(partial.issues.map((i) => i.path)).toEqual(['tls.cert']);
  });

  it('distributes an object default to its fields, overriding inner defaults', async () => {
    const s = defineSchema({ pool: t.object({ min: t.integer().default(1), max: t.integer().default(2) }).default({ min: 5, max: 9 }) });
    const config = await loadConfig(s, { feeders: [objectFeeder({ pool: { max: 10 } })] });
    expect(config.value.pool).toEqual({ min: 5, max: 10 });
    expect(config.explain('pool.min')).toMatchObject({ feeder: 'default', source: 'schema', layer: 'default', priority: 0 });
  });

  it('lets inner defaults fill the keys an object default leaves out, and never reads inherited keys', async () => {
    const s = defineSchema({
      pool: t.object({ min: t.integer().default(1), max: t.integer().default(2), toString: t.string().optional() }).default({ min: 5 } as never),
    });
    const config = await loadConfig(s, { feeders: [] });
    expect(config.value.pool).toEqual({ min: 5, max: 2, toString: undefined });
    expect(config.explain('pool.max')).toMatchObject({ feeder: 'default', value: 2 });
    expect(config.explain('pool.toString')).toMatchObject({ feeder: 'unset', value: undefined });
  });

  it('treats null inside an object default as not set, as in sources', async () => {
    const s = defineSchema({
      pool: t.object({ min: t.integer().default(1), tag: t.string().optional(), tls: t.object({ cert: t.string() }).optional() }).default({ min: null, tag: null, tls: null } as never),
    });
    const config = await loadConfig(s, { feeders: [] });
    expect(config.value.pool).toEqual({ min: 1, tag: undefined, tls: undefined });
    expect(config.explain('pool.min')).toMatchObject({ feeder: 'default', value: 1 });
  });

  it('resolves a hand-built object field without a shape as one empty, frozen object', async () => {
    const s = defineSchema({ o: new Field<object>(baseSpec('object')) });
    const config = await loadConfig(s, { feeders: [objectFeeder({ o: { x: 1 } })] });
    expect(config.value.o).toEqual({});
    expect(Object.isFrozen(config.value.o)).toBe(true);
    expect(config.explain('o')).toMatchObject({ feeder: 'object', value: {} });
  });

  it('wraps a secret object whole and freezes everything', async () => {
    const s = defineSchema({ creds: t.object({ user: t.string(), pass: t.string() }).secret(), tags: t.array(t.string()).default(['a']) });
    const config = await loadConfig(s, { feeders: [objectFeeder({ creds: { user: 'u', pass: 'p' } })] });
    expect(config.value.creds).toBeInstanceOf(Secret);
    expect(config.value.creds.reveal()).toEqual({ user: 'u', pass: 'p' });
    expect(Object.isFrozen(config.value.creds.reveal())).toBe(true);
    expect(Object.isFrozen(config.value)).toBe(true);
    expect(Object.isFrozen(config.value.tags)).toBe(true);
    expect(config.explain('creds.user')).toMatchObject({ value: '[redacted]', secret: true });
  });

  it('fails when a required feeder is unavailable, listing every one; optional ones are skipped', async () => {
    const a = join(dir, 'missing-a.yaml');
    const b = join(dir, 'missing-b.json');
    const error = await rejection(loadConfig(schema, { feeders: [yamlFeeder(a), jsonFeeder(b), jsonFeeder(join(dir, 'c.json'), { required: false })] }));
    expect(error.code).toBe('CONFIG_ERR_SOURCE_MISSING');
    expect(error.message).toBe(`required configuration source unavailable: yaml ${a}, json ${b}`);
    expect(error.details).toEqual({ source: `yaml ${a}, json ${b}` });
    const ok = await loadConfig(schema, { feeders: [yamlFeeder(a, { required: false }), objectFeeder({ db: { password: 'p' } })] });
    expect(ok.value.db.host).toBe('localhost');
  });

  it('wraps a throwing custom feeder in CONFIG_ERR_FEEDER and passes ConfigErrors through', async () => {
    const boom = new Error('vault down');
    const error = await rejection(loadConfig(schema, { feeders: [defineFeeder({ kind: 'vault', source: 'vault://kv', load: () => Promise.reject(boom) })] }));
    expect(error.code).toBe('CONFIG_ERR_FEEDER');
    expect(error.message).toBe('feeder vault (vault://kv) failed');
    expect(error.cause).toBe(boom);
    expect(error.details).toEqual({ source: 'vault://kv' });
  });

  it('uses the keys map of a custom feeder in provenance', async () => {
    const vault = defineFeeder({ kind: 'vault', source: 'vault://kv/app', priority: 250, load: () => ({ values: { db: { password: 's' } }, keys: new Map([['db.password', 'kv/app#db_pass']]) }) });
    const config = await loadConfig(schema, { feeders: [vault] });
    expect(config.explain('db.password')).toMatchObject({ feeder: 'vault', source: 'vault://kv/app', key: 'kv/app#db_pass', priority: 250 });
  });

  it('refuses malformed options', async () => {
    const notArray = await rejection(loadConfig(schema, { feeders: 'env' as never }));
    expect([notArray.code, notArray.message]).toEqual(['CONFIG_ERR_OPTIONS', 'options.feeders must be an array']);
    const bad = await rejection(loadConfig(schema, { feeders: [objectFeeder({}), { ...objectFeeder({}), priority: Number.NaN }] }));
    expect([bad.message, bad.details]).toEqual([
      "feeders[1] is not a valid feeder (kind, source, finite priority, required true or false, layer 'base', { instance } or { tenant }, load)",
      { index: 1 },
    ]);
    // A misspelt layer used to crash ordering with a TypeError; a non-boolean required was read as truthy.
    const layers = ['tenant', null, {}, { tenant: 1 }, { tenant: '' }, { instance: 'a', tenant: 'b' }, { region: 'eu' }];
    for (const broken of [{ kind: 1 }, { source: 1 }, { load: 'x' }, { required: 'yes' }, ...layers.map((layer) => ({ layer }))]) {
      expect((await rejection(loadConfig(schema, { feeders: [{ ...objectFeeder({}), ...broken } as never] }))).code).toBe('CONFIG_ERR_OPTIONS');
    }
    expect((await rejection(loadConfig(schema, { feeders: ['env' as never] }))).code).toBe('CONFIG_ERR_OPTIONS');
    // A string is iterable: 'acme' was read as the tenants a, c, m and e.
    for (const tenants of ['acme', [1], ['t', 1], {}]) {
      const error = await rejection(loadConfig(schema, { feeders: [objectFeeder({ db: { password: 'p' } })], tenants: tenants as never }));
      expect([error.code, error.message]).toEqual(['CONFIG_ERR_OPTIONS', 'options.tenants must be an array of tenant ids (strings)']);
    }
    const instance = await rejection(loadConfig(schema, { feeders: [objectFeeder({ db: { password: 'p' } })], instance: 7 as never }));
    expect([instance.code, instance.message]).toEqual(['CONFIG_ERR_OPTIONS', "options.instance must be a string (this process's instance id)"]);
    // Each valid layer shape passes.
    const layered = [{ layer: 'base' }, { layer: { instance: 'a' } }, { layer: { tenant: 't' } }].map((o) => objectFeeder({ db: { password: 'p' } }, o as never));
    expect((await loadConfig(schema, { feeders: layered, instance: 'a', tenants: ['t'] })).forTenant('t').value.db.password).toBeDefined();
    // A function carrying every feeder property is still not a feeder object.
    expect((await rejection(loadConfig(schema, { feeders: [Object.assign(() => undefined, objectFeeder({})) as never] }))).code).toBe('CONFIG_ERR_OPTIONS');
    // A debounce of 0 is allowed (reload on the next tick); no watcher starts when watch is false.
    const missingDir = join(dir, 'no-such-dir', 'app.yaml');
    expect((await loadConfig(schema, { feeders: [yamlFeeder(missingDir, { required: false }), objectFeeder({ db: { password: 'p' } })], watch: false })).value.db.port).toBe(5432);
    const zero = await loadConfig(schema, { feeders: [objectFeeder({ db: { password: 'p' } })], watch: { debounceMs: 0 } });
    expect(zero.value.db.port).toBe(5432);
    expect((await rejection(loadConfig(schema, { feeders: [null as never] }))).code).toBe('CONFIG_ERR_OPTIONS');
    expect((await rejection(loadConfig(schema, { feeders: [], watch: { debounceMs: -1 } }))).message).toBe('watch.debounceMs must be a finite number >= 0');
  });
});

describe('layers, instances and tenants', () => {
  const layered = defineSchema({ rps: t.integer().default(10), region: t.string().default('eu'), name: t.string().default('base') });

  it('a more specific layer wins over a higher-priority base feeder', async () => {
    const config = await loadConfig(layered, {
      instance: 'w1',
      feeders: [
        objectFeeder({ rps: 100, name: 'prog' }),
        objectFeeder({ rps: 20 }, { layer: { instance: 'w1' }, priority: 1, source: 'w1' }),
        objectFeeder({ rps: 30, region: 'us' }, { layer: { instance: 'w2' }, source: 'w2' }),
      ],
    });
    expect(config.value).toEqual({ rps: 20, region: 'eu', name: 'prog' });
    expect(config.explain('rps')).toMatchObject({ layer: 'instance:w1', source: 'w1' });
  });

  it('ignores instance layers when no instance is set', async () => {
    const config = await loadConfig(layered, { feeders: [objectFeeder({ rps: 20 }, { layer: { instance: 'w1' } })] });
    expect(config.value.rps).toBe(10);
  });

  it('resolves per-tenant namespaces that never see each other', async () => {
    const config = await loadConfig(layered, {
      tenants: ['initech'],
      feeders: [
        objectFeeder({ rps: 50 }),
        objectFeeder({ rps: 5 }, { layer: { tenant: 'acme' }, priority: 0, source: 'acme' }),
        objectFeeder({ region: 'us' }, { layer: { tenant: 'globex' }, source: 'globex' }),
      ],
    });
    expect(config.value).toEqual({ rps: 50, region: 'eu', name: 'base' });
    expect(config.tenants().sort()).toEqual(['acme', 'globex', 'initech']);
    const acme = config.forTenant('acme');
    expect(acme.tenant).toBe('acme');
    expect(acme.value).toEqual({ rps: 5, region: 'eu', name: 'base' });
    expect(acme.explain('rps')).toMatchObject({ layer: 'tenant:acme', source: 'acme', overridden: [{ layer: 'base', value: 50 }] });
    expect(config.forTenant('globex').value).toEqual({ rps: 50, region: 'us', name: 'base' });
    expect(config.forTenant('initech').value).toEqual(config.value);
    let error: ConfigError | undefined;
    try {
      config.forTenant('umbrella');
    } catch (thrown) {
      error = thrown as ConfigError;
    }
    expect(error?.code).toBe('CONFIG_ERR_UNKNOWN_TENANT');
    expect(error?.message).toBe('unknown tenant "umbrella" (declare it in loadConfig options.tenants or give it a feeder)');
  });

  it('validates every tenant at load, naming the tenant and not repeating base issues', async () => {
    const error = await rejection(
      loadConfig(layered, {
        feeders: [objectFeeder({ name: 5 }), objectFeeder({ rps: 'many' }, { layer: { tenant: 'acme' } })],
      }),
    );
    expect(error.issues.map((i) => i.message)).toEqual([
      'name: expected string, got 5 (from object programmatic at name)',
      'tenant acme: rps: expected integer, got "many" (from object programmatic at rps)',
    ]);
  });
});
