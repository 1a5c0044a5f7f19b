import { defineSchema, objectFeeder, t } from '@rampart/config';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { silentLogger } from './logger.ts';

describe('app.reloadConfig()', () => {
  it('resolves once the modules reload hooks have applied the changes, one reload after the other (it resolved before)', async () => {
    // One value per read of the sources: the load, then each reload.
    const pools = [5, 20, 30, 40];
    const log: string[] = [];
    const app = createApp({
      logger: silentLogger,
      config: { feeders: [objectFeeder(() => ({ db: { pool: pools.shift() } }))] },
      modules: [
        {
          name: 'db',
          version: '1.0.0',
          config: defineSchema({ pool: t.integer().default(5).dynamic() }),
          reload: async (changes) => {
            const value = String(changes[0]?.value);
            log.push(`begin ${value}`);
            await new Promise((r) => setTimeout(r, 10));
            log.push(`end ${value}`);
          },
        },
      ],
    });
    await app.start();
    const first = app.reloadConfig();
    await first;
    expect(log).toEqual(['begin 20', 'end 20']);
    const second = app.reloadConfig();
    const third = app.reloadConfig();
    await Promise.all([second, third]);
    expect(log).toEqual(['begin 20', 'end 20', 'begin 30', 'end 30', 'begin 40', 'end 40']);
    await app.stop();
  });
});

describe('hookTimeouts.reload', () => {
  it('bounds a hung reload hook: reloadConfig() settles, the hook is reported failed with CORE_ERR_HOOK_TIMEOUT, the next module still gets its changes', async () => {
    const pools = [5, 20];
    const seen: string[] = [];
    const errors: unknown[] = [];
    const app = createApp({
      logger: silentLogger,
      hookTimeouts: { reload: 20 },
      observers: [(event) => void (event.type === 'error' && errors.push({ module: event.module, error: event.error }))],
      config: { feeders: [objectFeeder(() => ({ db: { pool: pools[0] }, web: { pool: pools.shift() } }))] },
      modules: [
        { name: 'db', version: '1.0.0', config: defineSchema({ pool: t.integer().dynamic() }), reload: () => new Promise<void>(() => undefined) },
        { name: 'web', version: '1.0.0', config: defineSchema({ pool: t.integer().dynamic() }), reload: (changes) => void seen.push(String(changes[0]?.value)) },
      ],
    });
    await app.start();
    const result = await app.reloadConfig();
    expect(result.applied.length).toBe(2);
    expect(seen).toEqual(['20']);
    expect(errors).toEqual([{ module: 'db', error: expect.objectContaining({ code: 'CORE_ERR_RELOAD_FAILED' }) }]);
    await app.stop();
  });

  it('refuses a limit that is not a positive number of ms, and still names the valid keys for an unknown one', () => {
    expect(() => createApp({ logger: silentLogger, hookTimeouts: { reload: 0 } })).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_OPTIONS' }));
    expect(() => createApp({ logger: silentLogger, hookTimeouts: { relaod: 5 } as never })).toThrow(/init, start, stop, dispose and reload/);
  });
});
