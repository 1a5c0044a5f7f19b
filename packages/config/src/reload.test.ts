import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { t } from './builders.ts';
import type { ConfigError } from './errors.ts';
import { defineFeeder } from './feeders/feeder.ts';
import { objectFeeder } from './feeders/object.ts';
import { yamlFeeder } from './feeders/files.ts';
import { loadConfig } from './load.ts';
import type { ReloadResult } from './runtime.ts';
import { defineSchema } from './schema.ts';
import { Secret } from './secret.ts';

const schema = defineSchema(
  {
    level: t.enum(['debug', 'info']).default('info').dynamic(),
    limits: t.object({ min: t.integer().default(1), max: t.integer().default(10) }).dynamic(),
    port: t.port().default(80),
    token: t.string().default('t0').secret().dynamic(),
    cap: t.integer().default(100),
  },
  { validate: [(c) => (c.limits.max <= c.cap ? undefined : { path: 'limits.max', message: 'max must be <= cap' })] },
);

function source(initial: Record<string, unknown>) {
  const state = { values: initial };
  return { state, feeder: objectFeeder(() => state.values) };
}

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a rejection');
}

describe('reload', () => {
  it('applies dynamic changes, reports static ones as restart-required without applying them', async () => {
    const { state, feeder } = source({});
    const config = await loadConfig(schema, { feeders: [feeder] });
    const seen: [unknown, ReloadResult][] = [];
    config.onChange((changes, result) => seen.push([changes, result]));
    state.values = { level: 'debug', port: 81, limits: { max: 20 } };
    const result = await config.reload();
    expect(result).toEqual({
      applied: [
        { path: 'level', previous: 'info', next: 'debug', dynamic: true, tenant: undefined },
        { path: 'limits.max', previous: 10, next: 20, dynamic: true, tenant: undefined },
      ],
      restartRequired: [{ path: 'port', previous: 80, next: 81, dynamic: false, tenant: undefined }],
    });
    expect(config.value).toMatchObject({ level: 'debug', limits: { min: 1, max: 20 }, port: 80 });
    expect(config.explain('level')).toMatchObject({ feeder: 'object', value: 'debug' });
    expect(config.explain('port')).toMatchObject({ feeder: 'default', value: 80 });
    expect(seen).toEqual([[result.applied, result]]);
    expect(Object.isFrozen(config.value)).toBe(true);
    // Still pending on the next reload: the process has not restarted.
    expect((await config.reload()).restartRequired.map((c) => c.path)).toEqual(['port']);
  });

  it('reports nothing and notifies nobody when nothing changed', async () => {
    const config = await loadConfig(schema, { feeders: [] });
    const listener = vi.fn();
    config.onChange(listener);
    const before = config.value;
    expect(await config.reload()).toEqual({ applied: [], restartRequired: [] });
    expect(listener).not.toHaveBeenCalled();
    expect(config.value).toBe(before);
  });

  it('wraps secret values in changes', async () => {
    const { state, feeder } = source({});
    const config = await loadConfig(schema, { feeders: [feeder] });
    state.values = { token: 't1' };
    const [change] = (await config.reload()).applied;
    expect(change?.previous).toBeInstanceOf(Secret);
    expect((change?.next as Secret).reveal()).toBe('t1');
    expect(JSON.stringify(change)).toBe('{"path":"token","previous":"[redacted]","next":"[redacted]","dynamic":true}');
    expect(config.value.token.reveal()).toBe('t1');
  });

  it('keeps the old config and emits the error when new values are invalid', async () => {
    const { state, feeder } = source({});
    const config = await loadConfig(schema, { feeders: [feeder] });
    const errors: ConfigError[] = [];
    const off = config.onError((e) => errors.push(e));
    state.values = { level: 'loud' };
    const error = await rejection(config.reload());
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(errors).toEqual([error]);
    expect(config.value.level).toBe('info');
    off();
    state.values = { level: 'debug' };
    expect((await config.reload()).applied.map((c) => c.path)).toEqual(['level']);
  });

  it('re-checks rules on the mix of applied dynamic and kept static values', async () => {
    const { state, feeder } = source({});
    const config = await loadConfig(schema, { feeders: [feeder] });
    const reported: ConfigError[] = [];
    config.onError((e) => reported.push(e));
    // cap is static: raising it needs a restart, so max=150 must be refused against the kept cap=100.
    state.values = { cap: 200, limits: { max: 150 } };
    const error = await rejection(config.reload());
    expect(reported).toEqual([error]);
    expect(error.issues.map((i) => i.message)).toEqual(['limits.max: max must be <= cap (from schema rule)']);
    expect(config.value.limits.max).toBe(10);
    state.values = { cap: 200, limits: { max: 50 } };
    const ok = await config.reload();
    expect(ok.applied.map((c) => c.path)).toEqual(['limits.max']);
    expect(ok.restartRequired.map((c) => c.path)).toEqual(['cap']);
    expect(config.value).toMatchObject({ cap: 100, limits: { max: 50 } });
  });

  it('isolates a throwing change listener and reports it', async () => {
    const { state, feeder } = source({});
    const config = await loadConfig(schema, { feeders: [feeder] });
    const errors: ConfigError[] = [];
    config.onError((e) => errors.push(e));
    const after = vi.fn();
    config.onChange(() => {
      throw new Error('listener bug');
    });
    const off = config.onChange(after);
    state.values = { level: 'debug' };
    await config.reload();
    expect(after).toHaveBeenCalledTimes(1);
    expect(errors.map((e) => [e.code, e.message, (e.cause as Error).message])).toEqual([['CONFIG_ERR_LISTENER', 'a config change listener threw', 'listener bug']]);
    off();
    state.values = { level: 'info' };
    await config.reload();
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('warns through the process when no error listener is subscribed, and when one throws', async () => {
    const { state, feeder } = source({});
    const config = await loadConfig(schema, { feeders: [feeder] });
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      state.values = { port: 'x' };
      await rejection(config.reload());
      expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/^configuration is invalid \(1 problem\)/), { code: 'CONFIG_ERR_VALIDATION' });
      config.onError(() => {
        throw new Error('bad listener');
      });
      await rejection(config.reload());
      expect(warn).toHaveBeenLastCalledWith('config error listener threw: bad listener', { code: 'CONFIG_ERR_LISTENER' });
      config.onError(() => {
        // A listener throwing a non-Error must still be reported readably.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw 'text';
      });
      await rejection(config.reload());
      expect(warn).toHaveBeenLastCalledWith('config error listener threw: text', { code: 'CONFIG_ERR_LISTENER' });
    } finally {
      warn.mockRestore();
    }
  });

  it('notifies listeners of a reload that only found restart-required changes', async () => {
    const { state, feeder } = source({});
    const config = await loadConfig(schema, { feeders: [feeder] });
    const seen: [unknown, ReloadResult][] = [];
    config.onChange((changes, result) => seen.push([changes, result]));
    state.values = { port: 81 };
    const result = await config.reload();
    expect(result.applied).toEqual([]);
    expect(seen).toEqual([[[], result]]);
  });

  it('reports a throwing field rule during reload as CONFIG_ERR_VALIDATION (as at first load) and keeps the config', async () => {
    const bug = new Error('rule bug');
    const fragile = defineSchema({ n: t.integer().default(1).dynamic().validate((n) => (n === 13 ? (() => { throw bug; })() : true), 'never') });
    let values: Record<string, unknown> = {};
    const config = await loadConfig(fragile, { feeders: [objectFeeder(() => values)] });
    const reported: ConfigError[] = [];
    config.onError((e) => reported.push(e));
    values = { n: 13 };
    const error = await rejection(config.reload());
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.issues.map((i) => i.message)).toEqual(['n: never (validator threw Error) (from object programmatic at n)']);
    expect(error.message).not.toContain(bug.message);
    expect(reported).toEqual([error]);
    expect(config.value.n).toBe(1);
  });

  it('a reload running when close() is called tells no listener', async () => {
    let values: Record<string, unknown> = {};
    let release = (): void => undefined;
    const slow = defineFeeder({
      kind: 'slow',
      source: 'slow',
      load: async () => {
        await new Promise<void>((done) => (release = done));
        return { values };
      },
    });
    const pending = loadConfig(schema, { feeders: [slow] });
    release();
    const config = await pending;
    const changed = vi.fn();
    const failed = vi.fn();
    config.onChange(changed);
    config.onError(failed);
    values = { level: 'debug' };
    const applied = config.reload();
    await new Promise((done) => setImmediate(done));
    await config.close();
    release();
    expect((await applied).applied.map((c) => c.path)).toEqual(['level']);
    values = {};
    const other = loadConfig(schema, { feeders: [slow] });
    release();
    const second = await other;
    second.onError(failed);
    values = { level: 'loud' };
    const failing = second.reload();
    await new Promise((done) => setImmediate(done));
    await second.close();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      release();
      expect((await rejection(failing)).code).toBe('CONFIG_ERR_VALIDATION');
      // Nobody is subscribed any more: the failure falls back to a process warning.
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
    expect(changed).not.toHaveBeenCalled();
    expect(failed).not.toHaveBeenCalled();
  });

  it('serializes concurrent reloads so each change is reported once', async () => {
    const { state, feeder } = source({});
    const config = await loadConfig(schema, { feeders: [feeder] });
    state.values = { level: 'debug' };
    const [a, b] = await Promise.all([config.reload(), config.reload()]);
    expect(a.applied.map((c) => c.path)).toEqual(['level']);
    expect(b.applied).toEqual([]);
  });

  it('reloads tenant views and tags their changes; a new tenant simply appears', async () => {
    const acme = { values: { level: 'info' } as Record<string, unknown> };
    const config = await loadConfig(schema, { feeders: [objectFeeder(() => acme.values, { layer: { tenant: 'acme' } })] });
    acme.values = { level: 'debug', port: 1 };
    const result = await config.reload();
    expect(result.applied).toEqual([{ path: 'level', previous: 'info', next: 'debug', dynamic: true, tenant: 'acme' }]);
    expect(result.restartRequired).toEqual([{ path: 'port', previous: 80, next: 1, dynamic: false, tenant: 'acme' }]);
    expect(config.forTenant('acme').value.level).toBe('debug');
    expect(config.forTenant('acme').value.port).toBe(80);
    expect(config.value.level).toBe('info');
  });

  it('treats a source failure during reload like an invalid value', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rampart-config-reload-'));
    try {
      const path = join(dir, 'app.yaml');
      await writeFile(path, 'level: debug\n');
      const config = await loadConfig(schema, { feeders: [yamlFeeder(path)] });
      const errors: string[] = [];
      config.onError((e) => errors.push(e.code));
      await rm(path);
      expect((await rejection(config.reload())).code).toBe('CONFIG_ERR_SOURCE_MISSING');
      expect(errors).toEqual(['CONFIG_ERR_SOURCE_MISSING']);
      expect(config.value.level).toBe('debug');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('file watching', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rampart-config-watch-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reloads once per burst of writes after the debounce, and stops on close', async () => {
    const path = join(dir, 'app.yaml');
    await writeFile(path, 'level: info\n');
    const config = await loadConfig(schema, { feeders: [yamlFeeder(path), objectFeeder({})], watch: { debounceMs: 30 } });
    const changes = new Promise<readonly unknown[]>((done) => config.onChange((applied) => done(applied)));
    await writeFile(path, 'level: info\nport: 5\n');
    await writeFile(path, 'level: debug\n');
    expect(await changes).toEqual([{ path: 'level', previous: 'info', next: 'debug', dynamic: true, tenant: undefined }]);
    expect(config.value.level).toBe('debug');
    await config.close();
    await writeFile(path, 'level: info\n');
    await new Promise((done) => setTimeout(done, 80));
    expect(config.value.level).toBe('debug');
  });

  it('reports a failed watched reload to onError and keeps the config', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, 'level: info\n');
    const config = await loadConfig(schema, { feeders: [yamlFeeder(path)], watch: true });
    const error = new Promise<ConfigError>((done) => config.onError(done));
    await writeFile(path, 'level: loud\n');
    expect((await error).code).toBe('CONFIG_ERR_VALIDATION');
    expect(config.value.level).toBe('info');
    await config.close();
  });

  it('loads an optional file in a folder that does not exist yet (its nearest existing ancestor is watched)', async () => {
    const config = await loadConfig(schema, { feeders: [yamlFeeder(join(dir, 'no-dir', 'x.yaml'), { required: false })], watch: true });
    expect(config.value.level).toBe('info');
    await config.close();
  });

  it('accepts a watch object without debounceMs (default debounce) and reloads on change', async () => {
    const path = join(dir, 'default-debounce.yaml');
    await writeFile(path, 'level: info\n');
    const config = await loadConfig(schema, { feeders: [yamlFeeder(path)], watch: {} });
    const changes = new Promise<readonly unknown[]>((done) => config.onChange((applied) => done(applied)));
    await writeFile(path, 'level: debug\n');
    expect(await changes).toEqual([{ path: 'level', previous: 'info', next: 'debug', dynamic: true, tenant: undefined }]);
    await config.close();
  });

  it('does not start a watcher without file feeders', async () => {
    const config = await loadConfig(schema, { feeders: [objectFeeder({})], watch: true });
    expect((await config.reload()).applied).toEqual([]);
    await config.close();
  });
});
