import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from './builders.ts';
import type { ConfigError } from './errors.ts';
import { envFeeder } from './feeders/env.ts';
import { defineFeeder } from './feeders/feeder.ts';
import { dotenvFeeder, jsonFeeder, yamlFeeder } from './feeders/files.ts';
import { objectFeeder } from './feeders/object.ts';
import { loadConfig } from './load.ts';
import { formatProvenance } from './provenance.ts';
import { generateSample } from './sample.ts';
import { defineSchema } from './schema.ts';

const SECRET = 'hunter2-s3cr3t';
const schema = defineSchema({
  db: t.object({ host: t.string().default('h'), password: t.string().secret().dynamic() }),
  apiKeys: t.array(t.string()).secret().default([]),
  creds: t.object({ user: t.string().default('u'), token: t.string().default('t') }).secret(),
  pin: t.integer().secret().default(1),
});

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-sec-'));
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

function everyRendering(value: unknown): string[] {
  return [String(value), `${value as string}`, JSON.stringify(value), inspect(value, { depth: 10, showHidden: true }), format('%s %o %O %j', value, value, value, value)];
}

describe('secret redaction across every output path', () => {
  it('never shows a secret in the value, config, provenance, tables or samples', async () => {
    const config = await loadConfig(schema, {
      feeders: [objectFeeder({ db: { password: SECRET }, apiKeys: [SECRET], creds: { token: SECRET }, pin: 987_654 })],
    });
    const outputs = [
      ...everyRendering(config),
      ...everyRendering(config.value),
      ...everyRendering(config.value.db.password),
      ...everyRendering(config.get('db.password')),
      ...everyRendering(config.get('creds.token')),
      ...everyRendering(config.explain('db.password')),
      ...everyRendering(config.provenance()),
      formatProvenance(config.provenance()),
      JSON.stringify(config.toJSON()),
      generateSample(defineSchema({ k: t.string().secret().default(SECRET) }), 'yaml'),
      generateSample(defineSchema({ k: t.string().secret().default(SECRET) }), 'json'),
      generateSample(defineSchema({ k: t.string().secret().default(SECRET) }), 'env'),
    ];
    for (const output of outputs) {
      expect(output).not.toContain(SECRET);
      expect(output).not.toContain('987654');
    }
    expect(config.value.db.password.reveal()).toBe(SECRET);
    expect(config.value.creds.reveal().token).toBe(SECRET);
  });

  it('never shows a secret in validation errors, from any feeder', async () => {
    const typed = defineSchema({ pin: t.integer().secret(), key: t.string().secret().validate((v) => v.length > 40, 'too short') });
    const yaml = await file('secret.yaml', `pin: ${SECRET}\nkey: ${SECRET}\n`);
    for (const feeders of [[envFeeder({ env: { PIN: SECRET, KEY: SECRET } })], [yamlFeeder(yaml)], [objectFeeder({ pin: SECRET, key: SECRET })]]) {
      const error = await rejection(loadConfig(typed, { feeders }));
      expect(error.issues.map((i) => i.got)).toEqual(['[redacted]', '[redacted]']);
      for (const output of [error.message, error.stack ?? '', inspect(error, { depth: 10 }), JSON.stringify(error.issues)]) expect(output).not.toContain(SECRET);
    }
  });

  it('never shows a secret in reload changes or parse errors', async () => {
    let password = 'first-secret';
    const config = await loadConfig(schema, { feeders: [objectFeeder(() => ({ db: { password }, creds: {} }))] });
    password = SECRET;
    const result = await config.reload();
    for (const output of everyRendering(result)) expect(output).not.toContain(SECRET);
    const bad = await file('bad.json', `{"db": {"password": ${SECRET}}}`);
    const error = await rejection(loadConfig(schema, { feeders: [jsonFeeder(bad)] }));
    expect(error.code).toBe('CONFIG_ERR_PARSE');
    expect(inspect(error)).not.toContain(SECRET);
  });
});

