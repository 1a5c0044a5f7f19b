// L2 contract of @rampart/core: async factories in every caching scope (never
// cached rejected, what they resolve to disposed), thrown values String()
// cannot convert, lookups during disposal, tenant-aware stop, observable()'s
// onHook, createApp option checks and how long stop() waits for observers.
// Locked: these tests are never modified, only added to.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TENANT, createApp, defineModule, isRampartError, observable, silentLogger, tenantAware, token } from '@rampart/core';
import type { Application, Logger, TenantContext } from '@rampart/core';

const codeOf = (error: unknown): string => (isRampartError(error) ? error.code : 'no rampart error');

/** What `run` throws or rejects with ('no error' when it succeeds). */
async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return 'no error';
}

/** A value String() throws on: an object without a prototype (typed unknown: it is thrown on purpose). */
const noPrototype = (): unknown => Object.create(null);

/** An async factory that rejects on its first call and resolves `{ attempt }` afterwards. */
function failsOnce() {
  let attempt = 0;
  return async () => {
    attempt += 1;
    if (attempt === 1) throw new Error('blip');
    return Promise.resolve({ attempt });
  };
}

describe('@rampart/core L2 hardening: async factories', () => {
  it('a tenant-scoped async factory whose promise rejected is built again on the next lookup', async () => {
    const CONN = token<Promise<{ attempt: number }>>('tenantConn');
    const app = createApp({ logger: silentLogger, providers: [{ provide: CONN, scope: 'tenant', useFactory: failsOnce() }] });
    await app.start();
    await expect(app.runInTenant('acme', () => app.get(CONN))).rejects.toThrow('blip');
    await expect(app.runInTenant('acme', () => app.get(CONN))).resolves.toEqual({ attempt: 2 });
    await app.stop();
  });

  it('a request-scoped async factory whose promise rejected is built again in the same request', async () => {
    const REQ = token<Promise<{ attempt: number }>>('reqConn');
    const app = createApp({ logger: silentLogger, providers: [{ provide: REQ, scope: 'request', useFactory: failsOnce() }] });
    await app.start();
    const outcomes = await app.runInRequestScope(async () => [await app.get(REQ).catch((e: unknown) => (e as Error).message), await app.get(REQ)]);
    expect(outcomes).toEqual(['blip', { attempt: 2 }]);
    await app.stop();
  });

  it('stop() and releaseTenant() dispose what app- and tenant-scoped async factories resolved to', async () => {
    const disposed: string[] = [];
    const POOL = token<Promise<object>>('asyncPool');
    const REPO = token<Promise<object>>('asyncTenantRepo');
    const resource = (name: string) => ({ [Symbol.asyncDispose]: () => Promise.resolve(void disposed.push(name)) });
    const app = createApp({
      logger: silentLogger,
      providers: [
        { provide: POOL, useFactory: () => Promise.resolve(resource('pool')) },
        { provide: REPO, scope: 'tenant', inject: [TENANT], useFactory: (t: TenantContext) => Promise.resolve(resource(`repo ${t.id}`)) },
      ],
    });
    await app.start();
    await app.get(POOL);
    await app.runInTenant('acme', () => app.get(REPO));
    await app.runInTenant('globex', () => app.get(REPO));
    await app.releaseTenant('acme');
    expect(disposed).toEqual(['repo acme']);
    await app.stop();
    expect(disposed).toEqual(['repo acme', 'repo globex', 'pool']);
  });
});

describe('@rampart/core L2 hardening: thrown values String() cannot convert', () => {
  it('a start hook throwing an object without a prototype still rolls back and rejects with CORE_ERR_START_FAILED', async () => {
    const calls: string[] = [];
    const app = createApp({
      logger: silentLogger,
      modules: [
        defineModule({ name: 'a', version: '1.0.0', start: () => void calls.push('start a'), stop: () => void calls.push('stop a') }),
        defineModule({ name: 'b', version: '1.0.0', requires: ['a'], start: () => { throw noPrototype(); } }),
      ],
    });
    expect(codeOf(await failure(() => app.start()))).toBe('CORE_ERR_START_FAILED');
    expect([calls, app.state]).toEqual([['start a', 'stop a'], 'failed']);
  });

  it('a stop hook throwing an object without a prototype still stops the others and rejects with CORE_ERR_STOP_FAILED', async () => {
    const calls: string[] = [];
    const app = createApp({
      logger: silentLogger,
      modules: [
        defineModule({ name: 'a', version: '1.0.0', stop: () => void calls.push('stop a') }),
        defineModule({ name: 'b', version: '1.0.0', requires: ['a'], stop: () => { throw noPrototype(); } }),
      ],
    });
    await app.start();
    expect(codeOf(await failure(() => app.stop()))).toBe('CORE_ERR_STOP_FAILED');
    expect([calls, app.state]).toEqual([['stop a'], 'stopped']);
  });

  it('a health hook throwing an object without a prototype reports the module unhealthy', async () => {
    const app = createApp({ logger: silentLogger, modules: [defineModule({ name: 'h', version: '1.0.0', health: () => { throw noPrototype(); } })] });
    await app.start();
    const health = await app.health();
    expect([health.status, health.ready, health.modules['h']?.status]).toEqual(['unhealthy', false, 'unhealthy']);
    await app.stop();
  });
});

