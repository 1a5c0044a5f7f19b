/**
 * stop() and [Symbol.asyncDispose]() while the app is starting (a SIGTERM during
 * a slow start): they threw CORE_ERR_INVALID_STATE (dispose did nothing), so the
 * app could not be stopped. They now wait for the start to settle.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { silentLogger } from './logger.ts';
import type { ModuleDefinition } from './module.ts';

type Failure = { code: string; message: string; details: Record<string, unknown> };
const failure = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => e as Failure);

/** An app whose module `slow` starts when `release()` is called, or fails then if `fail`. */
function slowStart(options: { fail?: boolean } = {}) {
  const calls: string[] = [];
  const events: string[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const mod = (name: string, extra: Partial<ModuleDefinition> = {}): ModuleDefinition => ({
    name,
    version: '1.0.0',
    start: () => void calls.push(`start ${name}`),
    stop: () => void calls.push(`stop ${name}`),
    ...extra,
  });
  const app = createApp({
    id: 'slow-start',
    logger: silentLogger,
    observers: [(e) => void events.push(`${e.type}${e.module === undefined ? '' : ` ${e.module}`}`)],
    modules: [
      mod('db'),
      mod('slow', {
        requires: ['db'],
        start: async () => {
          await gate;
          if (options.fail === true) throw new Error('port in use');
          calls.push('start slow');
        },
      }),
    ],
  });
  return { app, calls, events, release };
}

describe('stop() while the app is starting', () => {
  it('waits for the start to succeed, then stops as after start() (it threw CORE_ERR_INVALID_STATE)', async () => {
    const { app, calls, events, release } = slowStart();
    const started = app.start();
    const stopped = app.stop();
    expect(app.state).toBe('starting');
    release();
    await started;
    await stopped;
    await app.flushEvents();
    expect(app.state).toBe('stopped');
    expect(calls).toEqual(['start db', 'start slow', 'stop slow', 'stop db']);
    expect(events).toEqual([
      'registering db',
      'registering slow',
      'starting db',
      'started db',
      'starting slow',
      'started slow',
      'stopping slow',
      'stopped slow',
      'stopping db',
      'stopped db',
    ]);
  });

  it('claims the app before the code that awaited start() runs: a stop() there is a second stop', async () => {
    const { app, calls, release } = slowStart();
    const started = app.start();
    const waiting = app.stop();
    release();
    await started;
    expect(app.state).toBe('stopping');
    expect(await failure(app.stop())).toMatchObject({ code: 'CORE_ERR_INVALID_STATE', details: { app: 'slow-start', state: 'stopping', action: 'stop' } });
    await waiting;
    expect(calls.filter((c) => c.startsWith('stop '))).toEqual(['stop slow', 'stop db']);
  });

  it('refuses a second stop() during the wait with CORE_ERR_INVALID_STATE, and stops once', async () => {
    const { app, calls, release } = slowStart();
    const started = app.start();
    const first = app.stop();
    const second = await failure(app.stop());
    expect(second).toEqual(
      expect.objectContaining({
        code: 'CORE_ERR_INVALID_STATE',
        message: "Cannot stop: application 'slow-start' is starting and a stop already waits for the start to settle",
        details: { app: 'slow-start', state: 'starting', action: 'stop' },
      }),
    );
    release();
    await started;
    await first;
    expect([app.state, calls.filter((c) => c.startsWith('stop '))]).toEqual(['stopped', ['stop slow', 'stop db']]);
  });

  it('after a failed start (rolled back) rejects as stop() on a failed app does; start() rejects as before', async () => {
    const { app, calls, release } = slowStart({ fail: true });
    const started = failure(app.start());
    const stopped = failure(app.stop());
    release();
    expect(await started).toMatchObject({ code: 'CORE_ERR_START_FAILED', details: { module: 'slow', phase: 'start', rolledBack: ['db'] } });
    expect(await stopped).toEqual(
      expect.objectContaining({
        code: 'CORE_ERR_INVALID_STATE',
        message: "Cannot stop: application 'slow-start' is failed (allowed when started)",
        details: { app: 'slow-start', state: 'failed', action: 'stop' },
      }),
    );
    // The rollback stopped db once; the refused stop did nothing more.
    expect([app.state, calls.filter((c) => c.startsWith('stop '))]).toEqual(['failed', ['stop db']]);
  });
});

describe('[Symbol.asyncDispose]() while the app is starting', () => {
  it('waits for the start, then stops the app (it returned at once and left the app running)', async () => {
    const { app, calls, release } = slowStart();
    const started = app.start();
    const disposed = app[Symbol.asyncDispose]();
    release();
    await started;
    await disposed;
    expect([app.state, calls.filter((c) => c.startsWith('stop '))]).toEqual(['stopped', ['stop slow', 'stop db']]);
  });

  it('resolves after a failed start, and leaves a waiting stop() to do the stopping', async () => {
    const failing = slowStart({ fail: true });
    const start = failure(failing.app.start());
    const dispose = failing.app[Symbol.asyncDispose]();
    failing.release();
    expect(await start).toMatchObject({ code: 'CORE_ERR_START_FAILED' });
    await expect(dispose).resolves.toBeUndefined();
    expect(failing.app.state).toBe('failed');

    const { app, calls, release } = slowStart();
    const started = app.start();
    const stopped = app.stop();
    await expect(app[Symbol.asyncDispose]()).resolves.toBeUndefined();
    expect(app.state).toBe('starting');
    release();
    await started;
    await stopped;
    expect(calls.filter((c) => c.startsWith('stop '))).toEqual(['stop slow', 'stop db']);
  });
});
