/**
 * L2 contract of @rampart/config: how sources that are odd or hostile are read.
 * - A YAML warning (an unknown tag such as `!vault`, an unknown directive) is
 *   refused with CONFIG_ERR_PARSE by yaml's code and position: never read as
 *   plain text, never quoted, never printed as a process warning.
 * - A JSON file may start with a byte order mark.
 * - A file feeder with `at` names each value's full key in the file.
 * - JSON array text in the environment refuses a `__proto__` key with
 *   CONFIG_ERR_UNSAFE_KEY, naming the variable.
 * - A default resolves as the same value from a source would (coerced, its
 *   object fields completed from their own defaults).
 * - Malformed feeders (layer, required) and options (tenants, instance) are
 *   refused with CONFIG_ERR_OPTIONS.
 * Locked: these tests are never modified, only added to.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, defineSchema, envFeeder, jsonFeeder, loadConfig, objectFeeder, t, yamlFeeder } from '@rampart/config';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-contract-config-sources-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const schema = defineSchema({ port: t.port().default(80), db: t.object({ password: t.string().secret() }).optional() });

describe('@rampart/config L2: odd and hostile sources', () => {
  it('refuses a YAML unknown tag by code and position, quoting nothing and printing no warning', async () => {
    const seen: Error[] = [];
    const listen = (warning: Error): void => void seen.push(warning);
    process.on('warning', listen);
    try {
      const path = await file('tagged.yaml', 'db:\n  password: !vault hunter2-S3CRET\n');
      const error = await rejection(loadConfig(schema, { feeders: [yamlFeeder(path)] }));
      expect(error.code).toBe('CONFIG_ERR_PARSE');
      expect(error.message).toBe(`${path}: not valid YAML (TAG_RESOLVE_FAILED at line 2, column 13)`);
      expect(JSON.stringify({ ...error, message: error.message })).not.toContain('hunter2');
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toEqual([]);
    } finally {
      process.off('warning', listen);
    }
  });

  it('reads a JSON file that starts with a byte order mark', async () => {
    const path = await file('bom.json', '\uFEFF{"port": 8080}');
    expect((await loadConfig(schema, { feeders: [jsonFeeder(path)] })).value.port).toBe(8080);
  });

  it('explains a value read through `at` by its full key in the file', async () => {
    const path = await file('tenants.yaml', 'port: 1\nacme:\n  port: 2\n');
    const config = await loadConfig(schema, { feeders: [yamlFeeder(path, { at: 'acme' })] });
    expect(config.explain('port')).toMatchObject({ value: 2, source: path, key: 'acme.port' });
  });

  it('refuses a __proto__ key in JSON array text from the environment, naming the variable', async () => {
    const items = defineSchema({ items: t.array(t.object({ n: t.integer() })) });
    const env = { APP_ITEMS: '[{"n": 1, "__proto__": {"polluted": true}}]' };
    const error = await rejection(loadConfig(items, { feeders: [envFeeder({ prefix: 'APP_', env })] }));
    expect(error.code).toBe('CONFIG_ERR_UNSAFE_KEY');
    expect(error.category).toBe('security');
    expect(error.message).toContain('env APP_ITEMS');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('resolves a default as a source value would: item fields completed from their own defaults', async () => {
    const backends = defineSchema({ backends: t.array(t.object({ host: t.string(), port: t.port().default(80).optional() })).default([{ host: 'a', port: undefined }]) });
    const fromDefault = await loadConfig(backends, { feeders: [] });
    const fromSource = await loadConfig(backends, { feeders: [objectFeeder({ backends: [{ host: 'a' }] })] });
    expect(fromDefault.value.backends).toEqual([{ host: 'a', port: 80 }]);
    expect(fromDefault.value.backends).toEqual(fromSource.value.backends);
  });

  it('refuses a feeder with a malformed layer or required, and malformed tenants or instance, with CONFIG_ERR_OPTIONS', async () => {
    const values = { db: { password: 'p' } };
    for (const broken of [{ layer: 'tenant' }, { layer: { region: 'eu' } }, { required: 'yes' }]) {
      const error = await rejection(loadConfig(schema, { feeders: [{ ...objectFeeder(values), ...broken } as never] }));
      expect(error.code).toBe('CONFIG_ERR_OPTIONS');
    }
    expect((await rejection(loadConfig(schema, { feeders: [objectFeeder(values)], tenants: 'acme' as never }))).code).toBe('CONFIG_ERR_OPTIONS');
    expect((await rejection(loadConfig(schema, { feeders: [objectFeeder(values)], instance: 1 as never }))).code).toBe('CONFIG_ERR_OPTIONS');
  });
});
