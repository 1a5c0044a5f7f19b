import { defineSchema, objectFeeder, t } from '@rampart/config';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { LifecycleEvent } from './events.ts';
import { silentLogger } from './logger.ts';
import type { ConfigChange, ModuleContext } from './module.ts';

const dbSchema = defineSchema({ host: t.string().default('localhost'), pool: t.integer().default(5).dynamic(), password: t.string().secret() });
const httpSchema = defineSchema({ port: t.port().default(8080) });

describe('configuration', () => {
  it('loads every module schema under its name before any init and hands each module its typed slice', async () => {
    const seen: unknown[] = [];
    const app = createApp({
      logger: silentLogger,
      config: { feeders: [objectFeeder({ db: { password: 'pw', pool: 9 }, http: { port: 9000 } })] },
      modules: [
        { name: 'db', version: '1.0.0', config: dbSchema, init: (ctx: ModuleContext) => void seen.push(ctx.config) },
        { name: 'http', version: '1.0.0', config: httpSchema, requires: ['db'], start: (ctx: ModuleContext) => void seen.push(ctx.config) },
        { name: 'noconfig', version: '1.0.0', start: (ctx: ModuleContext) => void seen.push(ctx.config) },
      ],
    });
    expect(app.config).toBeUndefined();
    await app.start();
    const db = seen[0] as { host: string; pool: number; password: { toString(): string } };
    expect([db.host, db.pool]).toEqual(['localhost', 9]);
    expect(String(db.password)).not.toContain('pw');
    expect(seen.slice(1)).toEqual([{ port: 9000 }, undefined]);
    expect(app.config?.get('http.port')).toBe(9000);
    await app.stop();
  });

  it('aggregates every module configuration problem and starts nothing', async () => {
    const started: string[] = [];
    const app = createApp({
      logger: silentLogger,
      config: { feeders: [objectFeeder({ http: { port: 'not-a-port' } })] },
      modules: [
        { name: 'db', version: '1.0.0', config: dbSchema, init: () => void started.push('db') },
        { name: 'http', version: '1.0.0', config: httpSchema, init: () => void started.push('http') },
      ],
    });
    const error = (await app.start().catch((e: unknown) => e)) as { code: string; details: { issues: { path: string }[] }; cause: { code: string } };
    expect(error.code).toBe('CORE_ERR_CONFIG_INVALID');
    expect(error.cause.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.details.issues.map((i) => i.path).sort()).toEqual(['db.password', 'http.port']);
    expect(started).toEqual([]);
    expect(app.state).toBe('failed');
  });

  it('passes dynamic changes of its own slice to a module reload hook, and reports reload failures as events', async () => {
    const values = { db: { password: 'pw', pool: 5 }, http: { port: 8080 } };
    const reloads: { module: string; changes: readonly ConfigChange[]; pool: unknown }[] = [];
    const events: LifecycleEvent[] = [];
    const app = createApp({
      logger: silentLogger,
      observers: [(e) => void events.push(e)],
      config: { feeders: [objectFeeder(() => structuredClone(values))] },
      modules: [
        { name: 'db', version: '1.0.0', config: dbSchema, reload: (changes, ctx) => void reloads.push({ module: 'db', changes, pool: (ctx.config as { pool: number }).pool }) },
        { name: 'http', version: '1.0.0', config: httpSchema, reload: () => { throw new Error('cannot rebind'); } },
      ],
    });
    expect(await app.reloadConfig().catch((e: unknown) => (e as { code: string }).code)).toBe('CORE_ERR_INVALID_STATE');
    await app.start();
    values.db.pool = 20;
    values.http.port = 9090;
    const result = await app.reloadConfig();
    await new Promise((r) => setTimeout(r, 5));
    await app.flushEvents();
    expect(result.applied).toHaveLength(1);
    expect(result.restartRequired).toHaveLength(1);
    expect(reloads).toEqual([{ module: 'db', changes: [{ path: 'pool', previous: 5, value: 20, tenant: undefined }], pool: 20 }]);
    values.db.pool = 21;
    await app.reloadConfig();
    await new Promise((r) => setTimeout(r, 5));
    expect(reloads).toHaveLength(2);
    await app.stop();
  });

  it('reports reload hook failures as error events with CORE_ERR_RELOAD_FAILED', async () => {
    const values = { level: 'a' };
    const events: LifecycleEvent[] = [];
    const app = createApp({
      logger: silentLogger,
      observers: [(e) => void events.push(e)],
      config: { feeders: [objectFeeder(() => ({ log: { ...values } }))] },
      modules: [{ name: 'log', version: '1.0.0', config: defineSchema({ level: t.string().dynamic() }), reload: () => { throw new Error('nope'); } }],
    });
    await app.start();
    values.level = 'b';
    await app.reloadConfig();
    await new Promise((r) => setTimeout(r, 5));
    await app.flushEvents();
    expect(events.filter((e) => e.type === 'error').map((e) => [e.module, e.error?.code])).toEqual([['log', 'CORE_ERR_RELOAD_FAILED']]);
    await app.stop();
  });

  it('reloads to nothing when no module declares configuration', async () => {
    const app = createApp({ logger: silentLogger, modules: [{ name: 'm', version: '1.0.0' }] });
    await app.start();
    expect(await app.reloadConfig()).toEqual({ applied: [], restartRequired: [] });
  });
});
