/**
 * Regression: an environment variable set to nothing (`PORT=`, as docker compose
 * `.env` files and Kubernetes manifests clear a value) failed the load with
 * `expected port (integer 0-65535), got ""` instead of reading as unset. A blank
 * variable is now unset for every field whose type has no blank value, so the next
 * source or the default applies; a string keeps the empty string (a value), an
 * array the empty list. Only env text: `port: ""` in a file is still a type error.
 */
import { describe, expect, it } from 'vitest';
import { t } from '../../src/builders.ts';
import { envFeeder } from '../../src/feeders/env.ts';
import { dotenvFeeder, yamlFeeder } from '../../src/feeders/files.ts';
import { objectFeeder } from '../../src/feeders/object.ts';
import { loadConfig } from '../../src/load.ts';
import { defineSchema } from '../../src/schema.ts';
import { byDefault } from './records.ts';
import { rejection, tempFolder } from './support.ts';

const files = tempFolder('rampart-config-empty-env-');

const schema = defineSchema({
  port: t.port().default(80),
  ratio: t.number().default(0.5),
  workers: t.integer().default(4),
  debug: t.boolean().default(false),
  timeout: t.duration().default(30_000),
  limit: t.size().default(1024),
  home: t.url().default('https://a.test'),
  level: t.enum(['info', 'debug']).default('info'),
});
const DEFAULTS = { port: 80, ratio: 0.5, workers: 4, debug: false, timeout: 30_000, limit: 1024, home: 'https://a.test', level: 'info' };
const NAMES = ['PORT', 'RATIO', 'WORKERS', 'DEBUG', 'TIMEOUT', 'LIMIT', 'HOME', 'LEVEL'];

describe('an empty environment variable', () => {
  it.each([
    ['empty', ''],
    ['blank', '  '],
  ])('is unset (%s) for every type without a blank value: the defaults apply', async (_, text) => {
    const env = Object.fromEntries(NAMES.map((name) => [name, text]));
    const config = await loadConfig(schema, { feeders: [envFeeder({ env })] });
    expect(config.value).toEqual(DEFAULTS);
    expect(config.explain('port')).toEqual(byDefault('port', 80));
  });

  it('lets the next source apply, which provenance names', async () => {
    const path = await files.write('app.yaml', 'port: 8080\n');
    const config = await loadConfig(schema, { feeders: [yamlFeeder(path), envFeeder({ env: { PORT: '' } })] });
    expect(config.value.port).toBe(8080);
    expect(config.explain('port')).toMatchObject({ feeder: 'yaml', source: path, key: 'port', value: 8080, overridden: [] });
  });

  it('is unset in a .env file too', async () => {
    const path = await files.write('.env', 'APP_PORT=\nAPP_DEBUG=\n');
    const config = await loadConfig(schema, { feeders: [dotenvFeeder(path, { prefix: 'APP_' })] });
    expect(config.value).toEqual(DEFAULTS);
  });

  it('keeps a value for a string (the empty string), an array (the empty list) and an enum that lists ""', async () => {
    const texts = defineSchema({ name: t.string().default('x'), tags: t.array(t.string()).default(['a']), mode: t.enum(['', 'gzip']).default('gzip') });
    const config = await loadConfig(texts, { feeders: [envFeeder({ env: { NAME: '', TAGS: '', MODE: '' } })] });
    expect(config.value).toEqual({ name: '', tags: [], mode: '' });
    expect(config.explain('name')).toMatchObject({ feeder: 'env', key: 'NAME', value: '' });
  });

  it('leaves a required field missing, and the message says the variable was empty', async () => {
    const required = defineSchema({ port: t.port() });
    const error = await rejection(loadConfig(required, { feeders: [envFeeder({ env: { PORT: '' } })] }));
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.issues.map((i) => [i.path, i.kind, i.source, i.message])).toEqual([
      ['port', 'required', 'no source', 'port: is required (port (integer 0-65535)) but no source supplied it (from no source; env PORT is empty, read as unset)'],
    ]);
  });

  it('is a value, not unset, when a file or code gives the empty text (only env text is read that way)', async () => {
    const path = await files.write('empty.yaml', 'port: ""\n');
    const fromFile = await rejection(loadConfig(schema, { feeders: [yamlFeeder(path)] }));
    expect(fromFile.issues.map((i) => [i.path, i.kind, i.got])).toEqual([['port', 'type', '""']]);
    const fromCode = await rejection(loadConfig(schema, { feeders: [objectFeeder({ port: '' })] }));
    expect(fromCode.issues.map((i) => [i.path, i.kind])).toEqual([['port', 'type']]);
  });
});
