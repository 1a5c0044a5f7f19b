import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { HealthCheck } from './health.ts';
import { silentLogger } from './logger.ts';
import { tenantAware } from './module-decorators.ts';

describe('tenantAware() health', () => {
  it('reports a tenant whose health hook returns no valid status as unhealthy, as a plain module is (it read healthy)', async () => {
    const reports = new Map<string, unknown>([
      ['acme', { status: 'healthy' }],
      ['globex', { status: 'down' }],
    ]);
    const app = createApp({
      logger: silentLogger,
      modules: [
        {
          name: 'search',
          version: '1.0.0',
          decorators: [tenantAware({ tenants: ['acme', 'globex'] })],
          health: (ctx) => reports.get(ctx.currentTenant()?.id ?? '') as HealthCheck,
        },
      ],
    });
    await app.start();
    const health = await app.health();
    expect(health.status).toBe('unhealthy');
    expect(health.ready).toBe(false);
    expect(health.modules['search']).toMatchObject({ status: 'unhealthy', message: 'globex: unhealthy (health hook returned no valid status)' });
    reports.set('globex', undefined);
    expect((await app.health()).modules['search']).toMatchObject({ status: 'unhealthy', message: 'globex: unhealthy (health hook returned no valid status)' });
    reports.set('globex', { status: 'degraded', message: 42 });
    expect((await app.health()).modules['search']).toMatchObject({ status: 'degraded', message: 'globex: degraded' });
    await app.stop();
  });
});

describe('tenantAware() health of a tenants function', () => {
  it('checks the tenants the module started, not a list that changed since (it ran the hook for a tenant never started)', async () => {
    const list = ['acme'];
    const checked: string[] = [];
    const app = createApp({
      logger: silentLogger,
      modules: [
        {
          name: 'search',
          version: '1.0.0',
          decorators: [tenantAware({ tenants: () => list })],
          start: () => undefined,
          health: (ctx) => {
            checked.push(ctx.currentTenant()?.id ?? '-');
            return { status: 'healthy' };
          },
        },
      ],
    });
    await app.start();
    list.push('newco');
    expect((await app.health()).modules['search']).toMatchObject({ status: 'healthy' });
    expect(checked).toEqual(['acme']);
    await app.stop();
  });
});
