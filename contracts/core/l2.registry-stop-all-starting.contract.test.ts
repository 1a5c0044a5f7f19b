// L2 contract of @rampart/core: AppRegistry.stopAll() waits for an app that
// is still starting and stops it once its start succeeds (a shutdown during a
// slow start left it running), and skips one whose start fails.
// Locked: these tests are never modified, only added to.
import { describe, expect, it } from 'vitest';
import { AppRegistry, silentLogger } from '@rampart/core';

const tick = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('@rampart/core L2: AppRegistry.stopAll() and starting apps', () => {
  it('stops an app that finishes starting during stopAll(), skips one whose start fails, and resolves', async () => {
    const registry = new AppRegistry();
    const order: string[] = [];
    const api = registry.create({
      id: 'api',
      logger: silentLogger,
      modules: [{ name: 'db', version: '1.0.0', start: async () => { await tick(15); order.push('start db'); }, stop: () => void order.push('stop db') }],
    });
    const jobs = registry.create({
      id: 'jobs',
      logger: silentLogger,
      modules: [{ name: 'queue', version: '1.0.0', start: async () => { await tick(5); throw new Error('queue down'); } }],
    });
    const started = api.start();
    const failed = jobs.start().then(() => 'started', () => 'failed');
    await expect(registry.stopAll()).resolves.toBeUndefined();
    expect({ api: api.state, jobs: jobs.state, order }).toEqual({ api: 'stopped', jobs: 'failed', order: ['start db', 'stop db'] });
    await started;
    expect(await failed).toBe('failed');
  });
});
