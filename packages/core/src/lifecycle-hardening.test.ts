/**
 * Lifecycle hardening (review of 2027-01): each test failed before its fix.
 * Thrown values String() cannot convert, lookups during disposal, the strict
 * 'registering' drain, createApp option checks, and how long stop() waits
 * for a slow observer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from './app.ts';
import type { Application } from './app.ts';
import { TENANT } from './builtins.ts';
import type { Logger } from './logger.ts';
import { silentLogger } from './logger.ts';
import type { ModuleDefinition } from './module.ts';
import type { TenantContext } from './tenancy.ts';
import { token } from './token.ts';

type Line = [string, Record<string, unknown>, string | undefined];

function captureLogger(lines: Line[]): Logger {
  const at = (level: string) => (obj: object | string, msg?: string) => void lines.push(typeof obj === 'string' ? [level, {}, obj] : [level, { ...(obj as Record<string, unknown>) }, msg]);
  const logger: Logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), child: () => logger };
  return logger;
}

/** What `run` throws or rejects with; fails the test when it succeeds. */
async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** A value String() throws on: an object without a prototype. */
const weird = (): unknown => Object.create(null);

describe('a hook that throws a value String() cannot convert', () => {
  const mod = (name: string, log: string[], extra: Partial<ModuleDefinition> = {}): ModuleDefinition => ({
    name,
    version: '1.0.0',
    start: () => void log.push(`start ${name}`),
    stop: () => void log.push(`stop ${name}`),
    ...extra,
  });

  it('start: rolls back the modules already started and rejects with CORE_ERR_START_FAILED describing the value', async () => {
    // Before the fix: a bare TypeError, no rollback, module a left started.
    const log: string[] = [];
    const app = createApp({ logger: silentLogger, modules: [mod('a', log), mod('b', log, { start: () => { throw weird(); } })] });
    const error = await failure(() => app.start());
    expect(error).toMatchObject({
      code: 'CORE_ERR_START_FAILED',
      message: "Module 'b' failed during start: a value of type object. Rolled back (stopped in this order): a",
      details: { module: 'b', phase: 'start', rolledBack: ['a'], rollbackFailures: [] },
    });
    expect([log, app.moduleState('a'), app.state]).toEqual([['start a', 'stop a'], 'stopped', 'failed']);
  });

  it('stop: stops every other module, ends stopped, and rejects with CORE_ERR_STOP_FAILED describing the value', async () => {
    // Before the fix: a bare TypeError, module a never stopped, the app stuck in 'stopping'.
    const log: string[] = [];
    const app = createApp({ logger: silentLogger, modules: [mod('a', log), mod('b', log, { stop: () => { throw weird(); } })] });
    await app.start();
    const error = await failure(() => app.stop());
    expect(error).toMatchObject({ code: 'CORE_ERR_STOP_FAILED', details: { failures: [{ module: 'b', phase: 'stop', code: undefined, name: 'object', message: 'a value of type object' }] } });
    expect([log, app.moduleState('a'), app.state]).toEqual([['start a', 'start b', 'stop a'], 'stopped', 'stopped']);
  });

  it('health: reports the module unhealthy, describing the value, instead of never answering', async () => {
    const app = createApp({ logger: silentLogger, healthTimeoutMs: 5000, modules: [mod('h', [], { health: () => { throw weird(); } })] });
    await app.start();
    const health = await app.health();
    expect([health.status, health.modules['h']?.message]).toEqual(['unhealthy', 'a value of type object']);
    await app.stop();
  });
});

describe('lookups end when stop() begins disposing', () => {
  it('module stop hooks still resolve; a lookup while instances are disposed is CORE_ERR_INVALID_STATE, and nothing is built then', async () => {
    // Before the fix: the app was still 'stopping', the lookup built tenant globex's instance and the app's LATE, never disposed.
    const log: string[] = [];
    const seen: unknown[] = [];
    const TEN = token<object>('tenantRes');
    const LATE = token<object>('lateRes');
    const FIRST = token<object>('firstRes');
    const lookUp = (run: () => unknown) => {
      try {
        run();
        seen.push('built');
      } catch (error) {
        seen.push([(error as { code?: string }).code, (error as Error).message, app.state]);
      }
    };
    const app: Application = createApp({
      id: 'disposing',
      logger: silentLogger,
      providers: [
        { provide: LATE, useFactory: () => ({ [Symbol.dispose]: () => void log.push('late') }) },
        { provide: TEN, scope: 'tenant', inject: [TENANT], useFactory: (t: TenantContext) => ({ [Symbol.dispose]: () => void log.push(`tenant ${t.id}`) }) },
        {
          provide: FIRST,
          useFactory: () => ({
            [Symbol.dispose]: () => {
              log.push('first');
              lookUp(() => app.runInTenant('globex', () => app.get(TEN)));
              lookUp(() => app.get(LATE));
              lookUp(() => app.tryGet(LATE));
              lookUp(() => app.getAll(LATE));
            },
          }),
        },
      ],
      modules: [{ name: 'm', version: '1.0.0', stop: (ctx) => void lookUp(() => ctx.runInTenant('acme', () => ctx.get(TEN))) }],
    });
    await app.start();
    app.get(FIRST);
    await app.stop();
    const refused = ['CORE_ERR_INVALID_STATE', "Cannot resolve services: application 'disposing' is stopping and disposing its services (lookups end when disposal begins)", 'stopping'];
    expect(seen).toEqual(['built', refused, refused, refused, refused]);
    expect(log).toEqual(['tenant acme', 'first']);
  });

  it('a module context kept into disposal is refused the same way', async () => {
    const SVC = token<object>('svc');
    const codes: unknown[] = [];
    let kept: { get: (key: typeof SVC) => object } | undefined;
    const tryLookup = () => {
      try {
        kept?.get(SVC);
        codes.push('built');
      } catch (error) {
        codes.push((error as { code?: string }).code);
      }
    };
    const app = createApp({
      logger: silentLogger,
      providers: [{ provide: SVC, useFactory: () => ({ [Symbol.dispose]: tryLookup }) }],
      modules: [{ name: 'm', version: '1.0.0', start: (ctx) => void ((kept = ctx), ctx.get(SVC)) }],
    });
    await app.start();
    await app.stop();
    expect(codes).toEqual(['CORE_ERR_INVALID_STATE']);
  });
});

