import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigError } from '../errors.ts';
import { constantCase, envName } from './env-names.ts';
import { envFeeder } from './env.ts';
import type { FeederContext, FeederData } from './feeder.ts';
import { defineFeeder, layerName, PRIORITY } from './feeder.ts';
import { dotenvFeeder, fileFeeder, jsonFeeder, yamlFeeder } from './files.ts';
import { objectFeeder } from './object.ts';

const context: FeederContext = {
  fields: [
    { path: ['port'], key: 'port' },
    { path: ['db', 'maxConnections'], key: 'db.maxConnections' },
  ],
};
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-feeders-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function rejection(promise: unknown): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a rejection');
}

describe('env naming', () => {
  it('derives constant-case names with prefix and separator', () => {
    expect(constantCase('maxConnections')).toBe('MAX_CONNECTIONS');
    expect(constantCase('http2-enabled')).toBe('HTTP2_ENABLED');
    expect(envName(['db', 'maxConnections'])).toBe('DB__MAX_CONNECTIONS');
    expect(envName(['db', 'port'], { prefix: 'APP_', separator: '_' })).toBe('APP_DB_PORT');
    expect(constantCase('http--port')).toBe('HTTP_PORT');
  });
});

describe('envFeeder', () => {
  it('reads the variables named after schema paths, and records those names', async () => {
    const feeder = envFeeder({ prefix: 'APP_', env: { APP_PORT: '80', APP_DB__MAX_CONNECTIONS: '5', OTHER: 'x', APP_UNUSED: 'y' } });
    const data = (await feeder.load(context)) as FeederData;
    expect(data.values).toEqual({ port: '80', db: { maxConnections: '5' } });
    expect([...(data.keys ?? [])]).toEqual([
      ['port', 'APP_PORT'],
      ['db.maxConnections', 'APP_DB__MAX_CONNECTIONS'],
    ]);
    expect(feeder).toMatchObject({ kind: 'env', source: 'env', priority: PRIORITY.env, required: false, layer: 'base' });
  });

  it('defaults to process.env, read at each load', async () => {
    const feeder = envFeeder({ prefix: 'RAMPART_FEEDER_TEST_' });
    expect(feeder.source).toBe('process.env');
    process.env.RAMPART_FEEDER_TEST_PORT = '1';
    try {
      expect(((await feeder.load(context)) as FeederData).values).toEqual({ port: '1' });
    } finally {
      delete process.env.RAMPART_FEEDER_TEST_PORT;
    }
    expect(((await feeder.load(context)) as FeederData).values).toEqual({});
  });

  it('skips variables that exist with an undefined value', async () => {
    const data = (await envFeeder({ env: { PORT: undefined } }).load(context)) as FeederData;
    expect(Object.keys(data.values as object)).toEqual([]);
    expect(data.keys?.size).toBe(0);
  });

  it('ignores inherited variables: only own names count', async () => {
    const data = (await envFeeder({ env: Object.create({ PORT: '80' }) as Record<string, string> }).load(context)) as FeederData;
    expect(Object.keys(data.values as object)).toEqual([]);
  });
});

