/**
 * Audit: loadConfig read every source first and only then started watching the
 * files. An edit that landed between the read and the start of the watch (a
 * ConfigMap update during a slow start, a deploy script writing the file right
 * after launching the process) produced no event: the process kept the old
 * value, silently, until some later edit. Files are now watched from before
 * they are read, and a change seen during the load is reloaded once it is done.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { t } from './builders.ts';
import { ConfigError } from './errors.ts';
import { defineFeeder } from './feeders/feeder.ts';
import { loadConfig } from './load.ts';
import { defineSchema } from './schema.ts';
import type * as WatcherModule from './watcher.ts';

// The real watcher, with every handle it returns observed (to see that a failed load closes it).
const handles = vi.hoisted(() => [] as { close: () => void; closed: boolean }[]);
const signals = vi.hoisted(() => [] as { change: () => void; error: (error: ConfigError) => void }[]);
vi.mock('./watcher.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof WatcherModule>();
  return {
    watchFiles: (...args: Parameters<typeof actual.watchFiles>) => {
      signals.push({ change: args[2], error: args[3] });
      const watch = actual.watchFiles(...args);
      const handle = {
        closed: false,
        close: () => {
          handle.closed = true;
          watch.close();
        },
      };
      handles.push(handle);
      return handle;
    },
  };
});

const schema = defineSchema({ level: t.enum(['info', 'debug']).default('info').dynamic() });
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-audit-watch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('watch: an edit during the initial load', () => {
  it('is reloaded, not lost', async () => {
    const path = join(dir, 'level.txt');
    await writeFile(path, 'info');
    let loads = 0;
    // A file feeder whose file is edited right after the first read, before loadConfig returns.
    const feeder = defineFeeder({
      kind: 'text',
      source: path,
      watchPath: path,
      load: () => {
        const level = readFileSync(path, 'utf8');
        loads += 1;
        if (loads === 1) writeFileSync(path, 'debug');
        return { values: { level } };
      },
    });
    const config = await loadConfig(schema, { feeders: [feeder], watch: { debounceMs: 5 } });
    try {
      expect(loads).toBeGreaterThanOrEqual(1);
      // Registered and checked in one synchronous step: the reload may already be done or still to come.
      await new Promise<void>((done) => {
        config.onChange(() => done());
        if (config.value.level === 'debug') done();
      });
      expect(config.value.level).toBe('debug');
      expect(config.explain('level').value).toBe('debug');
    } finally {
      await config.close();
    }
  });

  it('handles a change and a watcher error signalled while the sources are read, once the config exists', async () => {
    const path = join(dir, 'signalled.txt');
    await writeFile(path, 'info');
    let level = 'info';
    signals.length = 0;
    const feeder = defineFeeder({
      kind: 'text',
      source: path,
      watchPath: path,
      load: () => {
        const read = level;
        // The watcher's debounced signals, delivered in the middle of the first load.
        if (level === 'info') {
          level = 'debug';
          signals.at(-1)?.change();
          signals.at(-1)?.error(new ConfigError('CONFIG_ERR_WATCH', { message: 'watching x failed' }));
        }
        return { values: { level: read } };
      },
    });
    const warnings: Error[] = [];
    const listen = (warning: Error): void => void warnings.push(warning);
    process.on('warning', listen);
    const config = await loadConfig(schema, { feeders: [feeder], watch: { debounceMs: 10_000 } });
    try {
      await new Promise<void>((done) => {
        config.onChange(() => done());
        if (config.value.level === 'debug') done();
      });
      expect(config.value.level).toBe('debug');
      // Nobody could subscribe to onError yet: the error went where unheard errors go.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.message)).toContain('watching x failed');
    } finally {
      process.off('warning', listen);
      await config.close();
    }
  });

  it('closes the watcher when the initial load fails', async () => {
    const path = join(dir, 'bad.txt');
    await writeFile(path, 'loud');
    const feeder = defineFeeder({ kind: 'text', source: path, watchPath: path, load: () => ({ values: { level: readFileSync(path, 'utf8') } }) });
    handles.length = 0;
    await expect(loadConfig(schema, { feeders: [feeder], watch: { debounceMs: 5 } })).rejects.toMatchObject({ code: 'CONFIG_ERR_VALIDATION' });
    // No watcher outlives a load that failed (it would reload a config nobody holds).
    expect(handles.every((h) => h.closed)).toBe(true);
  });
});
