import { FakeClock } from '@rampart/mocks';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { AppOptions } from './app.ts';
import type { LifecycleEvent } from './events.ts';
import { silentLogger } from './logger.ts';
import { Module, defineModule, moduleClass } from './module.ts';
import type { ModuleContext, ModuleDefinition } from './module.ts';
import { token } from './token.ts';
import { CORE_VERSION } from './version.ts';
import { readFileSync } from 'node:fs';

type Call = string;
function recorder() {
  const calls: Call[] = [];
  const mod = (name: string, extra: Partial<ModuleDefinition> = {}): ModuleDefinition => ({
    name,
    version: '1.0.0',
    init: () => void calls.push(`init ${name}`),
    start: () => void calls.push(`start ${name}`),
    stop: () => void calls.push(`stop ${name}`),
    ...extra,
  });
  return { calls, mod };
}

const app = (options: AppOptions) => createApp({ logger: silentLogger, ...options });
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as { code: string; message: string; details: Record<string, unknown>; cause: unknown });

describe('start and stop order', () => {
  it('inits and starts in dependency order (ties by registration), stops in reverse', async () => {
    const { calls, mod } = recorder();
    const a = app({ modules: [mod('web', { requires: ['cache', 'db'] }), mod('cache', { requires: ['db'] }), mod('db'), mod('log')] });
    await a.start();
    expect(calls).toEqual(['init db', 'start db', 'init cache', 'start cache', 'init web', 'start web', 'init log', 'start log']);
    expect(a.inspect().startOrder).toEqual(['db', 'cache', 'web', 'log']);
    calls.length = 0;
    await a.stop();
    expect(calls).toEqual(['stop log', 'stop web', 'stop cache', 'stop db']);
    expect(a.state).toBe('stopped');
  });

  it('starts optional dependencies first when present, and ignores them when absent', async () => {
    const { calls, mod } = recorder();
    await app({ modules: [mod('api', { optionalRequires: ['metrics', 'tracing'] }), mod('metrics')] }).start();
    expect(calls).toEqual(['init metrics', 'start metrics', 'init api', 'start api']);
  });

  it('reports a cycle with its full chain before any hook runs', async () => {
    const { calls, mod } = recorder();
    const a = app({ modules: [mod('ok'), mod('a', { requires: ['b'] }), mod('b', { requires: ['c'] }), mod('c', { requires: ['a'] })] });
    const error = await failure(a.start());
    expect([error.code, error.message, error.details]).toEqual(['CORE_ERR_CYCLE', 'Circular module dependency: a → b → c → a', { chain: ['a', 'b', 'c', 'a'] }]);
    expect(calls).toEqual([]);
    expect(a.state).toBe('failed');
  });

  it('reports a missing required module with a suggestion', async () => {
    const { mod } = recorder();
    const error = await failure(app({ modules: [mod('database'), mod('api', { requires: ['databse'] })] }).start());
    expect([error.code, error.message]).toEqual(['CORE_ERR_MISSING_MODULE', "Module 'api' requires module 'databse', which is not registered. Did you mean 'database'?"]);
  });
});

describe('rollback', () => {
  it('stops started modules in reverse when a start fails, and aggregates the cause with module context', async () => {
    const { calls, mod } = recorder();
    const boom = new Error('port in use');
    const a = app({ modules: [mod('db'), mod('cache'), mod('http', { start: () => { throw boom; } }), mod('late')] });
    const error = await failure(a.start());
    expect(calls).toEqual(['init db', 'start db', 'init cache', 'start cache', 'init http', 'stop cache', 'stop db']);
    expect(error.code).toBe('CORE_ERR_START_FAILED');
    expect(error.cause).toBe(boom);
    expect(error.details).toEqual({ module: 'http', phase: 'start', rolledBack: ['cache', 'db'], rollbackFailures: [] });
    expect(error.message).toBe("Module 'http' failed during start: port in use. Rolled back (stopped in this order): cache, db");
    expect(a.state).toBe('failed');
    expect(['db', 'cache', 'http', 'late'].map((m) => a.moduleState(m))).toEqual(['stopped', 'stopped', 'failed', 'registered']);
  });

  it('keeps rolling back when a stop fails during rollback, and reports it', async () => {
    const { calls, mod } = recorder();
    const a = app({ modules: [mod('db'), mod('cache', { stop: () => { throw new Error('flush failed'); } }), mod('http', { init: () => Promise.reject(new Error('bad route')) })] });
    const error = await failure(a.start());
    expect(calls).toEqual(['init db', 'start db', 'init cache', 'start cache', 'stop db']);
    expect(error.details).toEqual({
      module: 'http',
      phase: 'init',
      rolledBack: ['db'],
      rollbackFailures: [{ module: 'cache', phase: 'stop', code: undefined, name: 'Error', message: 'flush failed' }],
    });
    expect(error.message).toContain('; 1 stop(s) failed during rollback');
  });
});

