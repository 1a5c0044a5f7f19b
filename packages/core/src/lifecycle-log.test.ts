import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { Logger } from './logger.ts';
import { defineModule } from './module.ts';

type Line = [string, Record<string, unknown>, string | undefined];

/** A pino-shaped logger that keeps every line as [level, fields, msg]. */
function captureLogger(lines: Line[], bound: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (obj: object | string, msg?: string) => {
    if (typeof obj === 'string') lines.push([level, { ...bound }, obj]);
    else lines.push([level, { ...bound, ...(obj as Record<string, unknown>) }, msg]);
  };
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), child: (b) => captureLogger(lines, { ...bound, ...b }) };
}

const lifecycleLines = (lines: Line[]) =>
  lines.filter(([, fields]) => 'event' in fields).map(([level, f, msg]) => [level, f['event'], f['seq'], f['module'], (f['err'] as { code?: unknown; name?: unknown; message?: unknown } | undefined) ?? null, msg]);

const boom = (message: string) => () => {
  throw new Error(message);
};

describe('lifecycle log lines', () => {
  it('logs every event at debug with its seq and module, and errors at error with a summary', async () => {
    const lines: Line[] = [];
    const app = createApp({
      id: 'logs',
      logger: captureLogger(lines),
      modules: [defineModule({ name: 'ok', version: '1.0.0' }), defineModule({ name: 'bad', version: '1.0.0', requires: ['ok'], init: boom('no init') })],
    });
    await expect(app.start()).rejects.toMatchObject({
      code: 'CORE_ERR_START_FAILED',
      message: "Module 'bad' failed during init: no init. Rolled back (stopped in this order): ok",
      details: { module: 'bad', phase: 'init', rolledBack: ['ok'], rollbackFailures: [] },
    });
    expect(lifecycleLines(lines)).toEqual([
      ['debug', 'registering', 1, 'ok', null, 'lifecycle registering'],
      ['debug', 'registering', 2, 'bad', null, 'lifecycle registering'],
      ['debug', 'starting', 3, 'ok', null, 'lifecycle starting'],
      ['debug', 'started', 4, 'ok', null, 'lifecycle started'],
      ['debug', 'starting', 5, 'bad', null, 'lifecycle starting'],
      ['error', 'error', 6, 'bad', { code: undefined, name: 'Error', message: 'no init' }, 'lifecycle error'],
      ['debug', 'stopping', 7, 'ok', null, 'lifecycle stopping'],
      ['debug', 'stopped', 8, 'ok', null, 'lifecycle stopped'],
      ['error', 'error', 9, undefined, { code: 'CORE_ERR_START_FAILED', name: 'LifecycleError', message: "Module 'bad' failed during init: no init. Rolled back (stopped in this order): ok" }, 'lifecycle error'],
    ]);
    expect(app.moduleState('bad')).toBe('failed');
    expect(app.moduleState('ok')).toBe('stopped');
  });

  it('names the failing phase, says when nothing was rolled back, and counts failed rollback stops', async () => {
    const first = createApp({ logger: captureLogger([]), modules: [defineModule({ name: 'solo', version: '1.0.0', start: boom('no start') })] });
    await expect(first.start()).rejects.toMatchObject({ message: "Module 'solo' failed during start: no start. Rolled back (stopped in this order): nothing", details: { phase: 'start', rolledBack: [] } });
    expect(first.moduleState('solo')).toBe('failed');

    const second = createApp({
      logger: captureLogger([]),
      modules: [
        defineModule({ name: 'a', version: '1.0.0', stop: boom('a stuck') }),
        defineModule({ name: 'b', version: '1.0.0', requires: ['a'] }),
        defineModule({ name: 'c', version: '1.0.0', requires: ['b'], start: () => Promise.reject(new Error('c down')) }),
      ],
    });
    await expect(second.start()).rejects.toMatchObject({
      message: "Module 'c' failed during start: c down. Rolled back (stopped in this order): b; 1 stop(s) failed during rollback",
      details: { module: 'c', phase: 'start', rolledBack: ['b'] },
    });
    expect([second.moduleState('a'), second.moduleState('b'), second.moduleState('c')]).toEqual(['failed', 'stopped', 'failed']);
  });

  it('stop failures: one keeps its own cause, several are aggregated, others still stop', async () => {
    const one = createApp({ logger: captureLogger([]), modules: [defineModule({ name: 'x', version: '1.0.0', stop: boom('x stuck') }), defineModule({ name: 'y', version: '1.0.0' })] });
    await one.start();
    const single = await one.stop().then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string; cause: Error },
    );
    expect(single?.message).toBe('Modules failed to stop: x; every other module was stopped');
    expect(single?.cause.message).toBe('x stuck');
    expect(one.moduleState('y')).toBe('stopped');

    const two = createApp({ logger: captureLogger([]), modules: [defineModule({ name: 'p', version: '1.0.0', stop: boom('p stuck') }), defineModule({ name: 'q', version: '1.0.0', stop: boom('q stuck') })] });
    await two.start();
    const many = await two.stop().then(
      () => undefined,
      (e: unknown) => e as { message: string; cause: AggregateError },
    );
    expect(many?.message).toBe('Modules failed to stop: q, p; every other module was stopped');
    expect(many?.cause).toBeInstanceOf(AggregateError);
    expect(many?.cause.message).toBe('2 modules failed to stop');
    expect(many?.cause.errors.map((e: Error) => e.message)).toEqual(['q stuck', 'p stuck']);
  });

  it('logs a strict observer that fails on the error event, and still reports the start failure', async () => {
    const lines: Line[] = [];
    const app = createApp({
      logger: captureLogger(lines),
      strictObservers: true,
      observers: [(event) => (event.type === 'error' ? Promise.reject(new Error('observer down')) : undefined)],
      modules: [defineModule({ name: 'm', version: '1.0.0', start: boom('m down') })],
    });
    await expect(app.start()).rejects.toMatchObject({ code: 'CORE_ERR_START_FAILED' });
    const delivery = lines.filter(([, , msg]) => msg === 'error event delivery failed');
    expect(delivery).toHaveLength(1);
    expect(delivery[0]?.[0]).toBe('error');
    expect((delivery[0]?.[1]['err'] as { code?: string }).code).toBe('CORE_ERR_OBSERVER_FAILED');
  });
});
