/**
 * L2 contract of @rampart/config: the public runtime exports not pinned
 * elsewhere. The error table (`CONFIG_ERRORS`, `ConfigError`), the classes
 * reached through the documented builders (`Config` from `loadConfig`, `Field`
 * from `t.*()`, `Schema` from `defineSchema`), env naming (`constantCase`,
 * `envName`), `fileFeeder` picking a format by extension, `formatProvenance`,
 * and the duration / size units (`parseDuration`, `parseSize`,
 * `formatDuration`, `formatSize`).
 * Locked: these tests are never modified, only added to.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONFIG_ERRORS,
  Config,
  ConfigError,
  Field,
  Schema,
  Secret,
  constantCase,
  defineSchema,
  envFeeder,
  envName,
  fileFeeder,
  formatDuration,
  formatProvenance,
  formatSize,
  isConfigError,
  loadConfig,
  objectFeeder,
  parseDuration,
  parseSize,
  t,
  type ConfigErrorCode,
} from '@rampart/config';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-l2-api-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

const schema = defineSchema({
  db: t.object({
    host: t.string().default('localhost'),
    port: t.port().default(5432),
    password: t.string().secret(),
  }),
  rps: t.integer().default(100).dynamic(),
});

describe('@rampart/config L2: CONFIG_ERRORS', () => {
  const documented: readonly (readonly [ConfigErrorCode, string])[] = [
    ['CONFIG_ERR_VALIDATION', 'config'],
    ['CONFIG_ERR_SCHEMA', 'config'],
    ['CONFIG_ERR_SOURCE_MISSING', 'config'],
    ['CONFIG_ERR_SOURCE_READ', 'dependency'],
    ['CONFIG_ERR_UNSAFE_KEY', 'security'],
    ['CONFIG_ERR_UNKNOWN_PATH', 'validation'],
    ['CONFIG_ERR_CLOSED', 'lifecycle'],
  ];

  it.each(documented)('%s is a documented code with category %s and a default message', (code, category) => {
    expect(CONFIG_ERRORS[code].category).toBe(category);
    expect(typeof CONFIG_ERRORS[code].message).toBe('string');
    expect(CONFIG_ERRORS[code].message.length).toBeGreaterThan(0);
  });

  it('holds only CONFIG_ERR_ codes', () => {
    expect(Object.keys(CONFIG_ERRORS).filter((code) => !code.startsWith('CONFIG_ERR_'))).toEqual([]);
  });
});

describe('@rampart/config L2: ConfigError', () => {
  it('carries the code, the category of the table, its default message, empty details and issues', () => {
    const error = new ConfigError('CONFIG_ERR_UNKNOWN_TENANT');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('CONFIG_ERR_UNKNOWN_TENANT');
    expect(error.category).toBe('validation');
    expect(error.message).toBe(CONFIG_ERRORS.CONFIG_ERR_UNKNOWN_TENANT.message);
    expect(error.details).toEqual({});
    expect(error.issues).toEqual([]);
    expect(error.status).toBeUndefined();
    expect(isConfigError(error)).toBe(true);
  });

  it('keeps a given message, details, issues and cause', () => {
    const cause = new Error('disk on fire');
    const issue = { path: 'db.port', kind: 'type', expected: 'port', got: '"x"', source: 'env DB__PORT', layer: 'base', message: 'db.port: bad' } as const;
    const error = new ConfigError('CONFIG_ERR_SOURCE_READ', { message: 'cannot read app.yaml', details: { source: 'app.yaml' }, issues: [issue], cause });
    expect(error.message).toBe('cannot read app.yaml');
    expect(error.category).toBe('dependency');
    expect(error.details).toEqual({ source: 'app.yaml' });
    expect(error.issues).toEqual([issue]);
    expect(error.cause).toBe(cause);
  });

  it('is the class of the errors the package throws', async () => {
    const thrown = await rejection(loadConfig(schema, { feeders: [] }));
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).code).toBe('CONFIG_ERR_VALIDATION');
    expect((thrown as ConfigError).issues.map((i) => [i.path, i.kind])).toEqual([['db.password', 'required']]);
    expect(caught(() => fileFeeder('app.toml'))).toBeInstanceOf(ConfigError);
  });
});

describe('@rampart/config L2: Config', () => {
  it('loadConfig resolves to a Config whose get() reads a dotted path', async () => {
    const config = await loadConfig(schema, { feeders: [objectFeeder({ db: { password: 'hunter2', port: 6543 } })] });
    expect(config).toBeInstanceOf(Config);
    expect(config.get('db.port')).toBe(6543);
    expect(config.get('db.host')).toBe('localhost');
    expect(config.get('db')).toEqual({ host: 'localhost', port: 6543, password: expect.any(Secret) });
    const password = config.get('db.password');
    expect(password).toBeInstanceOf(Secret);
    expect((password as Secret).reveal()).toBe('hunter2');
  });

  it('get() and explain() refuse a path that is not a field with CONFIG_ERR_UNKNOWN_PATH', async () => {
    const config = await loadConfig(schema, { feeders: [objectFeeder({ db: { password: 'p' } })] });
    expect((caught(() => config.get('db.nope')) as ConfigError).code).toBe('CONFIG_ERR_UNKNOWN_PATH');
    expect((caught(() => config.explain('nope')) as ConfigError).code).toBe('CONFIG_ERR_UNKNOWN_PATH');
  });

  it('forTenant() gives a Config view of a declared tenant and refuses an undeclared one', async () => {
    const config = await loadConfig(schema, {
      tenants: ['globex'],
      feeders: [objectFeeder({ db: { password: 'p' } }), objectFeeder({ rps: 5 }, { layer: { tenant: 'acme' } })],
    });
    expect(config.tenant).toBeUndefined();
    expect([...config.tenants()].sort()).toEqual(['acme', 'globex']);
    const acme = config.forTenant('acme');
    expect(acme).toBeInstanceOf(Config);
    expect(acme.tenant).toBe('acme');
    expect(acme.value.rps).toBe(5);
    expect(config.forTenant('globex').value.rps).toBe(100);
    expect(config.value.rps).toBe(100);
    const error = caught(() => config.forTenant('initech')) as ConfigError;
    expect(error.code).toBe('CONFIG_ERR_UNKNOWN_TENANT');
    expect(error.category).toBe('validation');
  });

  it('String() and JSON.stringify() show secrets as [redacted]', async () => {
    const config = await loadConfig(schema, { feeders: [objectFeeder({ db: { password: 'hunter2' } })] });
    for (const text of [String(config), `${String(config)}`, JSON.stringify(config)]) {
      expect(text).toContain('[redacted]');
      expect(text).not.toContain('hunter2');
    }
    expect(JSON.parse(JSON.stringify(config))).toEqual({ db: { host: 'localhost', port: 5432, password: '[redacted]' }, rps: 100 });
  });

  it('onChange() and onError() return working unsubscribe functions; a throwing listener is reported as CONFIG_ERR_LISTENER', async () => {
    const values: { rps: number; db: { password: string } } = { rps: 1, db: { password: 'p' } };
    const config = await loadConfig(schema, { feeders: [objectFeeder(() => values)] });
    const seen: string[] = [];
    const errors: string[] = [];
    const offChange = config.onChange((applied) => seen.push(applied.map((c) => `${c.path}=${String(c.next)}`).join(',')));
    const offThrowing = config.onChange(() => {
      throw new Error('listener bug');
    });
    const offError = config.onError((error) => errors.push(error.code));
    values.rps = 2;
    await config.reload();
    expect(seen).toEqual(['rps=2']);
    expect(errors).toEqual(['CONFIG_ERR_LISTENER']);
    offChange();
    offThrowing();
    offError();
    values.rps = 3;
    const result = await config.reload();
    expect(result.applied.map((c) => c.path)).toEqual(['rps']);
    expect(seen).toEqual(['rps=2']);
    expect(errors).toEqual(['CONFIG_ERR_LISTENER']);
    expect(config.value.rps).toBe(3);
    await config.close();
  });
});

describe('@rampart/config L2: Field', () => {
  const kinds = [
    ['string', t.string()],
    ['number', t.number()],
    ['integer', t.integer()],
    ['boolean', t.boolean()],
    ['enum', t.enum(['a', 'b'])],
    ['duration', t.duration()],
    ['size', t.size()],
    ['url', t.url()],
    ['port', t.port()],
    ['array', t.array(t.string())],
    ['object', t.object({ a: t.string() })],
  ] as const;

  it.each(kinds)('t.%s() builds a Field of that kind', (kind, field) => {
    expect(field).toBeInstanceOf(Field);
    expect(field.spec.kind).toBe(kind);
  });

  it('every marker returns a new Field and leaves the original unchanged', () => {
    const base = t.integer();
    const marked = base.default(10).describe('pool size').dynamic().secret();
    expect(marked).toBeInstanceOf(Field);
    expect(marked).not.toBe(base);
    expect(marked.spec).toMatchObject({ kind: 'integer', hasDefault: true, defaultValue: 10, description: 'pool size', dynamic: true, secret: true, optional: false });
    expect(base.spec).toMatchObject({ kind: 'integer', hasDefault: false, description: undefined, dynamic: false, secret: false, optional: false });
    expect(t.string().optional().spec.optional).toBe(true);
  });

  it('validate() rejects a value its check refuses, with the rule message', async () => {
    const s = defineSchema({ poolSize: t.integer().validate((n) => n > 0, 'must be positive') });
    const error = (await rejection(loadConfig(s, { feeders: [objectFeeder({ poolSize: -1 })] }))) as ConfigError;
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.issues.map((i) => [i.path, i.kind])).toEqual([['poolSize', 'constraint']]);
    expect(error.issues[0]?.message).toContain('must be positive');
    expect((await loadConfig(s, { feeders: [objectFeeder({ poolSize: 3 })] })).value.poolSize).toBe(3);
  });

  it('a throwing validate() check fails validation naming only the error class', async () => {
    const s = defineSchema({
      name: t.string().validate((v) => {
        throw new SyntaxError(`cannot parse ${v}`);
      }, 'must parse'),
    });
    const error = (await rejection(loadConfig(s, { feeders: [objectFeeder({ name: 'quoted-value' })] }))) as ConfigError;
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.issues.map((i) => [i.path, i.kind])).toEqual([['name', 'constraint']]);
    expect(error.issues[0]?.message).toContain('validator threw SyntaxError');
    expect(error.issues[0]?.message).not.toContain('cannot parse');
  });
});

describe('@rampart/config L2: Schema', () => {
  it('defineSchema returns a Schema with its shape and an object root Field', () => {
    const shape = { port: t.port().default(8080) };
    const s = defineSchema(shape);
    expect(s).toBeInstanceOf(Schema);
    expect(s.shape.port.spec.kind).toBe('port');
    expect(Object.keys(s.shape)).toEqual(['port']);
    expect(s.root).toBeInstanceOf(Field);
    expect(s.root.spec.kind).toBe('object');
  });

  it('t.object(schema) keeps the nested schema cross-field rules', async () => {
    const limits = defineSchema(
      { min: t.integer().default(1), max: t.integer().default(10) },
      { validate: [(c) => (c.min <= c.max ? undefined : { path: 'max', message: 'max must be >= min' })] },
    );
    const app = defineSchema({ limits: t.object(limits) });
    expect((await loadConfig(app, { feeders: [] })).value.limits).toEqual({ min: 1, max: 10 });
    const error = (await rejection(loadConfig(app, { feeders: [objectFeeder({ limits: { min: 20 } })] }))) as ConfigError;
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.issues.map((i) => [i.path, i.kind])).toEqual([['limits.max', 'cross-field']]);
  });

  it('refuses a reserved key, an empty enum and an invalid default with CONFIG_ERR_SCHEMA', () => {
    const bad: readonly (() => unknown)[] = [
      () => defineSchema({ constructor: t.string() }),
      () => defineSchema({ db: t.object({ prototype: t.string() }) }),
      () => defineSchema({ level: t.enum([] as unknown as ['x']) }),
      () => defineSchema({ port: t.port().default(70_000) }),
    ];
    for (const run of bad) {
      const error = caught(run);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe('CONFIG_ERR_SCHEMA');
      expect((error as ConfigError).category).toBe('config');
    }
  });
});

describe('@rampart/config L2: constantCase and envName', () => {
  it.each([
    ['maxConnections', 'MAX_CONNECTIONS'],
    ['poolSize', 'POOL_SIZE'],
    ['host', 'HOST'],
    ['bodyLimitBytes', 'BODY_LIMIT_BYTES'],
  ] as const)('constantCase(%s) is %s', (key, expected) => {
    expect(constantCase(key)).toBe(expected);
  });

  it('envName joins the constant-cased path with the separator after the prefix', () => {
    expect(envName(['db', 'maxConnections'], { prefix: 'APP_' })).toBe('APP_DB__MAX_CONNECTIONS');
    expect(envName(['db', 'port'])).toBe('DB__PORT');
    expect(envName(['port'])).toBe('PORT');
    expect(envName(['db', 'poolSize'], { prefix: 'APP_', separator: '_' })).toBe('APP_DB_POOL_SIZE');
  });

  it('envFeeder reads the variable envName gives for a path', async () => {
    const naming = { prefix: 'SVC_', separator: '__' };
    const env = { [envName(['db', 'password'], naming)]: 'pw', [envName(['db', 'port'], naming)]: '6000' };
    const config = await loadConfig(schema, { feeders: [envFeeder({ ...naming, env })] });
    expect(config.value.db.port).toBe(6000);
    expect(config.explain('db.port').key).toBe('SVC_DB__PORT');
  });
});

describe('@rampart/config L2: fileFeeder', () => {
  it.each([
    ['config/app.json', 'json'],
    ['config/app.yaml', 'yaml'],
    ['config/app.yml', 'yaml'],
    ['.env', 'dotenv'],
    ['config/.env.local', 'dotenv'],
  ] as const)('fileFeeder(%s) picks the %s feeder with file defaults', (path, kind) => {
    expect(fileFeeder(path)).toMatchObject({ kind, source: path, priority: 100, required: true, layer: 'base' });
  });

  it('refuses an unknown extension with CONFIG_ERR_OPTIONS', () => {
    const error = caught(() => fileFeeder('config/app.toml')) as ConfigError;
    expect(error.code).toBe('CONFIG_ERR_OPTIONS');
    expect(error.category).toBe('config');
  });

  it('loads each format, honours at, prefix and required: false', async () => {
    const json = await file('app.json', '{"db": {"port": 1111, "password": "j"}}');
    const yaml = await file('tenants.yaml', 'acme:\n  db:\n    host: yamlhost\n');
    const dotenv = await file('.env', 'APP_RPS=42\n');
    const config = await loadConfig(schema, {
      feeders: [fileFeeder(json), fileFeeder(yaml, { at: 'acme' }), fileFeeder(dotenv, { prefix: 'APP_' }), fileFeeder(join(dir, 'absent.yaml'), { required: false })],
    });
    expect(config.toJSON()).toEqual({ db: { host: 'yamlhost', port: 1111, password: '[redacted]' }, rps: 42 });
    expect(config.explain('db.port')).toMatchObject({ feeder: 'json', source: json, priority: 100 });
    expect(config.explain('rps')).toMatchObject({ feeder: 'dotenv', source: dotenv, key: 'APP_RPS' });
  });

  it('fails the load on a missing required file with CONFIG_ERR_SOURCE_MISSING', async () => {
    const error = (await rejection(loadConfig(schema, { feeders: [fileFeeder(join(dir, 'missing.json'))] }))) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('CONFIG_ERR_SOURCE_MISSING');
  });

  it('takes priority and layer options', async () => {
    const low = await file('low.json', '{"rps": 1, "db": {"password": "p"}}');
    const high = await file('high.json', '{"rps": 2}');
    const tenant = await file('tenant.json', '{"rps": 3}');
    const config = await loadConfig(schema, {
      feeders: [fileFeeder(high, { priority: 50 }), fileFeeder(low), fileFeeder(tenant, { layer: { tenant: 'acme' } })],
    });
    expect(config.value.rps).toBe(1);
    expect(config.explain('rps').overridden.map((c) => [c.source, c.priority])).toEqual([[high, 50]]);
    expect(config.forTenant('acme').value.rps).toBe(3);
  });
});

describe('@rampart/config L2: formatProvenance', () => {
  it('renders an aligned table of path, value, feeder, source, key and layer, secrets redacted', async () => {
    const config = await loadConfig(schema, { feeders: [envFeeder({ prefix: 'APP_', env: { APP_DB__PASSWORD: 'hunter2', APP_DB__PORT: '6000' } })] });
    const records = config.provenance();
    const text = formatProvenance(records);
    expect(text).not.toContain('hunter2');
    const lines = text.split('\n');
    const header = lines[0] as string;
    expect(header.trim().split(/\s+/)).toEqual(['path', 'value', 'feeder', 'source', 'key', 'layer']);
    const column = (name: string): number => header.indexOf(name);
    for (const record of records) {
      const row = lines.find((line) => line.startsWith(`${record.path} `)) as string;
      expect(row.slice(column('value')).startsWith(record.secret ? '[redacted]' : JSON.stringify(record.value))).toBe(true);
      expect(row.slice(column('feeder')).startsWith(record.feeder)).toBe(true);
      expect(row.slice(column('source')).startsWith(record.source)).toBe(true);
      expect(row.slice(column('key')).startsWith(record.key)).toBe(true);
      expect(row.slice(column('layer')).startsWith(record.layer)).toBe(true);
    }
    const port = lines.find((line) => line.startsWith('db.port ')) as string;
    expect(port.split(/\s+/)).toEqual(['db.port', '6000', 'env', config.explain('db.port').source, 'APP_DB__PORT', 'base']);
    expect(lines.find((line) => line.startsWith('db.password '))?.split(/\s+/).slice(0, 3)).toEqual(['db.password', '[redacted]', 'env']);
  });
});

describe('@rampart/config L2: parseDuration and formatDuration', () => {
  it.each([
    ['500', 500],
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
  ] as const)('parseDuration(%s) is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '30x', '5 minutes', 's30'])('parseDuration(%j) is undefined', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    [90_000, '90s'],
    [500, '500ms'],
    [3_600_000, '1h'],
    [5_400_000, '90m'],
    [86_400_000, '1d'],
    [1_209_600_000, '2w'],
  ] as const)('formatDuration(%i) is %s, the largest unit that divides exactly', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('formatDuration output parses back to the same milliseconds', () => {
    for (const ms of [0, 1, 999, 1_000, 61_000, 3_600_000, 90_061_001]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});

describe('@rampart/config L2: parseSize and formatSize', () => {
  it.each([
    ['512', 512],
    ['512b', 512],
    ['64kb', 65_536],
    ['64kib', 65_536],
    ['10mb', 10_485_760],
    ['10MiB', 10_485_760],
    ['1gib', 1_073_741_824],
  ] as const)('parseSize(%s) is %i bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['', 'big', '10xb', 'mb'])('parseSize(%j) is undefined', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });

  it.each([
    [1_048_576, '1mb'],
    [1024, '1kb'],
    [512, '512b'],
    [1536, '1536b'],
    [1_073_741_824, '1gb'],
  ] as const)('formatSize(%i) is %s, the largest binary unit that divides exactly', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });

  it('formatSize output parses back to the same bytes', () => {
    for (const bytes of [0, 1, 1023, 1024, 65_536, 10_485_760, 3 * 1024 ** 3]) {
      expect(parseSize(formatSize(bytes))).toBe(bytes);
    }
  });
});
