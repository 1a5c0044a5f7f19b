import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { AppOptions } from './app.ts';
import { TENANT } from './builtins.ts';
import { silentLogger } from './logger.ts';
import { all, optional } from './provider.ts';
import type { TenantContext } from './tenancy.ts';
import { token } from './token.ts';

async function started(options: AppOptions) {
  const app = createApp({ logger: silentLogger, ...options });
  await app.start();
  return app;
}

interface Made {
  name: string;
  n: number;
}

/** Request-scoped providers that count how often each is built. */
function counted(...names: string[]) {
  const built: string[] = [];
  const tokens = names.map((name) => token<Made>(name));
  const providers = tokens.map((t, i) => ({
    provide: t,
    scope: 'request' as const,
    useFactory: () => {
      built.push(names[i] as string);
      return { name: names[i] as string, n: built.length };
    },
  }));
  return { built, tokens, providers };
}

describe('request scope instances', () => {
  it('builds each of several request-scoped services once per request and returns the same instance after', async () => {
    const { built, tokens, providers } = counted('a', 'b', 'c');
    const [a, b, c] = tokens as [ReturnType<typeof token<Made>>, ReturnType<typeof token<Made>>, ReturnType<typeof token<Made>>];
    const app = await started({ providers });
    const seen = app.runInRequestScope(() => [app.get(a), app.get(b), app.get(c), app.get(c), app.get(b), app.get(a)]);
    expect(built).toEqual(['a', 'b', 'c']);
    expect(seen.map((m) => `${m.name}${String(m.n)}`)).toEqual(['a1', 'b2', 'c3', 'c3', 'b2', 'a1']);
    expect(seen[0]).toBe(seen[5]);
    expect(seen[1]).toBe(seen[4]);
    expect(seen[2]).toBe(seen[3]);
    app.runInRequestScope(() => [app.get(c), app.get(a)]);
    expect(built).toEqual(['a', 'b', 'c', 'c', 'a']);
  });

  it('a request-scoped service injecting another shares the instance the request sees', async () => {
    const INNER = token<{ id: number }>('inner');
    const OUTER = token<{ inner: { id: number } }>('outer');
    let made = 0;
    const app = await started({
      providers: [
        { provide: INNER, scope: 'request', useFactory: () => ({ id: (made += 1) }) },
        { provide: OUTER, scope: 'request', inject: [INNER], useFactory: (inner: { id: number }) => ({ inner }) },
      ],
    });
    const [outer, inner, again] = app.runInRequestScope(() => [app.get(OUTER), app.get(INNER), app.get(OUTER)] as const);
    expect(made).toBe(1);
    expect(outer.inner).toBe(inner);
    expect(again).toBe(outer);
    expect(inner).toEqual({ id: 1 });
  });

  it('keeps nothing from a failing factory: the next lookup in the same request builds again', async () => {
    const FLAKY = token<{ attempt: number }>('flaky');
    let attempt = 0;
    const app = await started({
      providers: [
        {
          provide: FLAKY,
          scope: 'request',
          useFactory: () => {
            attempt += 1;
            if (attempt === 1) throw new Error('first attempt fails');
            return { attempt };
          },
        },
      ],
    });
    const result = app.runInRequestScope(() => {
      expect(() => app.get(FLAKY)).toThrow(expect.objectContaining({ code: 'CORE_ERR_PROVIDER_FAILED', message: "Creating service 'flaky' of the application failed" }));
      return [app.get(FLAKY), app.get(FLAKY)];
    });
    expect(result).toEqual([{ attempt: 2 }, { attempt: 2 }]);
    expect(result[0]).toBe(result[1]);
    expect(attempt).toBe(2);
  });

  it('returns exactly what fn returns: no await, no promise wrapping', async () => {
    const app = await started({});
    const promise = Promise.resolve('done');
    const value = { same: true };
    expect(app.runInRequestScope(() => promise)).toBe(promise);
    expect(app.runInRequestScope(() => value, { requestId: 'r' })).toBe(value);
    expect(app.runInRequestScope(() => undefined)).toBeUndefined();
  });

  it("keeps the caller's other async contexts inside the scope and gives back exactly the caller's context after it, also when fn throws", async () => {
    const { AsyncLocalStorage } = await import('node:async_hooks');
    const app = await started({});
    const trace = new AsyncLocalStorage<string>();
    const seen: unknown[] = [];
    await trace.run('span-1', () =>
      app.runInRequestScope(
        async () => {
          seen.push([trace.getStore(), app.currentRequestId()]);
          await new Promise((resolve) => setImmediate(resolve));
          seen.push([trace.getStore(), app.currentRequestId()]);
          expect(() => app.runInRequestScope(() => { throw new Error('inner'); }, { requestId: 'inner' })).toThrow('inner');
          seen.push([trace.getStore(), app.currentRequestId()]);
        },
        { requestId: 'outer' },
      ),
    );
    expect(seen).toEqual([['span-1', 'outer'], ['span-1', 'outer'], ['span-1', 'outer']]);
    expect([trace.getStore(), app.currentRequestId(), app.currentTenant()]).toEqual([undefined, undefined, undefined]);
  });
});

