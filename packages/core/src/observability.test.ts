import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { FakeClock } from '@rampart/mocks';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { AppRegistry, ApplicationFactory } from './app-registry.ts';
import { CLOUDEVENTS_CONTENT_TYPE, cloudEventsObserver, toCloudEvent } from './cloudevents.ts';
import type { CloudEvent, LifecycleEventData } from './cloudevents.ts';
import { LIFECYCLE_CHANNEL } from './events.ts';
import { aggregateHealth, worst } from './health.ts';
import { createJsonLogger, silentLogger } from './logger.ts';
import { ValidationError } from './rampart-error.ts';
import { LOGGER } from './builtins.ts';

describe('CloudEvents', () => {
  it('maps a lifecycle event to a CloudEvents 1.0 JSON structured event', () => {
    const event = { type: 'started' as const, app: 'shop eu', module: 'db', time: Date.UTC(2026, 0, 2, 3, 4, 5), seq: 4, durationMs: 12 };
    expect(toCloudEvent(event)).toEqual({
      specversion: '1.0',
      id: 'shop eu:4',
      source: '/rampart/apps/shop%20eu',
      type: 'io.rampart.lifecycle.started',
      time: '2026-01-02T03:04:05.000Z',
      subject: 'db',
      datacontenttype: 'application/json',
      data: { app: 'shop eu', module: 'db', seq: 4, durationMs: 12 },
    });
    const appError = { type: 'error' as const, app: 'a', module: undefined, time: 0, seq: 9, error: { code: 'X', name: 'E', message: 'm' } };
    expect(toCloudEvent(appError, { source: 'urn:x', typePrefix: 'com.acme' })).toEqual({
      specversion: '1.0',
      id: 'a:9',
      source: 'urn:x',
      type: 'com.acme.error',
      time: '1970-01-01T00:00:00.000Z',
      datacontenttype: 'application/json',
      data: { app: 'a', module: null, seq: 9, error: { code: 'X', name: 'E', message: 'm' } },
    });
    expect(CLOUDEVENTS_CONTENT_TYPE).toBe('application/cloudevents+json; charset=utf-8');
  });

  it('forwards every event through cloudEventsObserver', async () => {
    const sent: CloudEvent<LifecycleEventData>[] = [];
    const app = createApp({ id: 'ce', logger: silentLogger, clock: new FakeClock(0), observers: [cloudEventsObserver((ce) => void sent.push(ce))], modules: [{ name: 'db', version: '1.0.0' }] });
    await app.start();
    await app.flushEvents();
    const instance = /^ce:([0-9a-f-]{36}):1$/.exec(sent[0]?.id ?? '')?.[1];
    expect(instance).toBeDefined();
    expect(sent.map((e) => [e.id, e.type])).toEqual([
      [`ce:${String(instance)}:1`, 'io.rampart.lifecycle.registering'],
      [`ce:${String(instance)}:2`, 'io.rampart.lifecycle.starting'],
      [`ce:${String(instance)}:3`, 'io.rampart.lifecycle.started'],
    ]);
  });

  it('never repeats source + id across runs of one app id (CloudEvents uniqueness), and takes a given instance', async () => {
    const keys: string[] = [];
    for (let run = 0; run < 2; run += 1) {
      const app = createApp({ id: 'shop', logger: silentLogger, observers: [cloudEventsObserver((ce) => void keys.push(`${ce.source} ${ce.id}`))], modules: [{ name: 'db', version: '1.0.0' }] });
      await app.start();
      await app.stop();
    }
    expect(keys).toHaveLength(10);
    expect(new Set(keys).size).toBe(10);
    const event = { type: 'started', app: 'shop', module: 'db', time: 0, seq: 7 } as const;
    expect(toCloudEvent(event, { instance: 'boot-42' }).id).toBe('shop:boot-42:7');
    expect(toCloudEvent(event).id).toBe('shop:7');
  });

  it('publishes lifecycle events on the diagnostics channel', async () => {
    const seen: unknown[] = [];
    const listener = (m: unknown) => void seen.push((m as { type: string }).type);
    subscribe(LIFECYCLE_CHANNEL, listener);
    try {
      await createApp({ logger: silentLogger, modules: [{ name: 'db', version: '1.0.0' }] }).start();
    } finally {
      unsubscribe(LIFECYCLE_CHANNEL, listener);
    }
    expect(seen).toEqual(['registering', 'starting', 'started']);
  });
});