describe('strict observers: the registering drain', () => {
  it('a lookup while start() awaits the registering deliveries still keeps a tenant-bound request-scoped service apart per tenant', async () => {
    // Before the fix: the lookup compiled the resolver before bindToTenants(), so acme saw globex's instance.
    const REPO = token<{ tenant: string }>('repo');
    const early: string[] = [];
    const app: Application = createApp({
      logger: silentLogger,
      strictObservers: true,
      providers: [{ provide: REPO, scope: 'request', inject: [TENANT], useFactory: (t: TenantContext) => ({ tenant: t.id }) }],
      observers: [
        (event) => {
          if (event.type !== 'registering') return;
          early.push(app.state);
          app.runInRequestScope(() => app.runInTenant('x', () => app.get(REPO)));
        },
      ],
    });
    app.register({ name: 'm', version: '1.0.0' });
    await app.start();
    const seen = app.runInRequestScope(() => [app.get(REPO).tenant, app.runInTenant('acme', () => app.get(REPO).tenant)], { tenant: 'globex' });
    expect([early, seen]).toEqual([['starting'], ['globex', 'acme']]);
    await app.stop();
  });
});

describe('createApp option checks', () => {
  it.each([
    ['providers: {}', { providers: {} }, 'CORE_ERR_INVALID_PROVIDER', 'createApp({ providers }): providers must be an array of provider declarations, got a value of type object'],
    ['decorators: {}', { decorators: {}, modules: [{ name: 'm', version: '1.0.0' }] }, 'CORE_ERR_INVALID_MODULE', 'createApp({ decorators }): decorators must be an array of module decorators ({ name, wrap(module), priority? }), got a value of type object'],
    ['decorators: [{}]', { decorators: [{}] }, 'CORE_ERR_INVALID_MODULE', 'createApp({ decorators }): decorators[0] is a value of type object, not one of module decorators ({ name, wrap(module), priority? })'],
    ['observers: 5', { observers: 5 }, 'CORE_ERR_INVALID_OPTIONS', 'createApp({ observers }): observers must be an array of observers (functions or { onEvent(event) } objects), got 5'],
    ['observers: [fn, "x"]', { observers: [() => undefined, 'x'] }, 'CORE_ERR_INVALID_OPTIONS', 'createApp({ observers }): observers[1] is "x", not one of observers (functions or { onEvent(event) } objects)'],
    ['observers: [null]', { observers: [null] }, 'CORE_ERR_INVALID_OPTIONS', 'createApp({ observers }): observers[0] is null, not one of observers (functions or { onEvent(event) } objects)'],
    ['observers: [{ onEvent: 1 }]', { observers: [{ onEvent: 1 }] }, 'CORE_ERR_INVALID_OPTIONS', 'createApp({ observers }): observers[0] is a value of type object, not one of observers (functions or { onEvent(event) } objects)'],
  ])('%s is refused with a coded validation error', async (_label, options, code, message) => {
    // Before the fix: a bare TypeError without a code.
    const error = await failure(() => createApp({ logger: silentLogger, ...(options as object) }));
    expect(error).toMatchObject({ code, category: 'validation', message });
  });

  it('accepts function and { onEvent } observers and module decorators', async () => {
    const seen: string[] = [];
    const app = createApp({
      logger: silentLogger,
      observers: [(e) => void seen.push(`fn ${e.type}`), { onEvent: (e) => void seen.push(`obj ${e.type}`) }],
      decorators: [{ name: 'same', wrap: (m) => m }],
      providers: [],
      modules: [{ name: 'm', version: '1.0.0' }],
    });
    await app.start();
    await app.stop();
    const types = ['registering', 'starting', 'started', 'stopping', 'stopped'];
    expect([seen.filter((s) => s.startsWith('fn ')), seen.filter((s) => s.startsWith('obj '))]).toEqual([types.map((t) => `fn ${t}`), types.map((t) => `obj ${t}`)]);
  });
});

describe('stop() and a slow observer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits about one observer timeout for an observer that settles just under it, not its whole backlog; the drop is logged', async () => {
    // Before the fix: 25 events x 900 ms held stop() for about 22 s.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const lines: Line[] = [];
    let calls = 0;
    const slow = () => new Promise<void>((resolve) => void ((calls += 1), setTimeout(resolve, 900)));
    const modules = Array.from({ length: 5 }, (_, i): ModuleDefinition => ({ name: `m${String(i)}`, version: '1.0.0' }));
    const app = createApp({ logger: captureLogger(lines), modules, observers: [slow], observerTimeoutMs: 1000 });
    await app.start();
    let stopped = false;
    const stopping = app.stop().then(() => void (stopped = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect([stopped, calls]).toEqual([true, 2]);
    const dropped = lines.filter(([, fields]) => 'dropped' in fields).map(([level, fields]) => [level, fields['observer'], fields['dropped'], fields['lastSeq']]);
    expect(dropped).toEqual([['warn', 'slow', 23, 25]]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls).toBe(2);
  });
});
