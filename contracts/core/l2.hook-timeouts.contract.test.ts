// L2 contract of @rampart/core: time limits for module hooks (createApp
// hookTimeouts). A hook still running at its limit fails with
// CORE_ERR_HOOK_TIMEOUT: a start rolls back, a stop goes on with the next
// module and reports it in CORE_ERR_STOP_FAILED; malformed limits are refused
// with CORE_ERR_INVALID_OPTIONS. Locked: these tests are never modified, only
// added to.
import { describe, expect, it } from 'vitest';
import { CORE_ERRORS, LifecycleError, createApp, defineModule, silentLogger } from '@rampart/core';
import type { HookTimeouts } from '@rampart/core';

const hang = (): Promise<void> => new Promise<void>(() => undefined);

async function rejection(work: Promise<unknown>): Promise<LifecycleError> {
  return work.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as LifecycleError,
  );
}

describe('@rampart/core L2: hook time limits', () => {
  it('CORE_ERR_HOOK_TIMEOUT is a registered lifecycle code', () => {
    expect(CORE_ERRORS.CORE_ERR_HOOK_TIMEOUT.category).toBe('lifecycle');
  });

  it('a start hook past hookTimeouts.start rejects app.start() with CORE_ERR_START_FAILED caused by CORE_ERR_HOOK_TIMEOUT, after rolling back', async () => {
    const stopped: string[] = [];
    const limits: HookTimeouts = { start: 25 };
    const app = createApp({
      logger: silentLogger,
      hookTimeouts: limits,
      modules: [
        defineModule({ name: 'db', version: '1.0.0', stop: () => void stopped.push('db') }),
        defineModule({ name: 'web', version: '1.0.0', requires: ['db'], start: hang }),
      ],
    });
    const error = await rejection(app.start());
    expect(error.code).toBe('CORE_ERR_START_FAILED');
    expect(error.cause).toBeInstanceOf(LifecycleError);
    expect(error.cause).toMatchObject({ code: 'CORE_ERR_HOOK_TIMEOUT', details: { module: 'web', hook: 'start', timeoutMs: 25 } });
    expect(stopped).toEqual(['db']);
  });

  it('a stop hook past hookTimeouts.stop is listed in CORE_ERR_STOP_FAILED; every other module is stopped', async () => {
    const stopped: string[] = [];
    const app = createApp({
      logger: silentLogger,
      hookTimeouts: { stop: 25 },
      modules: [
        defineModule({ name: 'db', version: '1.0.0', stop: () => void stopped.push('db') }),
        defineModule({ name: 'queue', version: '1.0.0', requires: ['db'], stop: hang }),
      ],
    });
    await app.start();
    const error = await rejection(app.stop());
    expect(error.code).toBe('CORE_ERR_STOP_FAILED');
    expect(error.details).toMatchObject({ failures: [{ module: 'queue', phase: 'stop', code: 'CORE_ERR_HOOK_TIMEOUT' }] });
    expect(stopped).toEqual(['db']);
    expect(app.state).toBe('stopped');
  });

  it('hooks that settle within their limits run as without limits', async () => {
    const seen: string[] = [];
    const app = createApp({
      logger: silentLogger,
      hookTimeouts: { init: 5_000, start: 5_000, stop: 5_000 },
      modules: [defineModule({ name: 'a', version: '1.0.0', init: () => void seen.push('init'), start: () => Promise.resolve(void seen.push('start')), stop: () => void seen.push('stop') })],
    });
    await app.start();
    await app.stop();
    expect(seen).toEqual(['init', 'start', 'stop']);
  });

  it.each([{ hookTimeouts: { stop: 0 } }, { hookTimeouts: { start: -1 } }, { hookTimeouts: { teardown: 5 } }, { hookTimeouts: 5 }, { observerTimeoutMs: 0 }, { healthTimeoutMs: Number.NaN }])(
    'refuses %j with CORE_ERR_INVALID_OPTIONS',
    (options) => {
      expect(() => createApp({ logger: silentLogger, ...(options as object) })).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_OPTIONS' }));
    },
  );
});