describe('health', () => {
  it('reports worst status, readiness ignoring optional modules, with timestamps', async () => {
    const clock = new FakeClock(1000);
    const app = createApp({
      logger: silentLogger,
      clock,
      healthTimeoutMs: 20,
      modules: [
        { name: 'db', version: '1.0.0', health: () => ({ status: 'degraded', message: 'replica lag' }) },
        { name: 'metrics', version: '1.0.0', optional: true, health: () => Promise.reject(new Error('exporter down')) },
        { name: 'plain', version: '1.0.0' },
        { name: 'slow', version: '1.0.0', optional: true, health: () => new Promise(() => undefined) },
        { name: 'junk', version: '1.0.0', optional: true, health: () => ({ status: 'fine' }) as never },
      ],
    });
    expect((await app.health()).ready).toBe(false);
    await app.start();
    const report = await app.health();
    expect(report).toEqual({
      status: 'unhealthy',
      ready: true,
      timestamp: 1000,
      modules: {
        db: { status: 'degraded', message: 'replica lag', timestamp: 1000, optional: false },
        metrics: { status: 'unhealthy', message: 'exporter down', timestamp: 1000, optional: true },
        plain: { status: 'healthy', message: undefined, timestamp: 1000, optional: false },
        slow: { status: 'unhealthy', message: 'health check did not answer within 20 ms', timestamp: 1000, optional: true },
        junk: { status: 'unhealthy', message: 'health hook returned no valid status', timestamp: 1000, optional: true },
      },
    });
  });

  it('is not ready when a required module is unhealthy, and reports stopped modules unhealthy', async () => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a non-Error rejection on purpose
    const app = createApp({ logger: silentLogger, modules: [{ name: 'db', version: '1.0.0', health: () => Promise.reject('raw') }] });
    await app.start();
    expect(await app.health()).toMatchObject({ status: 'unhealthy', ready: false, modules: { db: { message: 'raw' } } });
    await app.stop();
    expect((await app.health()).modules['db']).toMatchObject({ status: 'unhealthy', message: 'module is stopped' });
  });

  it('folds statuses', () => {
    expect(worst('healthy', 'degraded')).toBe('degraded');
    expect(worst('unhealthy', 'degraded')).toBe('unhealthy');
    expect(aggregateHealth({}, true, 5)).toEqual({ status: 'healthy', ready: true, timestamp: 5, modules: {} });
  });
});

describe('JSON logger', () => {
  it('writes pino-style lines, honours the level, binds children, serializes errors without stacks', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ level: 'info', write: (l) => void lines.push(l), clock: new FakeClock(7), bindings: { app: 'a' } });
    logger.debug('hidden');
    logger.info('plain');
    logger.child({ module: 'db' }).warn({ n: 1, err: new ValidationError('X_ERR', 'bad') }, 'with fields');
    logger.error({ err: new Error('boom') });
    logger.trace('hidden too');
    logger.fatal('last');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { level: 30, time: 7, app: 'a', msg: 'plain' },
      { level: 40, time: 7, app: 'a', module: 'db', n: 1, err: { name: 'ValidationError', code: 'X_ERR', category: 'validation', message: 'bad' }, msg: 'with fields' },
      { level: 50, time: 7, app: 'a', err: { name: 'Error', message: 'boom' } },
      { level: 60, time: 7, app: 'a', msg: 'last' },
    ]);
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
    expect(silentLogger.child({}).info('x')).toBeUndefined();
  });
});

