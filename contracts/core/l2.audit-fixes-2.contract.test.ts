// L2 contract of @rampart/core: fixes from a second audit. tenantAware()
// health counts a tenant's report without a valid status as unhealthy and
// checks the tenants the module started; a tenancy.isKnownTenant that throws
// refuses the tenant with CORE_ERR_INVALID_TENANT; a strict observer that
// fails on an event does not keep it from the other observers; disposal never
// calls a thenable service's then() and goes on past a throwing dispose
// lookup; app.reloadConfig() resolves once the modules' reload hooks have run;
// app.inspect() names an injected anonymous class as its own entry does; a
// RampartError whose cause String() cannot convert still serializes.
// Locked: these tests are never modified, only added to.
import { describe, expect, it } from 'vitest';
import { defineSchema, objectFeeder, t } from '@rampart/config';
import { createApp, isRampartError, silentLogger, tenantAware, token } from '@rampart/core';
import type { HealthCheck, Logger } from '@rampart/core';

const codeOf = (error: unknown): string => (isRampartError(error) ? error.code : 'no rampart error');

describe('@rampart/core L2: tenantAware() health', () => {
  it('a tenant report without a valid status is unhealthy, and only started tenants are checked', async () => {
    const list = ['acme', 'globex'];
    const checked: string[] = [];
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
          decorators: [tenantAware({ tenants: () => list })],
          start: () => undefined,
          health: (ctx) => {
            const id = ctx.currentTenant()?.id ?? '-';
            checked.push(id);
            return reports.get(id) as HealthCheck;
          },
        },
      ],
    });
    await app.start();
    list.push('newco');
    const health = await app.health();
    expect([health.status, health.ready]).toEqual(['unhealthy', false]);
    expect(health.modules['search']?.message).toBe('globex: unhealthy (health hook returned no valid status)');
    expect(checked).toEqual(['acme', 'globex']);
    await app.stop();
  });
});

describe('@rampart/core L2: isKnownTenant that throws', () => {
  it('refuses the tenant with CORE_ERR_INVALID_TENANT (403), what it threw as the cause', async () => {
    const thrown = new Error('directory down');
    const app = createApp({
      logger: silentLogger,
      tenancy: {
        isKnownTenant: () => {
          throw thrown;
        },
      },
    });
    await app.start();
    let error: unknown;
    try {
      app.runInTenant('acme', () => undefined);
    } catch (caught) {
      error = caught;
    }
    expect(codeOf(error)).toBe('CORE_ERR_INVALID_TENANT');
    expect([(error as { status: number }).status, (error as Error).cause]).toEqual([403, thrown]);
    await app.stop();
  });
});

describe('@rampart/core L2: strict observers', () => {
  it('an event reaches every observer even when an earlier one fails on it; the start rolls back', async () => {
    const seen: string[] = [];
    const app = createApp({
      logger: silentLogger,
      strictObservers: true,
      observers: [
        (e) => {
          if (e.type === 'starting') throw new Error('refused');
        },
        (e) => void seen.push(`${e.type}:${e.module ?? '-'}`),
      ],
      modules: [{ name: 'm', version: '1.0.0' }],
    });
    const error = await app.start().then(
      () => 'no error',
      (caught: unknown) => caught,
    );
    expect([codeOf(error), codeOf((error as Error).cause)]).toEqual(['CORE_ERR_START_FAILED', 'CORE_ERR_OBSERVER_FAILED']);
    await app.flushEvents();
    expect(seen).toEqual(['registering:m', 'starting:m', 'error:m', 'error:-']);
  });
});

describe('@rampart/core L2: disposal', () => {
  it('never calls a thenable service then(), goes on past a throwing dispose lookup, and stop() ends stopped', async () => {
    const calls: string[] = [];
    const errors: string[] = [];
    const logger: Logger = { ...silentLogger, error: (_obj: object | string, msg?: string) => void errors.push(msg ?? ''), child: () => logger };
    const QUERY = token<object>('query');
    const STRICT = token<object>('strict');
    const app = createApp({
      logger,
      providers: [
        { provide: QUERY, useFactory: () => ({ then: () => void calls.push('then'), [Symbol.dispose]: () => void calls.push('dispose query') }) },
        {
          provide: STRICT,
          inject: [QUERY],
          useFactory: () =>
            new Proxy(
              {},
              {
                get: () => {
                  throw new Error('no such property');
                },
              },
            ),
        },
      ],
    });
    await app.start();
    app.get(STRICT);
    await app.stop();
    expect(app.state).toBe('stopped');
    expect(calls).toEqual(['dispose query']);
    expect(errors).toEqual(['service disposal failed']);
  });
});

describe('@rampart/core L2: app.reloadConfig()', () => {
  it('resolves once the modules reload hooks have applied the change', async () => {
    const pools = [5, 20];
    const applied: unknown[] = [];
    const app = createApp({
      logger: silentLogger,
      config: { feeders: [objectFeeder(() => ({ db: { pool: pools.shift() } }))] },
      modules: [
        {
          name: 'db',
          version: '1.0.0',
          config: defineSchema({ pool: t.integer().default(5).dynamic() }),
          reload: async (changes) => {
            await new Promise((resolve) => setTimeout(resolve, 10));
            applied.push(changes[0]?.value);
          },
        },
      ],
    });
    await app.start();
    const result = await app.reloadConfig();
    expect(result.applied).toHaveLength(1);
    expect(applied).toEqual([20]);
    await app.stop();
  });
});

describe('@rampart/core L2: inspect()', () => {
  it('names an injected anonymous class <anonymous class>, as its own entry', async () => {
    const Anonymous = (() => class {})();
    const USER = token<object>('user');
    const app = createApp({ logger: silentLogger, providers: [Anonymous, { provide: USER, inject: [Anonymous], useFactory: () => ({}) }] });
    await app.start();
    expect(app.inspect().services.find((s) => s.token === 'user')?.inject).toEqual(['<anonymous class>']);
    await app.stop();
  });
});

describe('@rampart/core L2: RampartError.toJSON()', () => {
  it('serializes an error whose cause is an object without a prototype (a hook may throw any value)', async () => {
    const app = createApp({
      logger: silentLogger,
      modules: [
        {
          name: 'm',
          version: '1.0.0',
          start: () => {
            throw Object.create(null) as Error;
          },
        },
      ],
    });
    const error = await app.start().then(
      () => 'no error',
      (caught: unknown) => caught,
    );
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: 'CORE_ERR_START_FAILED', cause: { name: 'object', message: 'a value of type object' } });
  });
});
