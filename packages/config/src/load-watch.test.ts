import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { t } from './builders.ts';
import { ConfigError } from './errors.ts';
import { jsonFeeder, yamlFeeder } from './feeders/files.ts';
import { objectFeeder } from './feeders/object.ts';
import { loadConfig } from './load.ts';
import { defineSchema } from './schema.ts';
import { watchFiles } from './watcher.ts';
import type * as WatcherModule from './watcher.ts';

// The real watcher, observed: which files loadConfig asks for, and the callbacks it hands over.
vi.mock('./watcher.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof WatcherModule>();
  return { watchFiles: vi.fn(actual.watchFiles) };
});
const watched = vi.mocked(watchFiles);

const schema = defineSchema({ level: t.enum(['info', 'debug']).default('info').dynamic() });
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-load-watch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  watched.mockClear();
});

describe('loadConfig watch wiring', () => {
  it('watches each file feeder path once, with the given debounce', async () => {
    const yaml = join(dir, 'a.yaml');
    const json = join(dir, 'b.json');
    await writeFile(yaml, 'level: info\n');
    await writeFile(json, '{}');
    const config = await loadConfig(schema, { feeders: [yamlFeeder(yaml), objectFeeder({}), jsonFeeder(json), yamlFeeder(yaml, { layer: { tenant: 'x' } })], watch: { debounceMs: 7 } });
    expect(watched).toHaveBeenCalledTimes(1);
    expect(watched.mock.calls[0]?.slice(0, 2)).toEqual([[resolve(yaml), resolve(json)], 7]);
    await config.close();
  });

  it('starts no watcher without file feeders, or without watch', async () => {
    await loadConfig(schema, { feeders: [objectFeeder({})], watch: true });
    await loadConfig(schema, { feeders: [yamlFeeder(join(dir, 'none.yaml'), { required: false })] });
    expect(watched).not.toHaveBeenCalled();
  });

  it('reloads on a change signal and forwards watcher errors to onError', async () => {
    const path = join(dir, 'c.yaml');
    await writeFile(path, 'level: info\n');
    let values: Record<string, unknown> = {};
    const config = await loadConfig(schema, { feeders: [yamlFeeder(path), objectFeeder(() => values)], watch: { debounceMs: 10_000 } });
    const [, , onChange, onError] = watched.mock.calls[0] ?? [];
    const errors: ConfigError[] = [];
    config.onError((e) => errors.push(e));
    const changed = new Promise<unknown>((done) => config.onChange((applied) => done(applied)));
    values = { level: 'debug' };
    onChange?.();
    expect(await changed).toEqual([{ path: 'level', previous: 'info', next: 'debug', dynamic: true, tenant: undefined }]);
    const failure = new ConfigError('CONFIG_ERR_WATCH', { message: 'watching x failed' });
    onError?.(failure);
    expect(errors).toEqual([failure]);
    // A failing signalled reload reports to onError and rejects nothing unhandled.
    values = { level: 'loud' };
    const reported = new Promise<ConfigError>((done) => config.onError(done));
    onChange?.();
    expect((await reported).code).toBe('CONFIG_ERR_VALIDATION');
    await config.close();
  });
});
