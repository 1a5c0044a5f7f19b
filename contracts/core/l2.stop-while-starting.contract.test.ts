// L2 contract of @rampart/core: app.stop() while the app is starting waits for
// the start to settle, then stops it as a stop() after start() would (or, after
// a failed start, rejects with CORE_ERR_INVALID_STATE as on any failed app); a
// second stop() during that wait is CORE_ERR_INVALID_STATE, and start() settles
// as before. [Symbol.asyncDispose]() waits the same way. stop() waits for the
// module reload hooks in flight before the first stop hook. RampartError.toJSON()
// writes a cause that loops back as [Circular] and cuts a chain after 16 causes.
// app.getAll() refuses a value that is no injection key as app.get() does.
// Locked: these tests are never modified, only added to.
import { describe, expect, it } from 'vitest';
import { defineSchema, objectFeeder, t } from '@rampart/config';
import { createApp, createJsonLogger, isRampartError, RampartError, silentLogger, token } from '@rampart/core';
import type { ModuleDefinition } from '@rampart/core';

const codeOf = (error: unknown): string => (isRampartError(error) ? error.code : 'no rampart error');
const outcome = (p: Promise<unknown>): Promise<string> => p.then(() => 'resolved', (e: unknown) => codeOf(e));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An app whose module `slow` starts (or fails, with `fail`) once `release()` is called; hooks are recorded. */
function slowStart(fail = false) {
  const calls: string[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const modules: ModuleDefinition[] = [
    { name: 'db', version: '1.0.0', start: () => void calls.push('start db'), stop: () => void calls.push('stop db') },
    {
      name: 'slow',
      version: '1.0.0',
      requires: ['db'],
      start: async () => {
        await gate;
        if (fail) throw new Error('port in use');
        calls.push('start slow');
      },
      stop: () => void calls.push('stop slow'),
    },
  ];
  return { app: createApp({ logger: silentLogger, modules }), calls, release };
}

describe('@rampart/core L2: stop() while the app is starting', () => {
  it('waits for the start to succeed, then stops the app in reverse start order', async () => {
    const { app, calls, release } = slowStart();
    const started = outcome(app.start());
    const stopped = outcome(app.stop());
    expect(app.state).toBe('starting');
    release();
    expect([await started, await stopped, app.state]).toEqual(['resolved', 'resolved', 'stopped']);
    expect(calls).toEqual(['start db', 'start slow', 'stop slow', 'stop db']);
  });

  it('refuses a second stop() during the wait with CORE_ERR_INVALID_STATE and stops once', async () => {
    const { app, calls, release } = slowStart();
    const started = outcome(app.start());
    const first = outcome(app.stop());
    const second = await outcome(app.stop());
    release();
    expect([await started, await first, second]).toEqual(['resolved', 'resolved', 'CORE_ERR_INVALID_STATE']);
    expect(calls).toEqual(['start db', 'start slow', 'stop slow', 'stop db']);
  });

  it('after a failed start, start() rejects as before and stop() rejects with CORE_ERR_INVALID_STATE', async () => {
    const { app, calls, release } = slowStart(true);
    const started = outcome(app.start());
    const stopped = app.stop().then(
      () => 'resolved',
      (e: unknown) => `${codeOf(e)} ${String((e as { details?: { state?: unknown } }).details?.state)}`,
    );
    release();
    // Refused once the start failed (state 'failed'), not while it was starting.
    expect([await started, await stopped, app.state]).toEqual(['CORE_ERR_START_FAILED', 'CORE_ERR_INVALID_STATE failed', 'failed']);
    // The rollback stopped db; the refused stop did nothing more.
    expect(calls).toEqual(['start db', 'stop db']);
  });

  it('[Symbol.asyncDispose]() waits for the start, then stops the app; after a failed start it resolves', async () => {
    const ok = slowStart();
    const started = outcome(ok.app.start());
    const disposed = outcome(ok.app[Symbol.asyncDispose]());
    ok.release();
    expect([await started, await disposed, ok.app.state]).toEqual(['resolved', 'resolved', 'stopped']);
    expect(ok.calls).toEqual(['start db', 'start slow', 'stop slow', 'stop db']);

    const failing = slowStart(true);
    const failed = outcome(failing.app.start());
    const disposedAfterFailure = outcome(failing.app[Symbol.asyncDispose]());
    failing.release();
    expect([await failed, await disposedAfterFailure, failing.app.state]).toEqual(['CORE_ERR_START_FAILED', 'resolved', 'failed']);
  });
});

describe('@rampart/core L2: stop() and reload hooks', () => {
  it('waits for a reload hook in flight before the first stop hook', async () => {
    const pools = [5, 20];
    const log: string[] = [];
    let begun: () => void = () => undefined;
    const reloading = new Promise<void>((resolve) => (begun = resolve));
    const app = createApp({
      logger: silentLogger,
      config: { feeders: [objectFeeder(() => ({ db: { pool: pools.shift() } }))] },
      modules: [
        {
          name: 'db',
          version: '1.0.0',
          config: defineSchema({ pool: t.integer().dynamic() }),
          reload: async (changes) => {
            log.push(`reload begin ${String(changes[0]?.value)}`);
            begun();
            await sleep(30);
            log.push('reload end');
          },
          stop: () => void log.push('stop db'),
        },
      ],
    });
    await app.start();
    const reloaded = outcome(app.reloadConfig());
    await reloading;
    await app.stop();
    expect(log).toEqual(['reload begin 20', 'reload end', 'stop db']);
    expect(await reloaded).toBe('resolved');
  });
});

describe('@rampart/core L2: RampartError.toJSON() of a cause chain', () => {
  it('writes a cause that loops back as [Circular], and the JSON logger keeps the error', () => {
    const a = new RampartError('APP_ERR_A', 'a failed', { category: 'test' });
    const b = new RampartError('APP_ERR_B', 'b failed', { category: 'test', cause: a });
    Object.defineProperty(a, 'cause', { value: b, configurable: true, writable: true });
    const expected = {
      name: 'RampartError',
      code: 'APP_ERR_A',
      category: 'test',
      message: 'a failed',
      cause: { name: 'RampartError', code: 'APP_ERR_B', category: 'test', message: 'b failed', cause: { name: 'RampartError', message: '[Circular]' } },
    };
    expect(JSON.parse(JSON.stringify(a))).toEqual(expected);
    const lines: string[] = [];
    createJsonLogger({ write: (line) => void lines.push(line) }).error({ err: a }, 'failed');
    expect((JSON.parse(lines[0] ?? '{}') as { err?: unknown }).err).toEqual(expected);
  });

  it('writes 16 levels of causes, then a [Truncated] marker', () => {
    let error = new RampartError('APP_ERR_30', 'level 30', { category: 'test' });
    for (let level = 29; level >= 0; level -= 1) error = new RampartError(`APP_ERR_${String(level)}`, `level ${String(level)}`, { category: 'test', cause: error });
    const codes: string[] = [];
    let node = JSON.parse(JSON.stringify(error)) as { code?: string; cause?: unknown; message: string } | undefined;
    let last = node;
    while (node !== undefined) {
      if (node.code !== undefined) codes.push(node.code);
      last = node;
      node = node.cause as typeof node;
    }
    expect(codes).toEqual(Array.from({ length: 17 }, (_, level) => `APP_ERR_${String(level)}`));
    expect(last).toEqual({ name: 'RampartError', message: '[Truncated: more than 16 causes]' });
  });
});

describe('@rampart/core L2: getAll() of a value that is no injection key', () => {
  it('throws CORE_ERR_MISSING_PROVIDER as get() does; an unprovided token is still an empty list', async () => {
    const app = createApp({ logger: silentLogger });
    await app.start();
    let getAllError: unknown;
    try {
      app.getAll(undefined as never);
    } catch (error) {
      getAllError = error;
    }
    let getError: unknown;
    try {
      app.get(undefined as never);
    } catch (error) {
      getError = error;
    }
    expect([codeOf(getAllError), codeOf(getError)]).toEqual(['CORE_ERR_MISSING_PROVIDER', 'CORE_ERR_MISSING_PROVIDER']);
    expect([app.getAll(token('none')), app.tryGet(undefined as never)]).toEqual([[], undefined]);
    await app.stop();
  });
});