describe('file feeders', () => {
  it('reads JSON and YAML files, absolute watch path, file priority, required by default', async () => {
    const json = jsonFeeder(await file('a.json', '{"port": 1}'));
    const yaml = yamlFeeder(await file('a.yaml', 'port: 2\ndb:\n  maxConnections: 3\n'), { priority: 7, layer: { instance: 'w' } });
    expect(await json.load(context)).toEqual({ values: { port: 1 } });
    expect(await yaml.load(context)).toEqual({ values: { port: 2, db: { maxConnections: 3 } } });
    expect(json).toMatchObject({ kind: 'json', priority: PRIORITY.file, required: true, layer: 'base', watchPath: resolve(dir, 'a.json') });
    expect(yaml).toMatchObject({ kind: 'yaml', priority: 7, layer: { instance: 'w' } });
  });

  it('treats an empty file as an empty object', async () => {
    expect(await yamlFeeder(await file('empty.yaml', '  \n')).load(context)).toEqual({ values: {} });
  });

  it('returns undefined for a missing file (unavailable), whatever required says', async () => {
    expect(await jsonFeeder(join(dir, 'nope.json')).load(context)).toBeUndefined();
    expect(await yamlFeeder(join(dir, 'nodir', 'x.yaml'), { required: false }).load(context)).toBeUndefined();
    expect(await dotenvFeeder(join(dir, 'nope.env')).load(context)).toBeUndefined();
    expect(await jsonFeeder(join(await file('plain', 'x'), 'child.json')).load(context)).toBeUndefined();
  });

  it('reports an unreadable source with CONFIG_ERR_SOURCE_READ', async () => {
    await mkdir(join(dir, 'adir.json'));
    const error = await rejection(jsonFeeder(join(dir, 'adir.json')).load(context));
    expect(error.code).toBe('CONFIG_ERR_SOURCE_READ');
    expect(error.message).toBe(`cannot read ${join(dir, 'adir.json')}`);
    expect(error.details).toEqual({ source: join(dir, 'adir.json') });
    expect((error.cause as NodeJS.ErrnoException).code).toBe('EISDIR');
  });

  it('reports parse errors by position only, never quoting content', async () => {
    const badJson = await file('bad.json', '{"password": hunter2}');
    const jsonError = await rejection(jsonFeeder(badJson).load(context));
    expect(jsonError.code).toBe('CONFIG_ERR_PARSE');
    expect(jsonError.message).toBe(`${badJson}: not valid JSON`);
    expect(jsonError.cause).toBeUndefined();
    const badYaml = await file('bad.yaml', 'password: hunter2\n  bad: [\n');
    const yamlError = await rejection(yamlFeeder(badYaml).load(context));
    expect(yamlError.code).toBe('CONFIG_ERR_PARSE');
    expect(yamlError.message).toMatch(new RegExp(`^${badYaml.replaceAll('.', '\\.')}: not valid YAML \\(line \\d+, column \\d+\\)$`));
    expect(yamlError.message).not.toContain('hunter2');
  });

  it('refuses a YAML alias bomb as a parse error without a position', async () => {
    // Each level multiplies the previous one tenfold: yaml's alias budget stops it before expansion.
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 6; i += 1) {
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    }
    const path = await file('bomb.yaml', `${levels.join('\n')}\n`);
    const error = await rejection(yamlFeeder(path).load(context));
    expect(error.code).toBe('CONFIG_ERR_PARSE');
    expect(error.message).toBe(`${path}: not valid YAML`);
    expect(error.details).toEqual({ source: path });
  });

  it('selects a sub-tree with `at`, empty when the path is absent', async () => {
    const path = await file('tenants.yaml', 'acme:\n  port: 9\nglobex: 5\n');
    expect(await yamlFeeder(path, { at: 'acme' }).load(context)).toEqual({ values: { port: 9 }, keys: new Map([['port', 'acme.port']]) });
    expect(await yamlFeeder(path, { at: 'initech.x' }).load(context)).toEqual({ values: {}, keys: new Map() });
    expect(await yamlFeeder(path, { at: 'globex.port' }).load(context)).toEqual({ values: {}, keys: new Map() });
    // Through null or a string (whose `length` is an own property) there is no sub-tree either.
    const odd = await file('odd.yaml', 'gone: null\nname: abc\n');
    expect(await yamlFeeder(odd, { at: 'gone.port' }).load(context)).toEqual({ values: {}, keys: new Map() });
    expect(await yamlFeeder(odd, { at: 'name.length' }).load(context)).toEqual({ values: {}, keys: new Map() });
  });

  it('names the full key in the file for a sub-tree taken with `at`, nested keys included, arrays as leaves', async () => {
    const path = await file('deep.yaml', 'port: 1\nacme:\n  port: 2\n  db:\n    hosts: [a, b]\n    tls: null\n');
    const data = (await yamlFeeder(path, { at: 'acme' }).load(context)) as FeederData;
    expect([...(data.keys as Map<string, string>)]).toEqual([
      ['port', 'acme.port'],
      ['db', 'acme.db'],
      ['db.hosts', 'acme.db.hosts'],
      ['db.tls', 'acme.db.tls'],
    ]);
    // A sub-tree that is null or a scalar holds no keys.
    const odd = await file('odd-at.yaml', 'gone: null\nname: abc\n');
    expect(await yamlFeeder(odd, { at: 'gone' }).load(context)).toEqual({ values: null, keys: new Map() });
    expect(await yamlFeeder(odd, { at: 'name' }).load(context)).toEqual({ values: 'abc', keys: new Map() });
  });

  it('reads a JSON file that starts with a byte order mark', async () => {
    const path = await file('bom.json', '\uFEFF{"port": 8080}');
    expect(await jsonFeeder(path).load(context)).toEqual({ values: { port: 8080 } });
    // Only a leading mark is dropped: one inside the text is still not JSON.
    const inner = await file('inner-bom.json', '{"port": 8080}\uFEFF');
    expect((await rejection(jsonFeeder(inner).load(context))).code).toBe('CONFIG_ERR_PARSE');
  });

  it('refuses a YAML warning (an unknown tag) by code and position, without quoting the value or warning on stderr', async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error): void => void warnings.push(warning);
    process.on('warning', listen);
    try {
      const path = await file('tagged.yaml', 'db:\n  password: !vault hunter2-S3CRET\n');
      const error = await rejection(yamlFeeder(path).load(context));
      expect(error.code).toBe('CONFIG_ERR_PARSE');
      expect(error.message).toBe(`${path}: not valid YAML (TAG_RESOLVE_FAILED at line 2, column 13)`);
      const directive = await file('directive.yaml', '%FOO bar\n---\nport: 1\n');
      expect((await rejection(yamlFeeder(directive).load(context))).message).toMatch(/: not valid YAML \(BAD_DIRECTIVE at line 1, column \d+\)$/);
      // process.emitWarning delivers on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', listen);
    }
  });

  it('reads .env files with env naming and never touches process.env', async () => {
    const path = await file('.env', 'APP_PORT=81\nAPP_DB__MAX_CONNECTIONS="9"\n# comment\nAPP_OTHER=1\n');
    const data = (await dotenvFeeder(path, { prefix: 'APP_' }).load(context)) as FeederData;
    expect(data.values).toEqual({ port: '81', db: { maxConnections: '9' } });
    expect(data.keys?.get('port')).toBe('APP_PORT');
    expect(process.env.APP_PORT).toBeUndefined();
    expect(dotenvFeeder(path)).toMatchObject({ kind: 'dotenv', source: path, priority: PRIORITY.file, required: true, layer: 'base', watchPath: resolve(path) });
    expect(dotenvFeeder(path, { required: false, priority: 3, layer: { tenant: 't' } })).toMatchObject({ required: false, priority: 3, layer: { tenant: 't' } });
  });

  it('fileFeeder picks the format by extension', () => {
    expect(fileFeeder('x.JSON').kind).toBe('json');
    expect(fileFeeder('x.yml').kind).toBe('yaml');
    expect(fileFeeder('conf/app.yaml').kind).toBe('yaml');
    expect(fileFeeder('.env').kind).toBe('dotenv');
    expect(fileFeeder('conf/.env.local').kind).toBe('dotenv');
    expect(fileFeeder('prod.env').kind).toBe('dotenv');
    expect(fileFeeder('.env.local').kind).toBe('dotenv');
    expect(() => fileFeeder('conf/.env.d/app.toml')).toThrow('cannot tell the format of conf/.env.d/app.toml');
    let error: ConfigError | undefined;
    try {
      fileFeeder('x.toml');
    } catch (thrown) {
      error = thrown as ConfigError;
    }
    expect(error?.code).toBe('CONFIG_ERR_OPTIONS');
    expect(error?.message).toBe('cannot tell the format of x.toml (use .json, .yaml, .yml or .env)');
    expect(error?.details).toEqual({ source: 'x.toml' });
  });
});

describe('objectFeeder and defineFeeder', () => {
  it('supplies an object or a function result at each load', async () => {
    let port = 1;
    const fn = objectFeeder(() => ({ port }), { source: 'cli', priority: 5 });
    expect(await fn.load(context)).toEqual({ values: { port: 1 } });
    port = 2;
    expect(await fn.load(context)).toEqual({ values: { port: 2 } });
    expect(fn).toMatchObject({ kind: 'object', source: 'cli', priority: 5, required: false, layer: 'base' });
    expect(objectFeeder({ a: 1 })).toMatchObject({ source: 'programmatic', priority: PRIORITY.programmatic });
  });

  it('defineFeeder fills defaults', () => {
    const load = () => ({ values: {} });
    expect(defineFeeder({ kind: 'vault', source: 'vault://x', load })).toEqual({ kind: 'vault', source: 'vault://x', load, priority: 100, required: true, layer: 'base' });
    expect(defineFeeder({ kind: 'v', source: 's', load, priority: 1, required: false }).required).toBe(false);
  });

  it('names layers', () => {
    expect(layerName('base')).toBe('base');
    expect(layerName({ instance: 'w1' })).toBe('instance:w1');
    expect(layerName({ tenant: 'acme' })).toBe('tenant:acme');
  });
});
