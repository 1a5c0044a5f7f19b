/**
 * Regressions found in review:
 * - a file feeder with `at` returned its sub-tree without a key map, so
 *   explain() and validation issues named `port` for a value read from
 *   `acme.port`, a key that in the file holds another value;
 * - JSON array text in an env variable or .env file kept a `__proto__` key
 *   out of the config silently, where every other source refuses it with
 *   CONFIG_ERR_UNSAFE_KEY;
 * - a custom feeder whose `keys` is not a Map crashed with a TypeError.
 */
import { describe, expect, it } from 'vitest';
import { t } from '../../src/builders.ts';
import type { ConfigError } from '../../src/errors.ts';
import { envFeeder } from '../../src/feeders/env.ts';
import { defineFeeder } from '../../src/feeders/feeder.ts';
import { yamlFeeder } from '../../src/feeders/files.ts';
import { loadConfig } from '../../src/load.ts';
import { defineSchema } from '../../src/schema.ts';
import { rejection, tempFolder } from './support.ts';

const folder = tempFolder('rampart-config-keys-');

describe('a sub-tree taken with `at` keeps its keys’ place in the file', () => {
  const schema = defineSchema({ port: t.port(), db: t.object({ host: t.string() }).optional() });

  it('explains a value by its full key', async () => {
    const path = await folder.write('tenants.yaml', 'port: 1\nacme:\n  port: 2\n');
    const config = await loadConfig(schema, { feeders: [yamlFeeder(path, { at: 'acme' })] });
    expect(config.explain('port')).toMatchObject({ value: 2, feeder: 'yaml', source: path, key: 'acme.port' });
  });

  it('names the full key in a type issue and where a scalar stands for an object', async () => {
    const path = await folder.write('bad.yaml', 'port: 1\nacme:\n  port: many\n  db: 5\n');
    const error = await rejection(loadConfig(schema, { feeders: [yamlFeeder(path, { at: 'acme' })] }));
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.issues.map((issue) => [issue.path, issue.source])).toEqual([
      ['db', `yaml ${path} at acme.db`],
      ['port', `yaml ${path} at acme.port`],
    ]);
  });
});

describe('JSON array text from the environment', () => {
  const schema = defineSchema({ items: t.array(t.object({ n: t.integer() })) });

  it('refuses a __proto__ key with CONFIG_ERR_UNSAFE_KEY, naming the variable', async () => {
    const env = { APP_ITEMS: '[{"n": 1, "__proto__": {"polluted": true}}]' };
    const error = await rejection(loadConfig(schema, { feeders: [envFeeder({ prefix: 'APP_', env })] }));
    expect(error.code).toBe('CONFIG_ERR_UNSAFE_KEY');
    expect(error.message).toBe('env APP_ITEMS: JSON array text: refused key "0.__proto__" (prototype pollution attempt)');
    expect(error.details).toEqual({ source: 'env APP_ITEMS', path: 'items' });
    expect((error.cause as ConfigError).code).toBe('CONFIG_ERR_UNSAFE_KEY');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('still reads clean JSON array text', async () => {
    const config = await loadConfig(schema, { feeders: [envFeeder({ prefix: 'APP_', env: { APP_ITEMS: '[{"n": 1}, {"n": "2"}]' } })] });
    expect(config.value.items).toEqual([{ n: 1 }, { n: 2 }]);
  });
});

describe('a custom feeder’s key map', () => {
  it('must be a Map: anything else is CONFIG_ERR_FEEDER, not a TypeError', async () => {
    const schema = defineSchema({ port: t.port() });
    const feeder = defineFeeder({ kind: 'vault', source: 'vault://x', load: () => ({ values: { port: 1 }, keys: { port: 'kv#port' } as never }) });
    const error = await rejection(loadConfig(schema, { feeders: [feeder] }));
    expect([error.code, error.message, error.details]).toEqual(['CONFIG_ERR_FEEDER', 'feeder vault (vault://x) returned keys that are not a Map', { source: 'vault://x' }]);
  });
});
