import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { AppOptions } from './app.ts';
import { TENANT } from './builtins.ts';
import { silentLogger } from './logger.ts';
import type { TenantContext } from './tenancy.ts';
import { token } from './token.ts';
import type { Token } from './token.ts';

interface Ledger {
  readonly tenant: string;
  entries: string[];
}
const LEDGER = token<Ledger>('ledger');
const tenantProviders = [{ provide: LEDGER, scope: 'tenant' as const, inject: [TENANT], useFactory: (t: TenantContext) => ({ tenant: t.id, entries: [] as string[] }) }];

async function started(options: AppOptions = {}) {
  const app = createApp({ logger: silentLogger, providers: tenantProviders, ...options });
  await app.start();
  return app;
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('tenant isolation', () => {
  it('keeps 500 concurrently active tenants apart through interleaved async chains (no cross-tenant leakage)', async () => {
    const app = await started();
    const ids = Array.from({ length: 500 }, (_, i) => `tenant-${String(i)}`);
    const results = await Promise.all(
      ids.map((id, i) =>
        app.runInTenant(id, async () => {
          for (let step = 0; step < 3; step += 1) {
            await (i % 3 === step ? tick() : Promise.resolve());
            expect(app.currentTenant()?.id).toBe(id);
            app.get(LEDGER).entries.push(`${id}#${String(step)}`);
          }
          return app.get(LEDGER);
        }),
      ),
    );
    results.forEach((ledger, i) => {
      const id = ids[i] as string;
      expect(ledger.tenant).toBe(id);
      expect(ledger.entries).toEqual([`${id}#0`, `${id}#1`, `${id}#2`]);
    });
    expect(new Set(results).size).toBe(500);
  });

  it('gives each app its own tenant instances and context', async () => {
    const a = await started();
    const b = await started();
    const fromA = a.runInTenant('acme', () => a.get(LEDGER));
    expect(b.runInTenant('acme', () => b.get(LEDGER))).not.toBe(fromA);
    expect(a.runInTenant('acme', () => b.currentTenant())).toBeUndefined();
  });

  it('drops a released tenant, so a new instance starts empty', async () => {
    const app = await started();
    app.runInTenant('acme', () => app.get(LEDGER).entries.push('secret'));
    await app.releaseTenant('acme');
    await app.releaseTenant('never-seen');
    expect(app.runInTenant('acme', () => app.get(LEDGER).entries)).toEqual([]);
  });
});

describe('request-scoped services inside runInTenant (cross-tenant leak through the request cache)', () => {
  interface Stamp {
    readonly tenant: string;
    readonly n: number;
  }
  const STAMP = token<Stamp>('stamp');
  const AUDIT = token<{ ledger: Ledger; n: number }>('audit');
  const VIA = token<{ ledger: Ledger }>('via');
  const PLAIN = token<{ n: number }>('plain');

  /** STAMP injects TENANT; AUDIT reaches the tenant-scoped ledger through a transient; PLAIN depends on no tenant. */
  function leakApp(tenancy?: AppOptions['tenancy']) {
    let made = 0;
    return started({
      tenancy,
      providers: [
        ...tenantProviders,
        { provide: STAMP, scope: 'request', inject: [TENANT], useFactory: (t: TenantContext) => ({ tenant: t.id, n: (made += 1) }) },
        { provide: VIA, scope: 'transient', inject: [LEDGER], useFactory: (ledger: Ledger) => ({ ledger }) },
        { provide: AUDIT, scope: 'request', inject: [VIA], useFactory: (via: { ledger: Ledger }) => ({ ledger: via.ledger, n: (made += 1) }) },
        { provide: PLAIN, scope: 'request', useFactory: () => ({ n: (made += 1) }) },
      ],
    });
  }

  it("serves acme its own instances inside runInTenant('acme') in a globex request, and globex its own after", async () => {
    const app = await leakApp();
    const seen = await app.runInRequestScope(
      async () => {
        const before = { stamp: app.get(STAMP), audit: app.get(AUDIT), plain: app.get(PLAIN) };
        const inside = await app.runInTenant('acme', async () => {
          await tick();
          return { stamp: app.get(STAMP), audit: app.get(AUDIT), plain: app.get(PLAIN) };
        });
        const again = app.runInTenant('acme', () => ({ stamp: app.get(STAMP), audit: app.get(AUDIT) }));
        await tick();
        return { before, inside, again, after: { stamp: app.get(STAMP), audit: app.get(AUDIT), plain: app.get(PLAIN) } };
      },
      { tenant: 'globex' },
    );
    expect([seen.before.stamp.tenant, seen.before.audit.ledger.tenant]).toEqual(['globex', 'globex']);
    expect([seen.inside.stamp.tenant, seen.inside.audit.ledger.tenant]).toEqual(['acme', 'acme']);
    expect(seen.inside.stamp).not.toBe(seen.before.stamp);
    expect(seen.inside.audit).not.toBe(seen.before.audit);
    // Built once per (request, tenant): a second runInTenant('acme') in the same request gets the same ones.
    expect(seen.again.stamp).toBe(seen.inside.stamp);
    expect(seen.again.audit).toBe(seen.inside.audit);
    expect(seen.after.stamp).toBe(seen.before.stamp);
    expect(seen.after.audit).toBe(seen.before.audit);
    expect([seen.after.stamp.tenant, seen.after.audit.ledger.tenant]).toEqual(['globex', 'globex']);
    // The tenant-independent service stays one instance for the whole request.
    expect(seen.inside.plain).toBe(seen.before.plain);
    expect(seen.after.plain).toBe(seen.before.plain);
  });

  it('a request without a tenant refuses tenant-bound services (strict), then builds them per tenant inside runInTenant', async () => {
    const app = await leakApp();
    const seen = app.runInRequestScope(() => {
      expect(() => app.get(STAMP)).toThrow(expect.objectContaining({ code: 'CORE_ERR_TENANT_REQUIRED' }));
      const plain = app.get(PLAIN);
      const acme = app.runInTenant('acme', () => ({ stamp: app.get(STAMP), audit: app.get(AUDIT), plain: app.get(PLAIN) }));
      const globex = app.runInTenant('globex', () => ({ stamp: app.get(STAMP), audit: app.get(AUDIT), plain: app.get(PLAIN) }));
      return { plain, acme, globex };
    });
    expect([seen.acme.stamp.tenant, seen.acme.audit.ledger.tenant]).toEqual(['acme', 'acme']);
    expect([seen.globex.stamp.tenant, seen.globex.audit.ledger.tenant]).toEqual(['globex', 'globex']);
    expect(seen.acme.plain).toBe(seen.plain);
    expect(seen.globex.plain).toBe(seen.plain);
  });

  it('a request without a tenant in permissive mode keeps the fallback instance apart from the tenants it enters', async () => {
    const app = await leakApp({ mode: 'permissive' });
    const seen = app.runInRequestScope(() => {
      const fallback = app.get(STAMP);
      const acme = app.runInTenant('acme', () => app.get(STAMP));
      return { fallback, acme, after: app.get(STAMP) };
    });
    expect([seen.fallback.tenant, seen.acme.tenant, seen.after.tenant]).toEqual(['__fallback__', 'acme', '__fallback__']);
    expect(seen.after).toBe(seen.fallback);
  });
});

describe('guard bypass attempts', () => {
  it('strict mode refuses tenant-scoped lookups without a tenant context, also via injection and the TENANT token', async () => {
    const REPORT = token<Ledger>('report');
    const app = await started({ providers: [...tenantProviders, { provide: REPORT, scope: 'tenant', inject: [LEDGER], useFactory: (l: Ledger) => l }] });
    for (const key of [LEDGER, REPORT, TENANT] as Token<unknown>[]) {
      expect(() => app.get(key)).toThrow(expect.objectContaining({ code: 'CORE_ERR_TENANT_REQUIRED', category: 'security', status: 403 }));
    }
    await expect(app.runInRequestScope(() => Promise.resolve().then(() => app.get(LEDGER)))).rejects.toMatchObject({ code: 'CORE_ERR_TENANT_REQUIRED' });
  });

  it.each([
    ['', 'empty'],
    ['../other', 'path'],
    ['a'.repeat(129), 'too long'],
    ['__proto__', 'prototype key'],
    ['acme\u0000', 'NUL'],
    [' acme', 'leading space'],
    [42, 'number'],
    [{ toString: () => 'acme' }, 'object with toString'],
  ] as [unknown, string][])('refuses a forged tenant id %j (%s)', async (id) => {
    const app = await started();
    expect(() => app.runInTenant(id as string, () => app.get(LEDGER))).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_TENANT' }));
  });

  it('refuses entering the permissive fallback tenant explicitly', async () => {
    const app = await started({ tenancy: { mode: 'permissive', fallbackTenant: 'shared' } });
    expect(() => app.runInTenant('shared', () => 1)).toThrow("Tenant id 'shared' is reserved for the permissive-mode fallback");
  });

  it('refuses unknown tenants when an allow-list is configured', async () => {
    const app = await started({ tenancy: { isKnownTenant: (id) => id === 'acme' } });
    expect(app.runInTenant('acme', () => app.get(LEDGER).tenant)).toBe('acme');
    expect(() => app.runInTenant('evil', () => 1)).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_TENANT', details: { tenant: 'evil' } }));
    expect(() => app.runInRequestScope(() => 1, { tenant: 'evil' })).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_TENANT' }));
  });

  it('admits a tenant only when isKnownTenant returns exactly true: an async hook or a truthy non-boolean refuses every tenant', async () => {
    const asyncHook = await started({ tenancy: { isKnownTenant: (async (id: string) => Promise.resolve(id === 'acme')) as never } });
    for (const id of ['acme', 'evil']) {
      expect(() => asyncHook.runInTenant(id, () => 1)).toThrow(
        expect.objectContaining({
          code: 'CORE_ERR_INVALID_TENANT',
          message: `Tenant '${id}' refused: tenancy.isKnownTenant returned a value of type object, not true or false (the hook must be synchronous: an async one returns a Promise)`,
          details: { tenant: id },
        }),
      );
    }
    const truthy = await started({ tenancy: { isKnownTenant: (() => 1) as never } });
    expect(() => truthy.runInRequestScope(() => 1, { tenant: 'acme' })).toThrow("Tenant 'acme' refused: tenancy.isKnownTenant returned 1, not true or false");
  });

  it('freezes the tenant context so code down the chain cannot re-point it', async () => {
    const app = await started();
    app.runInTenant('acme', () => {
      const ctx = app.currentTenant() as { id: string };
      expect(() => {
        ctx.id = 'globex';
      }).toThrow(TypeError);
      expect(app.get(LEDGER).tenant).toBe('acme');
    });
  });

  it('permissive mode falls back to the reserved tenant with one warning per service', async () => {
    const warnings: { obj: unknown; msg: string | undefined }[] = [];
    const logger = { ...silentLogger, warn: (obj: unknown, msg?: string) => void warnings.push({ obj, msg }), child: () => logger };
    const app = createApp({ logger, providers: tenantProviders, tenancy: { mode: 'permissive' } });
    await app.start();
    expect(app.get(LEDGER).tenant).toBe('__fallback__');
    expect(app.get(LEDGER)).toBe(app.get(LEDGER));
    expect(app.runInTenant('acme', () => app.get(LEDGER).tenant)).toBe('acme');
    const msg = 'tenant-scoped service resolved without a tenant context; using the fallback tenant (permissive tenancy)';
    // The ledger and the TENANT token it injects are two tenant-scoped services.
    expect(warnings).toEqual([
      { obj: { service: 'ledger', tenant: '__fallback__' }, msg },
      { obj: { service: 'rampart.tenant', tenant: '__fallback__' }, msg },
    ]);
  });

  it('rejects an unknown tenancy mode', () => {
    expect(() => createApp({ logger: silentLogger, tenancy: { mode: 'lenient' as never } })).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_TENANT' }));
  });

  it('rejects a tenancy mode of another type (a BigInt) with the same coded error', () => {
    expect(() => createApp({ logger: silentLogger, tenancy: { mode: 1n as never } })).toThrow(
      expect.objectContaining({ code: 'CORE_ERR_INVALID_TENANT', message: "tenancy.mode must be 'strict' or 'permissive', got 1" }),
    );
  });
});

describe('scope leak detection', () => {
  it.each([
    ['app', 'tenant'],
    ['app', 'request'],
    ['tenant', 'request'],
    ['singleton', 'app'],
  ] as const)('rejects a %s service injecting a %s service before anything starts', async (outer, inner) => {
    const INNER = token<unknown>('inner');
    const OUTER = token<unknown>('outer');
    let started = false;
    const app = createApp({
      logger: silentLogger,
      providers: [{ provide: INNER, scope: inner, useFactory: () => ({}) }, { provide: OUTER, scope: outer, inject: [INNER], useFactory: () => ({}) }],
      modules: [{ name: 'm', version: '1.0.0', start: () => void (started = true) }],
    });
    await expect(app.start()).rejects.toMatchObject({ code: 'CORE_ERR_SCOPE_LEAK', details: { service: 'outer', scope: outer, dependency: 'inner', dependencyScope: inner } });
    expect(started).toBe(false);
  });

  it('prevents a tenant-scoped instance from being captured by an app-wide service (the leak it would cause)', async () => {
    const CACHE = token<Ledger>('cache');
    const app = createApp({ logger: silentLogger, providers: [...tenantProviders, { provide: CACHE, inject: [LEDGER], useFactory: (l: Ledger) => l }] });
    await expect(app.start()).rejects.toMatchObject({ code: 'CORE_ERR_SCOPE_LEAK' });
  });
});
