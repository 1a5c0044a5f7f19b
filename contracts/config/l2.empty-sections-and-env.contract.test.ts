/**
 * L2 contract of @rampart/config: empty values.
 * - An optional section written as `{}` (a file, code) is present: its fields
 *   take their defaults, its required fields are reported missing. A section
 *   that no source writes, or writes as `null`, stays absent; a JSON sample
 *   loads back with its optional sections absent.
 * - An empty environment variable (`PORT=`, in the environment or a .env file)
 *   is unset for every type without a blank value: the next source or the
 *   default applies. A string keeps the empty string, an array the empty list.
 *   The empty text in a file is still a value (and a type error for a port).
 * - Number text is parsed in linear time: 100k characters that are not a
 *   number fail validation with CONFIG_ERR_VALIDATION at once.
 * Locked: these tests are never modified, only added to.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, defineSchema, dotenvFeeder, envFeeder, generateSample, jsonFeeder, loadConfig, objectFeeder, t, yamlFeeder } from '@rampart/config';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-contract-config-empty-'));
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

const sections = defineSchema({
  tls: t.object({ cert: t.string().default('c.pem'), port: t.port().default(443) }).optional(),
  auth: t.object({ issuer: t.url(), leewayMs: t.duration().default(1_000) }).optional(),
});

const typed = defineSchema({ port: t.port().default(80), debug: t.boolean().default(false), name: t.string().default('app'), tags: t.array(t.string()).default(['a']) });

describe('@rampart/config L2: empty sections', () => {
  it('an optional section written as {} is present, its fields from their defaults', async () => {
    const path = await file('tls.yaml', 'tls: {}\n');
    const config = await loadConfig(sections, { feeders: [yamlFeeder(path)] });
    expect(config.value).toEqual({ tls: { cert: 'c.pem', port: 443 }, auth: undefined });
    expect(config.explain('tls.port')).toMatchObject({ value: 443, feeder: 'default', source: 'schema' });
    expect(config.explain('auth.leewayMs')).toMatchObject({ value: undefined, feeder: 'unset' });
  });

  it('an optional section written as {} reports its required fields missing', async () => {
    const path = await file('auth.json', '{ "auth": {} }');
    const error = await rejection(loadConfig(sections, { feeders: [jsonFeeder(path)] }));
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.issues.map((i) => [i.path, i.kind])).toEqual([['auth.issuer', 'required']]);
    expect(error.issues[0]?.message).toContain(path);
  });

  it('an optional section written as {} from code is present', async () => {
    const config = await loadConfig(sections, { feeders: [objectFeeder({ tls: {} })] });
    expect(config.value.tls).toEqual({ cert: 'c.pem', port: 443 });
  });

  it('an optional section left out or written as null stays absent', async () => {
    const path = await file('null.yaml', 'tls: null\nauth:\n');
    const config = await loadConfig(sections, { feeders: [yamlFeeder(path), objectFeeder({})] });
    expect(config.value).toEqual({ tls: undefined, auth: undefined });
  });

  it('a JSON sample loads back with its optional sections absent', async () => {
    const path = await file('sample.json', generateSample(sections, 'json'));
    expect((await loadConfig(sections, { feeders: [jsonFeeder(path)] })).value).toEqual({ tls: undefined, auth: undefined });
  });
});

describe('@rampart/config L2: empty environment variables', () => {
  it('an empty variable of a typed field is unset: the default applies', async () => {
    const config = await loadConfig(typed, { feeders: [envFeeder({ env: { PORT: '', DEBUG: '' } })] });
    expect(config.value).toEqual({ port: 80, debug: false, name: 'app', tags: ['a'] });
    expect(config.explain('port')).toMatchObject({ value: 80, feeder: 'default', source: 'schema' });
  });

  it('an empty variable lets a weaker source apply', async () => {
    const path = await file('app.yaml', 'port: 8080\n');
    const config = await loadConfig(typed, { feeders: [yamlFeeder(path), envFeeder({ env: { APP_PORT: '' }, prefix: 'APP_' })] });
    expect(config.value.port).toBe(8080);
    expect(config.explain('port')).toMatchObject({ feeder: 'yaml', source: path });
  });

  it('an empty variable in a .env file is unset', async () => {
    const path = await file('.env', 'PORT=\n');
    expect((await loadConfig(typed, { feeders: [dotenvFeeder(path)] })).value.port).toBe(80);
  });

  it('an empty variable is a value for a string (empty string) and an array (empty list)', async () => {
    const config = await loadConfig(typed, { feeders: [envFeeder({ env: { NAME: '', TAGS: '' } })] });
    expect(config.value.name).toBe('');
    expect(config.value.tags).toEqual([]);
  });

  it('an empty variable leaves a required field missing', async () => {
    const schema = defineSchema({ port: t.port() });
    const error = await rejection(loadConfig(schema, { feeders: [envFeeder({ env: { PORT: '' } })] }));
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.issues.map((i) => [i.path, i.kind])).toEqual([['port', 'required']]);
  });

  it('the empty text in a file is a value, refused for a port', async () => {
    const path = await file('empty.json', '{ "port": "" }');
    const error = await rejection(loadConfig(typed, { feeders: [jsonFeeder(path)] }));
    expect(error.issues.map((i) => [i.path, i.kind])).toEqual([['port', 'type']]);
  });
});

describe('@rampart/config L2: long number text', () => {
  it.each([
    ['digits then a letter', `${'1'.repeat(100_000)}x`],
    ['digits, a dot, digits then a letter', `${'1'.repeat(50_000)}.${'1'.repeat(50_000)}x`],
  ])('refuses 100k characters of %s with CONFIG_ERR_VALIDATION at once', async (_, text) => {
    const schema = defineSchema({ port: t.port().default(80), ratio: t.number().default(1) });
    const started = performance.now();
    const error = await rejection(loadConfig(schema, { feeders: [envFeeder({ env: { PORT: text, RATIO: text } })] }));
    // Not a benchmark: a linear parse takes about a millisecond here, the quadratic one it replaced
    // took seconds (about 20 s for the first row), so a 1 s bound fails only on super-linear
    // parsing, even on a slow CI runner.
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.issues.map((i) => [i.path, i.kind, i.source])).toEqual([
      ['port', 'type', 'env PORT'],
      ['ratio', 'type', 'env RATIO'],
    ]);
  });
});