describe('request scope and tenants', () => {
  it('runInTenant inside a request keeps the request: same instances both ways, same request id, new tenant', async () => {
    const { built, tokens, providers } = counted('first', 'second');
    const [first, second] = tokens as [ReturnType<typeof token<Made>>, ReturnType<typeof token<Made>>];
    const app = await started({ providers });
    const seen = await app.runInRequestScope(
      async () => {
        const before = app.get(first);
        const inside = await app.runInTenant('acme', async () => {
          await Promise.resolve();
          return { first: app.get(first), second: app.get(second), tenant: app.currentTenant(), requestId: app.currentRequestId() };
        });
        return { before, inside, secondAfter: app.get(second), tenant: app.currentTenant(), requestId: app.currentRequestId() };
      },
      { requestId: 'req-7', tenant: 'globex' },
    );
    expect(built).toEqual(['first', 'second']);
    expect(seen.inside.first).toBe(seen.before);
    expect(seen.secondAfter).toBe(seen.inside.second);
    expect(seen.inside.tenant).toEqual({ id: 'acme' });
    expect(seen.inside.requestId).toBe('req-7');
    expect(seen.tenant).toEqual({ id: 'globex' });
    expect(seen.requestId).toBe('req-7');
  });

  it('a request-scoped service that reaches the tenant only through another request-scoped one is kept per tenant too, and shares the tenant-free ones', async () => {
    const SHARED = token<{ n: number }>('shared');
    const INNER = token<{ tenant: string; shared: { n: number } }>('inner');
    const OUTER = token<{ inner: { tenant: string } }>('outer');
    const built: string[] = [];
    const app = await started({
      providers: [
        { provide: SHARED, scope: 'request', useFactory: () => ({ n: built.push('shared') }) },
        { provide: INNER, scope: 'request', inject: [TENANT, SHARED], useFactory: (t: TenantContext, shared: { n: number }) => (built.push(`inner:${t.id}`), { tenant: t.id, shared }) },
        { provide: OUTER, scope: 'request', inject: [INNER], useFactory: (inner: { tenant: string }) => (built.push(`outer:${inner.tenant}`), { inner }) },
      ],
    });
    const seen = app.runInRequestScope(
      () => {
        const before = app.get(OUTER);
        const acme = app.runInTenant('acme', () => ({ outer: app.get(OUTER), inner: app.get(INNER), shared: app.get(SHARED) }));
        return { before, acme, after: app.get(OUTER), shared: app.get(SHARED) };
      },
      { tenant: 'globex' },
    );
    expect(built).toEqual(['shared', 'inner:globex', 'outer:globex', 'inner:acme', 'outer:acme']);
    expect(seen.acme.outer.inner).toBe(seen.acme.inner);
    expect(seen.acme.inner.shared).toBe(seen.shared);
    expect(seen.acme.shared).toBe(seen.shared);
    expect(seen.after).toBe(seen.before);
    expect(seen.before.inner.tenant).toBe('globex');
  });

  it('counts all() candidates in the closure and ignores an absent optional() dependency', async () => {
    const PART = token<string>('part');
    const PARTS = token<{ parts: string[] }>('parts');
    const ALONE = token<{ extra: unknown }>('alone');
    const app = await started({
      providers: [
        { provide: PART, scope: 'request', useFactory: () => 'fixed' },
        { provide: PART, scope: 'tenant', inject: [TENANT], useFactory: (t: TenantContext) => t.id },
        { provide: PARTS, scope: 'request', inject: [all(PART)], useFactory: (parts: string[]) => ({ parts }) },
        { provide: ALONE, scope: 'request', inject: [optional(token('absent'))], useFactory: (extra: unknown) => ({ extra }) },
      ],
    });
    const seen = app.runInRequestScope(
      () => {
        const before = { parts: app.get(PARTS), alone: app.get(ALONE) };
        const acme = app.runInTenant('acme', () => ({ parts: app.get(PARTS), alone: app.get(ALONE) }));
        return { before, acme };
      },
      { tenant: 'globex' },
    );
    expect(seen.before.parts.parts).toEqual(['fixed', 'globex']);
    expect(seen.acme.parts.parts).toEqual(['fixed', 'acme']);
    expect(seen.acme.alone).toBe(seen.before.alone);
  });

  it('keeps nothing from a factory that fails for another tenant inside the request: the next lookup builds again', async () => {
    const STAMP = token<{ tenant: string; attempt: number }>('stamp');
    let attempt = 0;
    const app = await started({
      providers: [
        {
          provide: STAMP,
          scope: 'request',
          inject: [TENANT],
          useFactory: (t: TenantContext) => {
            attempt += 1;
            if (attempt === 2) throw new Error('second attempt fails');
            return { tenant: t.id, attempt };
          },
        },
      ],
    });
    const seen = app.runInRequestScope(
      () => {
        const own = app.get(STAMP);
        const acme = app.runInTenant('acme', () => {
          expect(() => app.get(STAMP)).toThrow(expect.objectContaining({ code: 'CORE_ERR_PROVIDER_FAILED' }));
          return [app.get(STAMP), app.get(STAMP)];
        });
        return { own, acme };
      },
      { tenant: 'globex' },
    );
    expect(seen.own).toEqual({ tenant: 'globex', attempt: 1 });
    expect(seen.acme).toEqual([{ tenant: 'acme', attempt: 3 }, { tenant: 'acme', attempt: 3 }]);
    expect(seen.acme[0]).toBe(seen.acme[1]);
  });

  it('a tenant-bound service resolving itself for the same tenant is a provider cycle, in the request\'s tenant or another; for a third tenant it is none', async () => {
    interface Chain {
      readonly tenant: string;
      readonly next: Chain | undefined;
    }
    const CHAIN = token<Chain>('chain');
    const built: string[] = [];
    const app = await started({
      providers: [
        {
          provide: CHAIN,
          scope: 'request',
          inject: [TENANT],
          useFactory: (t: TenantContext): Chain => {
            built.push(t.id);
            if (t.id === 'globex') return { tenant: t.id, next: undefined };
            if (t.id === 'acme') return { tenant: t.id, next: app.runInTenant('globex', () => app.get(CHAIN)) };
            return { tenant: t.id, next: app.get(CHAIN) };
          },
        },
      ],
    });
    const cycle = expect.objectContaining({ code: 'CORE_ERR_PROVIDER_FAILED', cause: expect.objectContaining({ code: 'CORE_ERR_PROVIDER_CYCLE', details: { chain: ['chain', 'chain'] } }) });
    app.runInRequestScope(
      () => {
        expect(() => app.get(CHAIN)).toThrow(cycle);
        expect(() => app.runInTenant('umbrella', () => app.get(CHAIN))).toThrow(cycle);
        const acme = app.runInTenant('acme', () => app.get(CHAIN));
        expect(acme).toEqual({ tenant: 'acme', next: { tenant: 'globex', next: undefined } });
        expect(app.runInTenant('globex', () => app.get(CHAIN))).toBe(acme.next);
      },
      { tenant: 'initech' },
    );
    // Each refused at its first re-entry: the factory ran once per attempt.
    expect(built).toEqual(['initech', 'umbrella', 'acme', 'globex']);
  });

  it('a tenant-bound service outside a request scope is refused like any request-scoped one', async () => {
    const STAMP = token<{ tenant: string }>('stamp');
    const app = await started({ providers: [{ provide: STAMP, scope: 'request', inject: [TENANT], useFactory: (t: TenantContext) => ({ tenant: t.id }) }] });
    expect(() => app.runInTenant('acme', () => app.get(STAMP))).toThrow(
      expect.objectContaining({ code: 'CORE_ERR_NO_REQUEST_SCOPE', message: "Service 'stamp' of the application is request-scoped; resolve it inside app.runInRequestScope()", details: { service: 'stamp' } }),
    );
  });

  it('a nested request scope has its own instances and id, and keeps the tenant unless told otherwise', async () => {
    const { built, tokens, providers } = counted('svc');
    const [svc] = tokens as [ReturnType<typeof token<Made>>];
    const app = await started({ providers });
    const seen = app.runInTenant('acme', () =>
      app.runInRequestScope(
        () => {
          const outer = app.get(svc);
          const inner = app.runInRequestScope(() => ({ svc: app.get(svc), id: app.currentRequestId(), tenant: app.currentTenant() }), { requestId: 'inner' });
          const other = app.runInRequestScope(() => app.currentTenant(), { tenant: 'globex' });
          return { outer, inner, other, after: app.get(svc), id: app.currentRequestId() };
        },
        { requestId: 'outer' },
      ),
    );
    expect(built).toEqual(['svc', 'svc']);
    expect(seen.inner.svc).not.toBe(seen.outer);
    expect(seen.after).toBe(seen.outer);
    expect(seen.inner.id).toBe('inner');
    expect(seen.inner.tenant).toEqual({ id: 'acme' });
    expect(seen.other).toEqual({ id: 'globex' });
    expect(seen.id).toBe('outer');
  });

  it('a tenant context alone is no request scope', async () => {
    const { tokens, providers } = counted('svc');
    const [svc] = tokens as [ReturnType<typeof token<Made>>];
    const app = await started({ providers });
    app.runInTenant('acme', () => {
      expect(app.currentRequestId()).toBeUndefined();
      expect(() => app.get(svc)).toThrow(
        expect.objectContaining({ code: 'CORE_ERR_NO_REQUEST_SCOPE', message: "Service 'svc' of the application is request-scoped; resolve it inside app.runInRequestScope()", details: { service: 'svc' } }),
      );
    });
    expect(app.currentRequestId()).toBeUndefined();
    expect(app.currentTenant()).toBeUndefined();
  });

  it('refuses a malformed tenant before running fn', async () => {
    const app = await started({});
    let ran = false;
    expect(() =>
      app.runInRequestScope(
        () => {
          ran = true;
        },
        { tenant: 'bad tenant' },
      ),
    ).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_TENANT' }));
    expect(ran).toBe(false);
  });

  it('says exactly why a tenant id or a tenancy mode is refused', async () => {
    expect(() => createApp({ logger: silentLogger, tenancy: { mode: 'lenient' as 'strict' } })).toThrow(
      expect.objectContaining({ code: 'CORE_ERR_INVALID_TENANT', message: "tenancy.mode must be 'strict' or 'permissive', got \"lenient\"" }),
    );
    const app = await started({ tenancy: { isKnownTenant: (id) => id === 'acme' } });
    expect(() => app.runInTenant('no way', () => 1)).toThrow(
      expect.objectContaining({
        code: 'CORE_ERR_INVALID_TENANT',
        message: 'Tenant id must be a string of 1-128 letters, digits, ".", "_", ":" or "-" starting with a letter or digit',
        details: { type: 'string' },
      }),
    );
    expect(() => app.runInTenant(7 as unknown as string, () => 1)).toThrow(expect.objectContaining({ details: { type: 'number' } }));
    expect(() => app.runInRequestScope(() => 1, { tenant: 'globex' })).toThrow(
      expect.objectContaining({ code: 'CORE_ERR_INVALID_TENANT', message: "Tenant 'globex' is not known to this application", details: { tenant: 'globex' } }),
    );
    expect(app.runInTenant('acme', () => app.currentTenant())).toEqual({ id: 'acme' });
  });
});
