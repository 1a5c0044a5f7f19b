import type * as Fs from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConfigError } from './errors.ts';
import { watchFiles } from './watcher.ts';

// The real fs.watch, observed: the options it gets and the watchers it returns (their close() spied).
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof Fs>();
  const observed = (...args: Parameters<typeof actual.watch>): FSWatcher => {
    const watcher = actual.watch(...args);
    vi.spyOn(watcher, 'close');
    return watcher;
  };
  return { ...actual, watch: vi.fn(observed) };
});
const watchSpy = vi.mocked(watch);
const started = (): FSWatcher[] => watchSpy.mock.results.flatMap((r) => (r.type === 'return' ? [r.value] : []));
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-watcher-'));
  await mkdir(join(dir, 'other'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  watchSpy.mockClear();
});

describe('watchFiles', () => {
  it('watches each directory once, without keeping the process alive', () => {
    const w = watchFiles([join(dir, 'a.yaml'), join(dir, 'b.json'), join(dir, 'other', 'c.yaml')], 10, () => undefined, () => undefined);
    expect(watchSpy.mock.calls.map((c) => c.slice(0, 2))).toEqual([
      [dir, { persistent: false }],
      [join(dir, 'other'), { persistent: false }],
    ]);
    w.close();
  });

  it('calls onChange once per burst of writes to a watched file, and never for other files', async () => {
    const path = join(dir, 'burst.yaml');
    await writeFile(path, 'a: 0\n');
    const onChange = vi.fn();
    const w = watchFiles([path], 300, onChange, () => undefined);
    try {
      await writeFile(join(dir, 'unrelated.yaml'), 'x: 1\n');
      await sleep(450);
      expect(onChange).not.toHaveBeenCalled();
      await writeFile(path, 'a: 1\n');
      await writeFile(path, 'a: 2\n');
      await writeFile(path, 'a: 3\n');
      await sleep(450);
      expect(onChange).toHaveBeenCalledTimes(1);
    } finally {
      w.close();
    }
  });

  it('close() cancels a pending call and stops every watcher', async () => {
    const path = join(dir, 'closing.yaml');
    await writeFile(path, 'a: 0\n');
    const onChange = vi.fn();
    const w = watchFiles([path], 100, onChange, () => undefined);
    const [watcher] = started();
    await writeFile(path, 'a: 1\n');
    await sleep(20);
    w.close();
    expect(watcher?.close).toHaveBeenCalledTimes(1);
    await writeFile(path, 'a: 2\n');
    await sleep(200);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('reports a watcher failure to onError as CONFIG_ERR_WATCH, naming the directory', () => {
    const errors: ConfigError[] = [];
    const w = watchFiles([join(dir, 'x.yaml')], 10, () => undefined, (e) => errors.push(e));
    const cause = new Error('EMFILE');
    started()[0]?.emit('error', cause);
    w.close();
    expect(errors.map((e) => [e.code, e.message, e.cause, e.details])).toEqual([['CONFIG_ERR_WATCH', `watching ${dir} failed`, cause, { source: dir }]]);
  });

  it('closes the watchers already started when a later directory cannot be watched', () => {
    // A missing folder is awaited, not refused (see below); a watch the OS refuses fails the start.
    const real = watchSpy.getMockImplementation() as typeof watch;
    watchSpy.mockImplementationOnce(real).mockImplementationOnce(() => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    });
    let error: ConfigError | undefined;
    try {
      watchFiles([join(dir, 'ok.yaml'), join(dir, 'other', 'x.yaml')], 10, () => undefined, () => undefined);
    } catch (thrown) {
      error = thrown as ConfigError;
    }
    expect([error?.code, error?.message, (error?.cause as NodeJS.ErrnoException | undefined)?.code]).toEqual(['CONFIG_ERR_WATCH', 'cannot watch configuration files', 'EACCES']);
    const [first] = started();
    expect(started()).toHaveLength(1);
    expect(first?.close).toHaveBeenCalledTimes(1);
  });

  it('awaits a missing folder through its nearest existing ancestor, then watches the folder once it appears', async () => {
    // One level, so the re-arm count is exact (a deeper mkdir -p may re-arm once per level).
    const folder = join(dir, 'later');
    const onChange = vi.fn();
    const w = watchFiles([join(folder, 'app.yaml')], 20, onChange, () => undefined);
    try {
      expect(watchSpy.mock.calls.map((c) => c[0])).toEqual([dir]);
      // Other entries of the ancestor neither re-arm nor reload.
      await writeFile(join(dir, 'noise.yaml'), 'x: 1\n');
      await sleep(80);
      expect(onChange).not.toHaveBeenCalled();
      await mkdir(folder);
      await sleep(80);
      // Re-armed on the folder (the watcher on the ancestor closed), with one reload in case the file came along.
      expect(watchSpy.mock.calls.map((c) => c[0])).toEqual([dir, folder]);
      expect(started()[0]?.close).toHaveBeenCalledTimes(1);
      expect(onChange).toHaveBeenCalledTimes(1);
      await writeFile(join(folder, 'app.yaml'), 'a: 1\n');
      await sleep(80);
      expect(onChange).toHaveBeenCalledTimes(2);
    } finally {
      w.close();
    }
  });

  it('reports a folder that appeared but cannot be watched to onError, and still reloads', async () => {
    const folder = join(dir, 'refused');
    const onChange = vi.fn();
    const errors: ConfigError[] = [];
    const w = watchFiles([join(folder, 'app.yaml')], 10, onChange, (e) => errors.push(e));
    const cause = Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
    watchSpy.mockImplementationOnce(() => {
      throw cause;
    });
    try {
      await mkdir(folder);
      await sleep(60);
      expect(errors.map((e) => [e.code, e.message, e.cause, e.details])).toEqual([['CONFIG_ERR_WATCH', `watching ${folder} failed`, cause, { source: folder }]]);
      expect(onChange).toHaveBeenCalledTimes(1);
    } finally {
      w.close();
    }
  });
});
