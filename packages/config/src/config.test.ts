import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { t } from './builders.ts';
import type { Config } from './config.ts';
import type { ConfigError } from './errors.ts';
import { objectFeeder } from './feeders/object.ts';
import { loadConfig } from './load.ts';
import { formatProvenance } from './provenance.ts';
import { defineSchema } from './schema.ts';
import { Secret } from './secret.ts';

const schema = defineSchema({
  db: t.object({ port: t.port().default(5432).describe('Database port'), password: t.string().secret() }),
  creds: t.object({ user: t.string().default('u') }).secret(),
  tls: t.object({ cert: t.string() }).optional(),
  tags: t.array(t.string()).default(['a', 'b']),
});
const load = () => loadConfig(schema, { feeders: [objectFeeder({ db: { password: 'hunter2' } })] });

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a throw');
}

describe('Config', () => {
  it('get() reads dotted paths, keeps secrets wrapped, and refuses unknown paths', async () => {
    const config = await load();
    expect(config.get('db.port')).toBe(5432);
    expect(config.get('db')).toBe(config.value.db);
    expect(config.get('tags')).toEqual(['a', 'b']);
    expect(config.get('tls.cert')).toBeUndefined();
    const user = config.get('creds.user') as Secret;
    expect(user).toBeInstanceOf(Secret);
    expect(user.reveal()).toBe('u');
    expect(thrown(() => config.get('db.nope')).message).toBe('no field "db.nope" in the schema');
    expect(thrown(() => config.get('tags.0')).code).toBe('CONFIG_ERR_UNKNOWN_PATH');
  });

  it('explain() refuses objects with a hint and unknown paths', async () => {
    const config = await load();
    expect(config.explain('db.port')).toMatchObject({ description: 'Database port', feeder: 'default' });
    const error = thrown(() => config.explain('db'));
    expect(error.code).toBe('CONFIG_ERR_UNKNOWN_PATH');
    expect(error.message).toBe('no field "db" in the schema; it is an object, explain one of its fields: db.port, db.password');
    expect(thrown(() => config.explain('zzz')).message).toBe('no field "zzz" in the schema');
  });

  it('provenance() lists every field in schema order, JSON-safe', async () => {
    const config = await load();
    const records = config.provenance();
    expect(records.map((r) => [r.path, r.feeder, r.value])).toEqual([
      ['db.port', 'default', 5432],
      ['db.password', 'object', '[redacted]'],
      ['creds.user', 'default', '[redacted]'],
      ['tls.cert', 'unset', undefined],
      ['tags', 'default', ['a', 'b']],
    ]);
    expect(JSON.parse(JSON.stringify(records))).toHaveLength(5);
    expect(records.find((r) => r.path === 'tls.cert')).toMatchObject({ source: 'none', layer: 'none' });
  });

  it('formats provenance as an aligned table', async () => {
    const table = formatProvenance((await load()).provenance());
    expect(table.split('\n')).toEqual([
      'path         value       feeder   source        key          layer',
      '-----------  ----------  -------  ------------  -----------  -------',
      'db.port      5432        default  schema        db.port      default',
      'db.password  [redacted]  object   programmatic  db.password  base',
      'creds.user   [redacted]  default  schema        creds.user   default',
      'tls.cert     nothing     unset    none          tls.cert     none',
      'tags         ["a","b"]   default  schema        tags         default',
    ]);
  });

  it('serializes with secrets redacted: toJSON, JSON.stringify, String, inspect', async () => {
    const config = await load();
    const expected = { db: { port: 5432, password: '[redacted]' }, creds: '[redacted]', tags: ['a', 'b'] };
    expect(config.toJSON()).toEqual(expected);
    expect(JSON.parse(JSON.stringify(config))).toEqual(expected);
    expect(String(config)).toBe(`Config ${JSON.stringify(expected)}`);
    expect(inspect(config, { depth: 4 })).toBe("Config {\n  db: { port: 5432, password: '[redacted]' },\n  creds: '[redacted]',\n  tls: undefined,\n  tags: [ 'a', 'b' ]\n}");
  });

  it('closes idempotently and via await using', async () => {
    const config = await load();
    await config.close();
    await config.close();
    {
      await using scoped = await load();
      expect(scoped.value.db.port).toBe(5432);
    }
    expect((await thrownAsync(config.reload())).code).toBe('CONFIG_ERR_CLOSED');
  });
});

async function thrownAsync(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a rejection');
}

describe('Config edges', () => {
  it('refuses the empty path (the root is not a field), with the path in details', async () => {
    const config = await load();
    const error = thrown(() => config.get(''));
    expect([error.code, error.message, error.details]).toEqual(['CONFIG_ERR_UNKNOWN_PATH', 'no field "" in the schema', { path: '' }]);
    expect(thrown(() => config.explain('')).message).toBe('no field "" in the schema');
  });

  it('names the unknown tenant in the message and details', async () => {
    const config = await load();
    expect(config.tenants()).toEqual([]);
    const error = thrown(() => config.forTenant('acme'));
    expect([error.code, error.message, error.details]).toEqual([
      'CONFIG_ERR_UNKNOWN_TENANT',
      'unknown tenant "acme" (declare it in loadConfig options.tenants or give it a feeder)',
      { tenant: 'acme' },
    ]);
  });

  it('inspect() honours the depth it is given', async () => {
    const config = await load();
    expect(inspect(config, { depth: 0 })).toBe("Config { db: [Object], creds: '[redacted]', tls: undefined, tags: [Array] }");
  });

  it('stops calling an unsubscribed error listener', async () => {
    let values: Record<string, unknown> = { db: { password: 'p' } };
    const config = await loadConfig(schema, { feeders: [objectFeeder(() => values)] });
    const seen: string[] = [];
    const off = config.onError((e) => seen.push(e.code));
    values = { db: { password: 'p', port: 'x' } };
    await thrownAsync(config.reload());
    off();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      await thrownAsync(config.reload());
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
    expect(seen).toEqual(['CONFIG_ERR_VALIDATION']);
  });

  it('closes through Symbol.asyncDispose: reloads then reject', async () => {
    const config = await load();
    await config[Symbol.asyncDispose]();
    const error = await thrownAsync(config.reload());
    expect([error.code, error.message]).toEqual(['CONFIG_ERR_CLOSED', 'cannot reload a closed config']);
  });

  it('get() returns a secret field under a secret object wrapped once', async () => {
    const nested = defineSchema({ creds: t.object({ user: t.string().default('u'), pass: t.string().secret().default('p') }).secret() });
    const config = await loadConfig(nested, { feeders: [] });
    const pass = config.get('creds.pass') as Secret;
    expect(pass).toBeInstanceOf(Secret);
    expect(pass.reveal()).toBe('p');
  });
});

describe('Config typing', () => {
  it('is assignable to Config<unknown>', async () => {
    const config = await load();
    const general: Config<unknown> = config;
    const port: number = config.value.db.port;
    expect([general.get('db.port'), port]).toEqual([5432, 5432]);
  });
});
