/**
 * stop() did not wait for module reload hooks still applying a configuration
 * change, so a reload hook ran alongside stop hooks and disposal.
 */
import { defineSchema, objectFeeder, t } from '@rampart/config';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { silentLogger } from './logger.ts';
import { token } from './token.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('stop() and configuration reloads', () => {
  it('waits for a reload hook in progress before the first stop hook and disposal', async () => {
    const pools = [5, 20];
    const log: string[] = [];
    const POOL = token<object>('pool');
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
          providers: [{ provide: POOL, useFactory: () => ({ [Symbol.dispose]: () => void log.push('dispose pool') }) }],
          start: (ctx) => void ctx.get(POOL),
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
    const reloaded = app.reloadConfig();
    await reloading;
    await app.stop();
    expect(log).toEqual(['reload begin 20', 'reload end', 'stop db', 'dispose pool']);
    await reloaded;
  });

  it('hands a change that comes once stop() has begun to no module', async () => {
    const pools = [5, 20];
    const log: string[] = [];
    const app = createApp({
      logger: silentLogger,
      config: { feeders: [objectFeeder(() => ({ db: { pool: pools.shift() } }))] },
      modules: [
        { name: 'db', version: '1.0.0', config: defineSchema({ pool: t.integer().dynamic() }), reload: () => void log.push('reload db'), stop: () => void log.push('stop db') },
        {
          name: 'web',
          version: '1.0.0',
          requires: ['db'],
          stop: async () => {
            log.push('stop web begin');
            await sleep(30);
            log.push('stop web end');
          },
        },
      ],
    });
    await app.start();
    // The sources are read after stop() began: db is still started while web stops.
    const reloaded = app.reloadConfig();
    await app.stop();
    await reloaded;
    expect(log).toEqual(['stop web begin', 'stop web end', 'stop db']);
  });

  it('waits for a hung reload hook only up to hookTimeouts.reload', async () => {
    const pools = [5, 20];
    const log: string[] = [];
    let begun: () => void = () => undefined;
    const reloading = new Promise<void>((resolve) => (begun = resolve));
    const app = createApp({
      logger: silentLogger,
      hookTimeouts: { reload: 20 },
      config: { feeders: [objectFeeder(() => ({ db: { pool: pools.shift() } }))] },
      modules: [
        {
          name: 'db',
          version: '1.0.0',
          config: defineSchema({ pool: t.integer().dynamic() }),
          reload: () => {
            begun();
            return new Promise<void>(() => undefined);
          },
          stop: () => void log.push('stop db'),
        },
      ],
    });
    await app.start();
    const reloaded = app.reloadConfig();
    await reloading;
    await app.stop();
    await reloaded;
    expect([app.state, log]).toEqual(['stopped', ['stop db']]);
  });
});
