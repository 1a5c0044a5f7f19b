/**
 * Time limits for module hooks (createApp hookTimeouts). Before them, a hung
 * start hook kept app.start() pending forever and a hung stop hook kept every
 * module after it (in stop order) running: a SIGTERM handler never finished.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { AppOptions } from './app.ts';
import type { Logger } from './logger.ts';
import { silentLogger } from './logger.ts';
import type { ModuleDefinition } from './module.ts';

type Line = [string, Record<string, unknown>, string | undefined];

function captureLogger(lines: Line[]): Logger {
  const at = (level: string) => (obj: object | string, msg?: string) => void lines.push(typeof obj === 'string' ? [level, {}, obj] : [level, { ...(obj as Record<string, unknown>) }, msg]);
  const logger: Logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), child: () => logger };
  return logger;
}

async function failure(run: () => unknown): Promise<Record<string, unknown>> {
  try {
    await run();
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a failure');
}

const hang = (): Promise<void> => new Promise<void>(() => undefined);
const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));

function mod(name: string, log: string[], hooks: Partial<Pick<ModuleDefinition, 'init' | 'start' | 'stop'>> = {}, requires: string[] = []): ModuleDefinition {
  return {
    name,
    version: '1.0.0',
    requires,
    init: hooks.init ?? (() => void log.push(`init ${name}`)),
    start: hooks.start ?? (() => void log.push(`start ${name}`)),
    stop: hooks.stop ?? (() => void log.push(`stop ${name}`)),
  };
}

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('hook time limits', () => {
  it.each(['init', 'start'] as const)('a %s hook past its limit fails the start with CORE_ERR_HOOK_TIMEOUT and rolls back', async (hook) => {
    const log: string[] = [];
    const app = createApp({ logger: silentLogger, hookTimeouts: { [hook]: 30 }, modules: [mod('db', log), mod('web', log, { [hook]: hang }, ['db'])] });
    const error = await failure(() => app.start());
    expect(error.code).toBe('CORE_ERR_START_FAILED');
    expect(error.details).toMatchObject({ module: 'web', phase: hook, rolledBack: ['db'] });
    expect(error.cause).toMatchObject({ code: 'CORE_ERR_HOOK_TIMEOUT', category: 'lifecycle', message: `Module 'web' ${hook} hook did not settle within 30 ms; it was left running`, details: { module: 'web', hook, timeoutMs: 30 } });
    expect(log).toContain('stop db');
    expect(app.state).toBe('failed');
  });

  it('a stop hook past its limit is reported in CORE_ERR_STOP_FAILED, and the modules after it still stop', async () => {
    const log: string[] = [];
    const app = createApp({ logger: silentLogger, hookTimeouts: { stop: 30 }, modules: [mod('db', log), mod('cache', log, { stop: hang }, ['db']), mod('web', log, {}, ['cache'])] });
    await app.start();
    const error = await failure(() => app.stop());
    expect(error.code).toBe('CORE_ERR_STOP_FAILED');
    expect(error.details).toEqual({ failures: [{ module: 'cache', phase: 'stop', code: 'CORE_ERR_HOOK_TIMEOUT', name: 'LifecycleError', message: "Module 'cache' stop hook did not settle within 30 ms; it was left running" }] });
    expect(log.filter((l) => l.startsWith('stop'))).toEqual(['stop web', 'stop db']);
    expect(app.inspect().modules.map((m) => [m.name, m.state])).toEqual([['db', 'stopped'], ['cache', 'failed'], ['web', 'stopped']]);
    expect(app.state).toBe('stopped');
  });

  it('a hook that settles in time passes its result through and leaves no timer behind', async () => {
    const log: string[] = [];
    const before = timers();
    const app = createApp({ logger: silentLogger, hookTimeouts: { init: 60_000, start: 60_000, stop: 60_000 }, modules: [mod('a', log, { start: async () => { await sleep(5); log.push('start a'); } })] });
    await app.start();
    await app.stop();
    expect(log).toEqual(['init a', 'start a', 'stop a']);
    // At most as many as before: a timer another test left may end meanwhile, one of ours must not remain.
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('a hook that fails in time fails with its own error, not a timeout: not logged as late, no timer left', async () => {
    const boom = new Error('no database');
    const lines: Line[] = [];
    const before = timers();
    const sync = createApp({ logger: captureLogger(lines), hookTimeouts: { start: 60_000 }, modules: [mod('a', [], { start: () => { throw boom; } })] });
    expect((await failure(() => sync.start())).cause).toBe(boom);
    const async = createApp({ logger: captureLogger(lines), hookTimeouts: { start: 60_000 }, modules: [mod('a', [], { start: () => Promise.reject(boom) })] });
    expect((await failure(() => async.start())).cause).toBe(boom);
    await sleep(5);
    expect(lines.filter(([, , msg]) => msg?.includes('after its time limit') === true)).toEqual([]);
    // At most as many as before: a timer another test left may end meanwhile, one of ours must not remain.
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('a hook left running that fails later is logged at error, never an unhandled rejection', async () => {
    const lines: Line[] = [];
    const late = new Error('gave up late');
    const app = createApp({ logger: captureLogger(lines), hookTimeouts: { start: 20 }, modules: [mod('a', [], { start: async () => { await sleep(60); throw late; } })] });
    expect(((await failure(() => app.start())).cause as { code: string }).code).toBe('CORE_ERR_HOOK_TIMEOUT');
    await sleep(80);
    expect(lines.filter(([level, fields]) => level === 'error' && fields.err === late)).toEqual([['error', { err: late, module: 'a', hook: 'start' }, 'module start hook failed after its time limit']]);
  });

  it('without a limit for its kind, a slow hook is awaited to the end', async () => {
    const log: string[] = [];
    const app = createApp({ logger: silentLogger, hookTimeouts: { stop: 10 }, modules: [mod('a', log, { start: async () => { await sleep(40); log.push('start a'); } })] });
    await app.start();
    expect(log).toEqual(['init a', 'start a']);
    await app.stop();
    const none = createApp({ logger: silentLogger, modules: [mod('b', log, { init: async () => { await sleep(40); log.push('init b'); } })] });
    await none.start();
    expect(log).toContain('init b');
    await none.stop();
  });

  it.each([
    [{ hookTimeouts: { stop: 0 } }, 'createApp({ hookTimeouts.stop }): hookTimeouts.stop must be a positive number of ms, got 0'],
    [{ hookTimeouts: { start: -5 } }, 'createApp({ hookTimeouts.start }): hookTimeouts.start must be a positive number of ms, got -5'],
    [{ hookTimeouts: { init: Number.NaN } }, 'createApp({ hookTimeouts.init }): hookTimeouts.init must be a positive number of ms, got NaN'],
    [{ hookTimeouts: { stop: '10s' } }, 'createApp({ hookTimeouts.stop }): hookTimeouts.stop must be a positive number of ms, got "10s"'],
    [{ hookTimeouts: { stop: '5' } }, 'createApp({ hookTimeouts.stop }): hookTimeouts.stop must be a positive number of ms, got "5"'],
    [{ hookTimeouts: { stop: Number.POSITIVE_INFINITY } }, 'createApp({ hookTimeouts.stop }): hookTimeouts.stop must be a positive number of ms, got Infinity'],
    [{ hookTimeouts: { shutdown: 10 } }, "createApp({ hookTimeouts }): unknown hook 'shutdown'; limits exist for init, start, stop, dispose and reload"],
    [{ hookTimeouts: 5_000 }, 'createApp({ hookTimeouts }): hookTimeouts must be an object { init?, start?, stop?, dispose?, reload? } of ms, got 5000'],
    [{ hookTimeouts: null }, 'createApp({ hookTimeouts }): hookTimeouts must be an object { init?, start?, stop?, dispose?, reload? } of ms, got null'],
    [{ hookTimeouts: [1] }, 'createApp({ hookTimeouts }): hookTimeouts must be an object { init?, start?, stop?, dispose?, reload? } of ms, got a value of type object'],
    [{ observerTimeoutMs: 0 }, 'createApp({ observerTimeoutMs }): observerTimeoutMs must be a positive number of ms, got 0'],
    [{ healthTimeoutMs: '2s' }, 'createApp({ healthTimeoutMs }): healthTimeoutMs must be a positive number of ms, got "2s"'],
  ])('refuses %j with CORE_ERR_INVALID_OPTIONS', (options, message) => {
    // details.option names the option, as the message does between `createApp({ ` and ` })`
    const option = /^createApp\(\{ ([^ ]+) \}\)/.exec(message)?.[1];
    expect(option).toBeDefined();
    expect(() => createApp({ logger: silentLogger, ...(options as unknown as AppOptions) })).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_OPTIONS', message }));
    let details: unknown;
    try {
      createApp({ logger: silentLogger, ...(options as unknown as AppOptions) });
    } catch (error) {
      details = (error as { details?: unknown }).details;
    }
    expect(details).toEqual({ option: /unknown hook/.test(message) ? 'hookTimeouts.shutdown' : option });
  });

  it('takes a copy of the limits: changing the object afterwards changes nothing', async () => {
    const limits: { start?: number } = { start: 20 };
    const app = createApp({ logger: silentLogger, hookTimeouts: limits, modules: [mod('a', [], { start: hang })] });
    delete limits.start;
    expect(((await failure(() => app.start())).cause as { code: string }).code).toBe('CORE_ERR_HOOK_TIMEOUT');
  });
});