describe('several applications', () => {
  it('keeps apps by id, refuses duplicates and unknown ids, stops all newest first', async () => {
    const stops: string[] = [];
    const registry = new AppRegistry();
    const a = registry.create({ id: 'a', logger: silentLogger, modules: [{ name: 'm', version: '1.0.0', stop: () => void stops.push('a') }] });
    const b = registry.create({ id: 'b', logger: silentLogger, modules: [{ name: 'm', version: '1.0.0', stop: () => void stops.push('b') }] });
    registry.create({ id: 'idle', logger: silentLogger });
    expect(() => registry.create({ id: 'a' })).toThrow(expect.objectContaining({ code: 'CORE_ERR_DUPLICATE_APP' }));
    expect(() => registry.get('zzz')).toThrow(expect.objectContaining({ code: 'CORE_ERR_UNKNOWN_APP' }));
    expect([registry.get('a'), registry.has('b'), registry.ids()]).toEqual([a, true, ['a', 'b', 'idle']]);
    await a.start();
    await b.start();
    await registry.stopAll();
    expect(stops).toEqual(['b', 'a']);
    expect(registry.remove('idle')).toBe(true);
    expect(registry.ids()).toEqual(['a', 'b']);
  });

  it('aggregates stop failures across apps', async () => {
    const registry = new AppRegistry();
    const a = registry.create({ id: 'a', logger: silentLogger, modules: [{ name: 'm', version: '1.0.0', stop: () => { throw new Error('x'); } }] });
    await a.start();
    await expect(registry.stopAll()).rejects.toThrow('1 application(s) failed to stop');
  });

  it('throws CORE_ERR_APPS_STOP_FAILED from stopAll with the failures as its cause, after stopping the others', async () => {
    const registry = new AppRegistry();
    const stops: string[] = [];
    const failing = (id: string) => registry.create({ id, logger: silentLogger, modules: [{ name: 'm', version: '1.0.0', stop: () => { throw new Error(`${id} down`); } }] });
    const fine = registry.create({ id: 'fine', logger: silentLogger, modules: [{ name: 'm', version: '1.0.0', stop: () => void stops.push('fine') }] });
    const one = failing('one');
    const two = failing('two');
    for (const app of [fine, one, two]) await app.start();
    const error = (await registry.stopAll().catch((e: unknown) => e)) as { code: string; category: string; cause: AggregateError };
    expect([error.code, error.category, stops]).toEqual(['CORE_ERR_APPS_STOP_FAILED', 'lifecycle', ['fine']]);
    expect(error.cause).toBeInstanceOf(AggregateError);
    expect(error.cause.errors.map((e: { code: string }) => e.code)).toEqual(['CORE_ERR_STOP_FAILED', 'CORE_ERR_STOP_FAILED']);
  });

  it('binds one shared logger to each app: lines from LOGGER and hooks carry their own app id', async () => {
    const lines: { app?: string; msg: string }[] = [];
    const shared = createJsonLogger({ write: (line) => void lines.push(JSON.parse(line) as { app?: string; msg: string }) });
    const apps = ['a', 'b'].map((id) => createApp({ id, logger: shared, modules: [{ name: 'm', version: '1.0.0', start: (ctx) => ctx.logger.info(`start ${id}`) }] }));
    for (const app of apps) await app.start();
    for (const app of apps) app.get(LOGGER).info(`service ${app.id}`);
    expect(lines.filter((l) => /^(start|service) /.test(l.msg)).map((l) => [l.app, l.msg])).toEqual([
      ['a', 'start a'],
      ['b', 'start b'],
      ['a', 'service a'],
      ['b', 'service b'],
    ]);
    for (const app of apps) await app.stop();
  });

  it('creates isolated apps through ApplicationFactory with generated ids', () => {
    const one = ApplicationFactory.create({ logger: silentLogger });
    const two = ApplicationFactory.create({ logger: silentLogger });
    expect(one.id).not.toBe(two.id);
    expect(one.id).toMatch(/^app-\d+$/);
  });
});
