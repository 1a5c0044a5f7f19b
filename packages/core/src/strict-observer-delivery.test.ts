import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { silentLogger } from './logger.ts';

describe('strict observers', () => {
  it('deliver an event to every observer even when an earlier one fails on it (the later ones missed it)', async () => {
    const seen: string[] = [];
    const app = createApp({
      logger: silentLogger,
      strictObservers: true,
      observers: [
        {
          name: 'picky',
          onEvent: (e) => {
            if (e.type === 'starting') throw new Error('refused');
          },
        },
        (e) => void seen.push(`${e.type}:${e.module ?? '-'}`),
      ],
      modules: [{ name: 'm', version: '1.0.0' }],
    });
    const error = (await app.start().catch((e: unknown) => e)) as { code: string; cause: { code: string; details: { observer: string } } };
    expect(error.code).toBe('CORE_ERR_START_FAILED');
    expect(error.cause.code).toBe('CORE_ERR_OBSERVER_FAILED');
    expect(error.cause.details.observer).toBe('picky');
    await app.flushEvents();
    expect(seen).toEqual(['registering:m', 'starting:m', 'error:m', 'error:-']);
  });

  it('throws the first failure and logs any other observer failing on the same event', async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (_obj: object | string, msg?: string) => void warnings.push(msg ?? ''), child: () => logger };
    const app = createApp({
      logger,
      strictObservers: true,
      observers: [
        { name: 'first', onEvent: (e) => { if (e.type === 'starting') throw new Error('one'); } },
        { name: 'second', onEvent: (e) => { if (e.type === 'starting') throw new Error('two'); } },
      ],
      modules: [{ name: 'm', version: '1.0.0' }],
    });
    const error = (await app.start().catch((e: unknown) => e)) as { cause: { details: { observer: string } } };
    expect(error.cause.details.observer).toBe('first');
    expect(warnings).toEqual(['another strict lifecycle observer failed on the same event']);
  });
});