describe('state machine', () => {
  it('refuses double start, stop before start, double stop, and registration after start', async () => {
    const { mod } = recorder();
    const a = app({ modules: [mod('db')] });
    expect((await failure(a.stop())).code).toBe('CORE_ERR_INVALID_STATE');
    const first = a.start();
    expect((await failure(a.start())).message).toBe("Cannot start: application 'app-" + a.id.slice(4) + "' is starting (allowed when created)");
    await first;
    expect((await failure(a.start())).code).toBe('CORE_ERR_INVALID_STATE');
    expect(() => a.register(mod('late'))).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_STATE' }));
    await a.stop();
    expect((await failure(a.stop())).details).toEqual({ app: a.id, state: 'stopped', action: 'stop' });
    expect(() => a.get(token('x'))).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_STATE' }));
  });

  it('refuses lookups before start', () => {
    const a = app({ providers: [{ provide: token('x'), useValue: 1 }] });
    expect(() => a.get('x')).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_STATE' }));
    expect(() => a.tryGet(token('x'))).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_STATE' }));
    expect(() => a.getAll(token('x'))).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_STATE' }));
  });

  it('stops every module even when some stops fail, then reports all failures', async () => {
    const { calls, mod } = recorder();
    const a = app({ modules: [mod('a', { stop: () => { throw new Error('a down'); } }), mod('b'), mod('c', { stop: () => Promise.reject(new Error('c down')) })] });
    await a.start();
    calls.length = 0;
    const error = await failure(a.stop());
    expect(calls).toEqual(['stop b']);
    expect(error.code).toBe('CORE_ERR_STOP_FAILED');
    expect(error.details).toEqual({
      failures: [
        { module: 'c', phase: 'stop', code: undefined, name: 'Error', message: 'c down' },
        { module: 'a', phase: 'stop', code: undefined, name: 'Error', message: 'a down' },
      ],
    });
    expect(error.cause).toBeInstanceOf(AggregateError);
    expect(a.state).toBe('stopped');
  });

  it('stops on async dispose and disposes app-scoped services in reverse creation order', async () => {
    const disposed: string[] = [];
    const A = token<object>('a');
    const B = token<object>('b');
    const C = token<object>('c');
    {
      await using a = app({
        providers: [
          { provide: A, useFactory: () => ({ [Symbol.dispose]: () => void disposed.push('a') }) },
          { provide: B, inject: [A], useFactory: () => ({ [Symbol.asyncDispose]: () => Promise.resolve(void disposed.push('b')) }) },
          { provide: C, useFactory: () => ({ [Symbol.dispose]: () => { throw new Error('ignored'); } }) },
        ],
      });
      await a.start();
      a.get(B);
      a.get(C);
    }
    expect(disposed).toEqual(['b', 'a']);
  });
});