describe('secrets held inside a field (array items, fields of objects in arrays)', () => {
  const held = defineSchema({
    tokens: t.array(t.string().secret()).dynamic(),
    clients: t.array(t.object({ id: t.string(), key: t.string().secret() })).default([]),
    // Raw items, as the default is checked and wrapped like a source value (the declared type says Secret items).
    pins: t.array(t.integer().secret()).default([1]),
  });

  it('never shows one in provenance, errors, reload changes or samples', async () => {
    let tokens = `${SECRET},def`;
    const env = { get TOKENS() { return tokens; }, CLIENTS: `[{"id":"a","key":"${SECRET}"}]` };
    const config = await loadConfig(held, { feeders: [objectFeeder({ tokens: [SECRET] }, { priority: 1 }), envFeeder({ env })] });
    tokens = `${SECRET}-next`;
    const result = await config.reload();
    const error = await rejection(loadConfig(held, { feeders: [envFeeder({ env: { TOKENS: SECRET, PINS: `1,${SECRET}` } })] }));
    const outputs = [
      ...everyRendering(config),
      ...everyRendering(config.explain('tokens')),
      ...everyRendering(config.explain('clients')),
      ...everyRendering(config.provenance()),
      formatProvenance(config.provenance()),
      ...everyRendering(result),
      error.message,
      inspect(error, { depth: 10 }),
      JSON.stringify(error.issues),
      ...(['yaml', 'json', 'env'] as const).map((f) => generateSample(defineSchema({ k: t.array(t.string().secret()).default([SECRET]) }), f)),
    ];
    for (const output of outputs) expect(output).not.toContain(SECRET);
    expect(error.issues.map((i) => [i.path, i.got])).toEqual([['pins.1', '[redacted]']]);
    expect(config.value.tokens.map((token) => token.reveal())).toEqual([`${SECRET}-next`]);
  });
});

describe('prototype pollution through every feeder', () => {
  const probe = defineSchema({ name: t.string().default('n'), db: t.object({ port: t.port().default(1) }) });
  const clean = () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  };

  it.each([
    ['JSON __proto__', 'p1.json', '{"__proto__": {"polluted": true}}', 'p1.json: refused key "__proto__" (prototype pollution attempt)'],
    ['JSON constructor.prototype', 'p2.json', '{"db": {"constructor": {"prototype": {"polluted": true}}}}', 'p2.json: refused key "db.constructor" (prototype pollution attempt)'],
    ['YAML __proto__', 'p3.yaml', '__proto__:\n  polluted: true\n', 'p3.yaml: refused key "__proto__" (prototype pollution attempt)'],
    ['YAML nested prototype', 'p4.yaml', 'db:\n  prototype:\n    polluted: true\n', 'p4.yaml: refused key "db.prototype" (prototype pollution attempt)'],
  ])('refuses %s with CONFIG_ERR_UNSAFE_KEY', async (_label, name, text, message) => {
    const path = await file(name, text);
    const feeder = name.endsWith('.json') ? jsonFeeder(path) : yamlFeeder(path);
    const error = await rejection(loadConfig(probe, { feeders: [feeder] }));
    expect(error.code).toBe('CONFIG_ERR_UNSAFE_KEY');
    expect(error.message).toBe(`${join(dir, message)}`);
    clean();
  });

  it('refuses programmatic and custom-feeder objects carrying unsafe keys', async () => {
    const programmatic = JSON.parse('{"db": {"__proto__": {"polluted": true}}}') as object;
    expect((await rejection(loadConfig(probe, { feeders: [objectFeeder(programmatic)] }))).message).toBe(
      'programmatic: refused key "db.__proto__" (prototype pollution attempt)',
    );
    const custom = defineFeeder({ kind: 'vault', source: 'vault://x', load: () => ({ values: JSON.parse('{"constructor": {"prototype": {"polluted": 1}}}') as object }) });
    expect((await rejection(loadConfig(probe, { feeders: [custom] }))).code).toBe('CONFIG_ERR_UNSAFE_KEY');
    clean();
  });

  it('env and .env names never become keys: hostile names are inert', async () => {
    const hostile = { __proto__: 'x', ___PROTO__: 'x', __PROTO____POLLUTED: 'true', CONSTRUCTOR__PROTOTYPE__POLLUTED: 'true', NAME: 'ok' };
    const fromEnv = await loadConfig(probe, { feeders: [envFeeder({ env: JSON.parse(JSON.stringify(hostile)) as Record<string, string> })] });
    expect(fromEnv.value).toEqual({ name: 'ok', db: { port: 1 } });
    const dotenv = await file('.env', '__proto__=x\n__PROTO____POLLUTED=true\nCONSTRUCTOR__PROTOTYPE__POLLUTED=true\nNAME=ok\n');
    const fromDotenv = await loadConfig(probe, { feeders: [dotenvFeeder(dotenv)] });
    expect(fromDotenv.value).toEqual({ name: 'ok', db: { port: 1 } });
    clean();
  });
});