describe('@rampart/core L2 hardening: lifecycle', () => {
  it('once stop() disposes services, a lookup throws CORE_ERR_INVALID_STATE; stop hooks still resolve', async () => {
    const SVC = token<object>('svc');
    const seen: string[] = [];
    const attempt = (label: string) => {
      try {
        app.get(SVC);
        seen.push(`${label}: resolved`);
      } catch (error) {
        seen.push(`${label}: ${codeOf(error)}`);
      }
    };
    const app: Application = createApp({
      logger: silentLogger,
      providers: [{ provide: SVC, useFactory: () => ({ [Symbol.dispose]: () => attempt('while disposing') }) }],
      modules: [defineModule({ name: 'm', version: '1.0.0', stop: () => attempt('stop hook') })],
    });
    await app.start();
    await app.stop();
    expect(seen).toEqual(['stop hook: resolved', 'while disposing: CORE_ERR_INVALID_STATE']);
  });

  it('tenantAware() stops the tenants that started, latest first, even if its tenants function answers otherwise at stop', async () => {
    let tenants = ['acme', 'globex'];
    const calls: string[] = [];
    const app = createApp({
      logger: silentLogger,
      modules: [
        defineModule({
          name: 'search',
          version: '1.0.0',
          decorators: [tenantAware({ tenants: () => tenants })],
          start: (ctx) => void calls.push(`start ${String(ctx.currentTenant()?.id)}`),
          stop: (ctx) => void calls.push(`stop ${String(ctx.currentTenant()?.id)}`),
        }),
      ],
    });
    await app.start();
    tenants = ['globex', 'initech'];
    await app.stop();
    expect(calls).toEqual(['start acme', 'start globex', 'stop globex', 'stop acme']);
  });

  it('observable() with an onHook that throws neither fails a healthy hook nor replaces a failing hook’s error', async () => {
    const onHook = () => {
      throw new Error('metrics down');
    };
    const healthy = createApp({ logger: silentLogger, modules: [defineModule({ name: 'ok', version: '1.0.0', decorators: [observable({ onHook })], start: () => undefined })] });
    await healthy.start();
    expect(healthy.state).toBe('started');
    await healthy.stop();
    const failing = createApp({ logger: silentLogger, modules: [defineModule({ name: 'bad', version: '1.0.0', decorators: [observable({ onHook })], start: () => Promise.reject(new Error('db refused')) })] });
    const error = await failure(() => failing.start());
    expect([codeOf(error), ((error as Error).cause as Error).message]).toEqual(['CORE_ERR_START_FAILED', 'db refused']);
  });
});

describe('@rampart/core L2 hardening: createApp options', () => {
  it.each([
    ['providers', { providers: {} }, 'CORE_ERR_INVALID_PROVIDER'],
    ['decorators', { decorators: {} }, 'CORE_ERR_INVALID_MODULE'],
    ['observers', { observers: 5 }, 'CORE_ERR_INVALID_OPTIONS'],
    ['observer entries', { observers: ['not an observer'] }, 'CORE_ERR_INVALID_OPTIONS'],
  ])('malformed %s are refused with a coded validation error', async (_label, options, code) => {
    const error = await failure(() => createApp({ logger: silentLogger, ...(options as object) }));
    expect(isRampartError(error) && [error.code, error.category]).toEqual([code, 'validation']);
  });
});

describe('@rampart/core L2 hardening: stop() and slow observers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stop() waits about one observerTimeoutMs for observers, even for one that settles each call just under it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const warnings: unknown[] = [];
    const logger: Logger = { ...silentLogger, warn: (obj: object | string) => void warnings.push(obj), child: () => logger };
    const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 900));
    const modules = ['a', 'b', 'c'].map((name) => defineModule({ name, version: '1.0.0' }));
    const app = createApp({ logger, modules, observers: [slow], observerTimeoutMs: 1000 });
    await app.start();
    let stopped = false;
    const stopping = app.stop().then(() => void (stopped = true));
    await vi.advanceTimersByTimeAsync(1000);
    await stopping;
    expect(stopped).toBe(true);
    expect(warnings).toContainEqual(expect.objectContaining({ dropped: expect.any(Number) as unknown }));
  });
});