describe('registration is all-or-nothing', () => {
  it('rejects the whole batch, listing every problem, and registers none', () => {
    const a = app({});
    const bad = () =>
      a.register(
        defineModule({ name: 'good', version: '1.0.0' }),
        { name: 'bad name!', version: '1' },
        defineModule({ name: 'good', version: '1.0.0' }),
        defineModule({ name: 'p', version: '1.0.0', providers: [{ provide: token('x') } as never] }),
      );
    expect(bad).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_MODULE' }));
    try {
      bad();
    } catch (error) {
      expect((error as { details: { problems: { code: string; message: string }[] } }).details.problems.map((p) => p.code)).toEqual([
        'CORE_ERR_INVALID_MODULE',
        'CORE_ERR_INVALID_MODULE',
        'CORE_ERR_DUPLICATE_MODULE',
        'CORE_ERR_INVALID_PROVIDER',
      ]);
    }
    expect(a.inspect().modules).toEqual([]);
  });

  it.each([
    [{ name: 'm', version: '1.0.0', requires: 'db' }, 'requires must be an array of module names'],
    [{ name: 'm', version: '1.0.0', requires: ['m'] }, 'a module cannot depend on itself'],
    [{ name: 'm', version: '1.0.0', start: 'go' }, 'start must be a function'],
    [{ name: 'm', version: '1.0.0', providers: {} }, 'providers must be an array'],
    [{ name: 'm', version: '1.0.0', coreVersion: 'latest' }, 'coreVersion "latest" is not SemVer'],
    [{ name: 'm', version: '1.0.0', config: { port: 1 } }, 'config must be a schema from defineSchema() of @rampart/config'],
  ])('rejects %j', (declaration, problem) => {
    expect(() => app({ modules: [declaration as never] })).toThrow(problem);
  });

  it('rejects non-objects and undecorated classes', () => {
    expect(() => app({ modules: [null as never] })).toThrow('module #0: expected a module declaration, got null');
    expect(() => app({ modules: [class Plain {}] })).toThrow('module #0 (Plain): a class needs @Module(...) or moduleClass(...) metadata');
  });

  it('checks the minimum core version with caret semantics', () => {
    const [major, minor] = CORE_VERSION.split('.').map(Number) as [number, number];
    expect(() => app({ modules: [defineModule({ name: 'ok', version: '1.0.0', coreVersion: `${String(major)}.${String(minor)}.0` })] })).not.toThrow();
    expect(() => app({ modules: [defineModule({ name: 'new', version: '1.0.0', coreVersion: `${String(major + 1)}.0.0` })] })).toThrow(
      expect.objectContaining({ code: 'CORE_ERR_CORE_VERSION', message: expect.stringContaining(`module 'new' needs @rampart/core ^${String(major + 1)}.0.0, this is ${CORE_VERSION}`) }),
    );
  });

  it('keeps CORE_VERSION equal to package.json', () => {
    expect(CORE_VERSION).toBe((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version);
  });
});

describe('class modules', () => {
  it('uses @Module classes and moduleClass() with their methods as hooks', async () => {
    const calls: string[] = [];
    @Module({ name: 'decorated', version: '1.0.0', requires: ['plain'] })
    class Decorated {
      prefix = 'D';
      start(ctx: ModuleContext) {
        calls.push(`${this.prefix} start ${ctx.module}`);
      }
    }
    class Plain {
      stop() {
        calls.push('plain stop');
      }
    }
    moduleClass(Plain, { name: 'plain', version: '2.0.0' });
    const a = app({ modules: [Decorated, Plain] });
    await a.start();
    await a.stop();
    expect(calls).toEqual(['D start decorated', 'plain stop']);
    expect(a.inspect().modules.map((m) => [m.name, m.version, m.hooks])).toEqual([
      ['decorated', '1.0.0', ['start']],
      ['plain', '2.0.0', ['stop']],
    ]);
  });
});

describe('lifecycle events', () => {
  it('delivers the exact event sequence with timestamps, module names and seq', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const events: LifecycleEvent[] = [];
    const a = app({ id: 'shop', clock, observers: [(e) => void events.push(e)], modules: [defineModule({ name: 'db', version: '1.0.0' }), defineModule({ name: 'api', version: '1.0.0', requires: ['db'], start: () => { throw new Error('nope'); } })] });
    await failure(a.start());
    await a.flushEvents();
    expect(events.map((e) => [e.seq, e.type, e.module])).toEqual([
      [1, 'registering', 'db'],
      [2, 'registering', 'api'],
      [3, 'starting', 'db'],
      [4, 'started', 'db'],
      [5, 'starting', 'api'],
      [6, 'error', 'api'],
      [7, 'stopping', 'db'],
      [8, 'stopped', 'db'],
      [9, 'error', undefined],
    ]);
    expect(events.every((e) => e.app === 'shop' && e.time === Date.UTC(2026, 0, 1))).toBe(true);
    expect(events[5]?.error).toEqual({ code: undefined, name: 'Error', message: 'nope' });
    expect(events[8]?.error?.code).toBe('CORE_ERR_START_FAILED');
    expect(typeof events[3]?.durationMs).toBe('number');
  });

  it('isolates a throwing observer and a hanging one (timeout), and logs them', async () => {
    const warnings: unknown[] = [];
    const logger = { ...silentLogger, warn: (obj: unknown) => void warnings.push(obj), child: () => logger };
    const seen: string[] = [];
    const a = createApp({
      logger,
      observerTimeoutMs: 20,
      observers: [
        { name: 'thrower', onEvent: () => { throw new Error('observer bug'); } },
        { name: 'hanger', onEvent: () => new Promise(() => undefined) },
        (e) => void seen.push(e.type),
      ],
      modules: [defineModule({ name: 'db', version: '1.0.0' })],
    });
    await a.start();
    await a.stop();
    expect(seen).toEqual(['registering', 'starting', 'started', 'stopping', 'stopped']);
    expect(a.state).toBe('stopped');
    expect(warnings.filter((w) => (w as { observer: string }).observer === 'thrower')).toHaveLength(5);
    // The hanger times out once; the four later events are skipped for it (one warning), not timed out one by one.
    const hanger = warnings.filter((w) => (w as { observer: string }).observer === 'hanger');
    expect(hanger).toEqual([
      expect.objectContaining({ observer: 'hanger', event: 'registering', seq: 1 }),
      { observer: 'hanger', skipped: 4, firstSeq: 2, lastSeq: 5 },
    ]);
  });

  it('a hung observer costs one timeout for the whole lifecycle of ten modules: called once, the others get every event in order', async () => {
    const warnings: { obj: unknown; msg: string | undefined }[] = [];
    const logger = { ...silentLogger, warn: (obj: unknown, msg?: string) => void warnings.push({ obj, msg }), child: () => logger };
    const hung: number[] = [];
    const seen: string[] = [];
    const names = Array.from({ length: 10 }, (_, i) => `m${String(i)}`);
    const a = createApp({
      logger,
      observerTimeoutMs: 20,
      observers: [
        { name: 'hanger', onEvent: (e) => (hung.push(e.seq), new Promise(() => undefined)) },
        { name: 'healthy', onEvent: (e) => void seen.push(`${String(e.seq)} ${e.type} ${String(e.module)}`) },
      ],
      modules: names.map((name) => defineModule({ name, version: '1.0.0' })),
    });
    await a.start();
    await a.stop();
    expect(a.state).toBe('stopped');
    expect(hung).toEqual([1]);
    const expected = [...names.map((n) => `registering ${n}`), ...names.flatMap((n) => [`starting ${n}`, `started ${n}`]), ...[...names].reverse().flatMap((n) => [`stopping ${n}`, `stopped ${n}`])];
    expect(seen).toEqual(expected.map((e, i) => `${String(i + 1)} ${e}`));
    expect(warnings).toEqual([
      { obj: expect.objectContaining({ observer: 'hanger', event: 'registering', seq: 1, err: expect.objectContaining({ message: 'observer did not settle within 20 ms' }) }), msg: 'lifecycle observer failed; event skipped for this observer' },
      {
        obj: { observer: 'hanger', skipped: 49, firstSeq: 2, lastSeq: 50 },
        msg: "lifecycle observer 'hanger' missed 49 event(s), skipped while a call that timed out was pending; it is still pending",
      },
    ]);
  });

  it('in strict mode, fails the start on an observer error and rolls back', async () => {
    const { calls, mod } = recorder();
    const a = app({ strictObservers: true, observers: [{ name: 'audit', onEvent: (e) => { if (e.type === 'started' && e.module === 'api') throw new Error('audit down'); } }], modules: [mod('db'), mod('api', { requires: ['db'] })] });
    const error = await failure(a.start());
    expect(error.code).toBe('CORE_ERR_START_FAILED');
    expect((error.cause as { code: string }).code).toBe('CORE_ERR_OBSERVER_FAILED');
    expect(calls).toEqual(['init db', 'start db', 'init api', 'start api', 'stop api', 'stop db']);
  });

  it("in strict mode, refuses to start after an observer failed on a 'registering' event, starting nothing", async () => {
    const { calls, mod } = recorder();
    const a = app({ strictObservers: true, observers: [{ name: 'audit', onEvent: (e) => { if (e.type === 'registering' && e.module === 'api') throw new Error('audit down'); } }], modules: [mod('db'), mod('api', { requires: ['db'] })] });
    const error = await failure(a.start());
    expect([error.code, error.message]).toEqual(['CORE_ERR_START_FAILED', `Application '${a.id}' did not start: a strict observer failed on a 'registering' event`]);
    expect((error.cause as { code: string; message: string })).toMatchObject({ code: 'CORE_ERR_OBSERVER_FAILED', message: "Observer 'audit' failed on 'registering' event #2 (strict observers)" });
    expect([calls, a.state]).toEqual([[], 'failed']);
  });

  it('without strict observers, a registering failure is only logged and the app starts', async () => {
    const a = app({ observers: [(e) => { if (e.type === 'registering') throw new Error('audit down'); }], modules: [defineModule({ name: 'db', version: '1.0.0' })] });
    await a.start();
    expect(a.state).toBe('started');
    await a.stop();
  });

  it('refuses modules that are not an array, and a module class whose constructor throws, keeping the cause', () => {
    expect(() => app({ modules: { name: 'db' } as never })).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_MODULE', message: expect.stringContaining('createApp({ modules }): modules must be an array of module declarations') }));
    class Broken {
      constructor() {
        throw new Error('ctor boom');
      }
    }
    moduleClass(Broken, { name: 'broken', version: '1.0.0' });
    const a = app({});
    let caught: { code?: string; message?: string; cause?: unknown; details?: unknown } = {};
    try {
      a.register(defineModule({ name: 'fine', version: '1.0.0' }), Broken);
    } catch (error) {
      caught = error as typeof caught;
    }
    expect(caught.code).toBe('CORE_ERR_INVALID_MODULE');
    expect(caught.message).toContain('module #1 (Broken): its constructor threw: ctor boom');
    expect((caught.cause as Error).message).toBe('ctor boom');
    expect(JSON.stringify(caught.details)).not.toContain('stack');
    expect(a.inspect().modules).toEqual([]);
  });

  it('in strict mode, times out a hanging observer', async () => {
    const a = app({ strictObservers: true, observerTimeoutMs: 10, observers: [() => new Promise(() => undefined)], modules: [defineModule({ name: 'db', version: '1.0.0' })] });
    const error = await failure(a.start());
    // The first event it hangs on is 'registering', delivered in the background and awaited by start().
    expect((error.cause as { message: string }).message).toBe("Observer 'observer#1' failed on 'registering' event #1 (strict observers)");
  });

  it('lets observers unsubscribe', async () => {
    const seen: string[] = [];
    const a = app({ modules: [defineModule({ name: 'db', version: '1.0.0' })] });
    const off = a.subscribe((e) => void seen.push(e.type));
    await a.start();
    off();
    off();
    await a.stop();
    expect(seen).toEqual(['starting', 'started']);
  });
});

