// L2 contract of @rampart/core: a time limit for service disposal (createApp
// hookTimeouts.dispose). An instance whose Symbol.asyncDispose is still
// running at the limit is logged at error and left running; app.stop()
// resolves and the other instances are still disposed. Waiting for an async
// build still pending at disposal has the same limit, so a start hook that
// timed out on a hung build still rolls back and rejects. A malformed limit is
// refused with CORE_ERR_INVALID_OPTIONS. Locked: these tests are never
// modified, only added to.
import { describe, expect, it } from 'vitest';
import { createApp, silentLogger, token } from '@rampart/core';
import type { HookTimeouts, Logger } from '@rampart/core';

const hang = (): Promise<void> => new Promise<void>(() => undefined);

function errorsInto(messages: string[]): Logger {
  const logger: Logger = { ...silentLogger, error: (_obj: object | string, msg?: string) => void messages.push(msg ?? ''), child: () => logger };
  return logger;
}

describe('@rampart/core L2: disposal time limit', () => {
  it('app.stop() resolves past a hung disposal, disposes the other instances and logs the one left running', async () => {
    const disposed: string[] = [];
    const errors: string[] = [];
    const A = token<object>('a');
    const B = token<object>('b');
    const limits: HookTimeouts = { dispose: 25 };
    const app = createApp({
      logger: errorsInto(errors),
      hookTimeouts: limits,
      providers: [
        { provide: A, useFactory: () => ({ [Symbol.asyncDispose]: () => Promise.resolve(void disposed.push('a')) }) },
        { provide: B, inject: [A], useFactory: () => ({ [Symbol.asyncDispose]: hang }) },
      ],
    });
    await app.start();
    app.get(B);
    await app.stop();
    expect(app.state).toBe('stopped');
    expect(disposed).toEqual(['a']);
    expect(errors).toEqual(['service disposal did not settle within 25 ms; it was left running']);
  });

  it('with start and dispose limits, app.start() rejects even when the start hook hangs on an async factory', async () => {
    const DB = token<Promise<object>>('db');
    const app = createApp({
      logger: silentLogger,
      hookTimeouts: { start: 25, dispose: 25 },
      providers: [{ provide: DB, useFactory: () => new Promise<object>(() => undefined) }],
      modules: [{ name: 'web', version: '1.0.0', start: async (ctx) => void (await ctx.get(DB)) }],
    });
    await expect(app.start()).rejects.toMatchObject({ code: 'CORE_ERR_START_FAILED', cause: { code: 'CORE_ERR_HOOK_TIMEOUT' } });
    expect(app.state).toBe('failed');
  });

  it.each([{ dispose: 0 }, { dispose: -1 }, { dispose: Number.NaN }])('refuses hookTimeouts %j with CORE_ERR_INVALID_OPTIONS', (limits) => {
    expect(() => createApp({ logger: silentLogger, hookTimeouts: limits })).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_OPTIONS' }));
  });
});
