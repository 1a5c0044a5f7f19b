import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { silentLogger } from './logger.ts';

describe('tenancy.isKnownTenant that throws', () => {
  it('refuses the tenant with CORE_ERR_INVALID_TENANT and keeps what it threw as the cause (it escaped without a code)', async () => {
    const failure = new Error('tenant directory not loaded');
    const app = createApp({
      logger: silentLogger,
      tenancy: {
        isKnownTenant: () => {
          throw failure;
        },
      },
    });
    await app.start();
    let ran = false;
    for (const enter of [() => app.runInTenant('acme', () => (ran = true)), () => app.runInRequestScope(() => (ran = true), { tenant: 'acme' })]) {
      expect(enter).toThrow(
        expect.objectContaining({
          code: 'CORE_ERR_INVALID_TENANT',
          status: 403,
          message: "Tenant 'acme' refused: tenancy.isKnownTenant threw",
          details: { tenant: 'acme' },
          cause: failure,
        }),
      );
    }
    expect(ran).toBe(false);
    await app.stop();
  });
});