describe('inspect', () => {
  it('shows modules, states, services with scope and provider, and start order', async () => {
    const DB = token<object>('db');
    const a = app({ modules: [defineModule({ name: 'db', version: '1.2.3', optional: true, providers: [{ provide: DB, name: 'main', priority: 2, scope: 'singleton', useFactory: () => ({}) }] }), defineModule({ name: 'api', version: '0.1.0', requires: ['db'], optionalRequires: ['x'], providers: [{ provide: token('api'), scope: 'request', inject: [DB], useFactory: () => ({}) }] })] });
    await a.start();
    const view = a.inspect();
    expect(view.state).toBe('started');
    expect(view.startOrder).toEqual(['db', 'api']);
    expect(view.modules).toEqual([
      { name: 'db', version: '1.2.3', state: 'started', requires: [], optionalRequires: [], optional: true, hooks: [] },
      { name: 'api', version: '0.1.0', state: 'started', requires: ['db'], optionalRequires: ['x'], optional: false, hooks: [] },
    ]);
    expect(view.services.filter((s) => s.module !== undefined)).toEqual([
      { token: 'db', name: 'main', scope: 'singleton', priority: 2, kind: 'factory', module: 'db', inject: [] },
      { token: 'api', name: undefined, scope: 'request', priority: 0, kind: 'factory', module: 'api', inject: ['db'] },
    ]);
    expect(JSON.parse(JSON.stringify(view))).toBeTruthy();
  });
});
