/**
 * AppRegistry.stopAll() during a shutdown that arrives while an app is still
 * starting: that app used to be skipped (only 'started' apps were stopped), so
 * it finished starting after the shutdown and kept running.
 */
import { describe, expect, it } from 'vitest';
import { AppRegistry } from './app-registry.ts';
import { silentLogger } from './logger.ts';

const tick = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('AppRegistry.stopAll() and starting apps', () => {
  it('waits for an app still starting and stops it once started; skips one whose start fails', async () => {
    const registry = new AppRegistry();
    const log: string[] = [];
    const slow = registry.create({
      id: 'slow',
      logger: silentLogger,
      modules: [{ name: 'db', version: '1.0.0', start: async () => { await tick(20); log.push('db started'); }, stop: () => void log.push('db stopped') }],
    });
    const broken = registry.create({
      id: 'broken',
      logger: silentLogger,
      modules: [{ name: 'cache', version: '1.0.0', start: async () => { await tick(10); throw new Error('no cache'); } }],
    });
    const starts = [slow.start(), broken.start().catch((error: unknown) => error)];
    expect([slow.state, broken.state]).toEqual(['starting', 'starting']);
    await registry.stopAll();
    expect([slow.state, broken.state]).toEqual(['stopped', 'failed']);
    expect(log).toEqual(['db started', 'db stopped']);
    await Promise.all(starts);
  });
});
