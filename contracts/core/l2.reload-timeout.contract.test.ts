// L2 contract of @rampart/core: createApp({ hookTimeouts: { reload } }) bounds
// each module's reload hook. app.reloadConfig() waits for the hooks, so a hung
// one would stall it: past the limit the hook is reported failed (an 'error'
// event with CORE_ERR_RELOAD_FAILED), left running, and the next module still
// gets its changes. The limit is validated like the other hook limits.
// Locked: these tests are never modified, only added to.
import { describe, expect, it } from 'vitest';
import { defineSchema, objectFeeder, t } from '@rampart/config';
import { createApp, isRampartError, silentLogger } from '@rampart/core';

const codeOf = (error: unknown): string => (isRampartError(error) ? error.code : 'no rampart error');

describe('@rampart/core L2: hookTimeouts.reload', () => {
  it('a reload hook past its limit is reported failed and does not stall reloadConfig() or the next module', async () => {
    let pool = 5;
    const applied: number[] = [];
    const failed: Array<string | undefined> = [];
    const app = createApp({
      logger: silentLogger,
      hookTimeouts: { reload: 25 },
      observers: [
        (event) => {
          if (event.type === 'error') failed.push(`${String(event.module)}:${String((event.error as { code?: string } | undefined)?.code)}`);
        },
      ],
      config: { feeders: [objectFeeder(() => ({ cache: { ttl: pool }, api: { limit: pool } }))] },
      modules: [
        { name: 'cache', version: '1.0.0', config: defineSchema({ ttl: t.integer().dynamic() }), reload: () => new Promise<void>(() => undefined) },
        { name: 'api', version: '1.0.0', requires: ['cache'], config: defineSchema({ limit: t.integer().dynamic() }), reload: (changes) => void applied.push(Number(changes[0]?.value)) },
      ],
    });
    await app.start();
    pool = 9;
    await app.reloadConfig();
    expect(applied).toEqual([9]);
    expect(failed).toEqual(['cache:CORE_ERR_RELOAD_FAILED']);
    await app.stop();
  });

  it('accepts reload as a hook limit and refuses a non-positive one with CORE_ERR_INVALID_OPTIONS', () => {
    expect(() => createApp({ logger: silentLogger, hookTimeouts: { reload: 1_000 } })).not.toThrow();
    let thrown: unknown;
    try {
      createApp({ logger: silentLogger, hookTimeouts: { reload: -1 } });
    } catch (error) {
      thrown = error;
    }
    expect(codeOf(thrown)).toBe('CORE_ERR_INVALID_OPTIONS');
  });
});
