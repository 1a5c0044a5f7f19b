// L2 contract of @rampart/core: the runtime exports no other contract names
// (built-in tokens, Application and its factory, constants, diagnostics
// channels, error registry and brand, JSON logger, module decorators, the
// plain-function forms injectable()/moduleClass()/provider()). Locked: these
// tests are never modified, only added to.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import corePackage from '@rampart/core/package.json' with { type: 'json' };
import {
  APP,
  Application,
  ApplicationFactory,
  CLOUDEVENTS_CONTENT_TYPE,
  CORE_ERRORS,
  CORE_VERSION,
  HOOK_CHANNEL,
  LIFECYCLE_CHANNEL,
  LOGGER,
  RAMPART_ERROR,
  RampartError,
  SCOPES,
  SecurityError,
  TENANT,
  ValidationError,
  causeChain,
  createApp,
  createJsonLogger,
  defineModule,
  injectable,
  isRampartError,
  logging,
  moduleClass,
  observable,
  orderDecorators,
  provider,
  silentLogger,
  tenantAware,
  token,
} from '@rampart/core';
import type { HookObservation, LifecycleEvent, Logger, ModuleContext, ModuleDecorator, Resolver, TenantContext } from '@rampart/core';

/** What `run` throws or rejects with, as a value ('no error' when it succeeds). */
const failure = async (run: () => unknown): Promise<unknown> => {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return 'no error';
};

const codeOf = (error: unknown): string => (isRampartError(error) ? error.code : 'no rampart error');

/** A JSON logger whose lines are parsed into `lines`. */
function capture(options: { level?: 'trace' | 'debug' | 'info' | 'warn' | 'silent'; bindings?: Record<string, unknown> } = {}) {
  const raw: string[] = [];
  const logger = createJsonLogger({ ...options, write: (line) => void raw.push(line), clock: { now: () => 1234 } });
  const lines = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { raw, lines, logger };
}

/** Messages published on a diagnostics channel while `run` runs. */
async function published(channel: string, run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (message: unknown) => void seen.push(message);
  subscribe(channel, listener);
  try {
    await run();
  } finally {
    unsubscribe(channel, listener);
  }
  return seen;
}

describe('@rampart/core L2 public API: APP', () => {
  it('resolves to the application itself', async () => {
    const app = createApp({ logger: silentLogger });
    await app.start();
    expect(app.get(APP)).toBe(app);
    await app.stop();
  });

  it('lets a factory resolve services lazily through the app', async () => {
    const DB = token<{ url: string }>('db');
    const JOBS = token<{ db: () => { url: string } }>('jobs');
    const app = createApp({
      logger: silentLogger,
      providers: [
        { provide: JOBS, inject: [APP], useFactory: (resolver: Resolver) => ({ db: () => resolver.get(DB) }) },
        { provide: DB, useValue: { url: 'pg://local' } },
      ],
    });
    await app.start();
    expect(app.get(JOBS).db()).toBe(app.get(DB));
    expect(app.get(JOBS).db().url).toBe('pg://local');
    await app.stop();
  });

  it('each application resolves APP to itself, also from a module context', async () => {
    const seen: unknown[] = [];
    const mod = defineModule({ name: 'probe', version: '1.0.0', start: (ctx) => void seen.push(ctx.get(APP)) });
    const a = createApp({ logger: silentLogger, modules: [mod] });
    const b = createApp({ logger: silentLogger, modules: [mod] });
    await a.start();
    await b.start();
    expect(seen).toEqual([a, b]);
    expect([a.get(APP) === a, b.get(APP) === b, a.get(APP) === b.get(APP)]).toEqual([true, true, false]);
    await a.stop();
    await b.stop();
  });
});

describe('@rampart/core L2 public API: LOGGER', () => {
  it('resolves to the app logger, bound to { app }', async () => {
    const { lines, logger } = capture();
    const app = createApp({ id: 'shop', logger });
    await app.start();
    expect(app.get(LOGGER)).toBe(app.logger);
    app.get(LOGGER).info({ n: 1 }, 'hello');
    expect(lines().filter((l) => l['msg'] === 'hello')).toEqual([{ level: 30, time: 1234, app: 'shop', n: 1, msg: 'hello' }]);
    await app.stop();
  });

  it('can be injected into a factory', async () => {
    const REPO = token<{ log: Logger }>('repo');
    const app = createApp({ logger: silentLogger, providers: [{ provide: REPO, inject: [LOGGER], useFactory: (log: Logger) => ({ log }) }] });
    await app.start();
    expect(app.get(REPO).log).toBe(app.logger);
    await app.stop();
  });

  it('an app-level provider of LOGGER wins over the built-in one', async () => {
    const { logger: custom } = capture();
    const app = createApp({ logger: silentLogger, providers: [{ provide: LOGGER, useValue: custom }] });
    await app.start();
    expect(app.get(LOGGER)).toBe(custom);
    await app.stop();
  });
});

describe('@rampart/core L2 public API: Application', () => {
  it('new Application(options) builds what createApp builds: id, modules, created → started → stopped', async () => {
    const calls: string[] = [];
    const app = new Application({ id: 'direct', logger: silentLogger, modules: [defineModule({ name: 'm', version: '1.0.0', start: () => void calls.push('start'), stop: () => void calls.push('stop') })] });
    expect([app instanceof Application, createApp({ logger: silentLogger }) instanceof Application]).toEqual([true, true]);
    expect([app.id, app.state]).toEqual(['direct', 'created']);
    await app.start();
    expect(app.state).toBe('started');
    await app.stop();
    expect([app.state, calls]).toEqual(['stopped', ['start', 'stop']]);
  });

  it('without an id an application is named app-<n>, unique per instance', () => {
    const a = new Application({ logger: silentLogger });
    const b = new Application({ logger: silentLogger });
    expect([/^app-\d+$/.test(a.id), /^app-\d+$/.test(b.id), a.id === b.id]).toEqual([true, true, false]);
  });

  it('refuses stop before start, a second stop and resolving after stop (CORE_ERR_INVALID_STATE)', async () => {
    const SVC = token<object>('svc');
    const app = new Application({ logger: silentLogger, providers: [{ provide: SVC, useValue: {} }] });
    expect(codeOf(await failure(() => app.stop()))).toBe('CORE_ERR_INVALID_STATE');
    await app.start();
    await app.stop();
    expect(codeOf(await failure(() => app.stop()))).toBe('CORE_ERR_INVALID_STATE');
    expect(codeOf(await failure(() => app.get(SVC)))).toBe('CORE_ERR_INVALID_STATE');
    expect(codeOf(await failure(() => app.start()))).toBe('CORE_ERR_INVALID_STATE');
  });

  it('a failed start leaves the app failed and single-use', async () => {
    const app = new Application({ logger: silentLogger, modules: [defineModule({ name: 'm', version: '1.0.0', start: () => Promise.reject(new Error('port in use')) })] });
    expect(codeOf(await failure(() => app.start()))).toBe('CORE_ERR_START_FAILED');
    expect([app.state, app.moduleState('m')]).toEqual(['failed', 'failed']);
    expect(codeOf(await failure(() => app.start()))).toBe('CORE_ERR_INVALID_STATE');
  });

  it('moduleState follows each module; undefined for an unknown module', async () => {
    const app = new Application({ logger: silentLogger, modules: [defineModule({ name: 'm', version: '1.0.0' })] });
    expect([app.moduleState('m'), app.moduleState('nope')]).toEqual(['registered', undefined]);
    await app.start();
    expect(app.moduleState('m')).toBe('started');
    await app.stop();
    expect(app.moduleState('m')).toBe('stopped');
  });

  it('subscribe adds an observer and returns the function that removes it', async () => {
    const seen: string[] = [];
    const app = new Application({ logger: silentLogger, modules: [defineModule({ name: 'm', version: '1.0.0' })] });
    const unsubscribeObserver = app.subscribe((e) => void seen.push(`${e.type}:${String(e.module)}`));
    await app.start();
    await app.flushEvents();
    unsubscribeObserver();
    await app.stop();
    expect(seen).toEqual(['starting:m', 'started:m']);
  });

  it('runInRequestScope and runInTenant set the request id and tenant seen by currentRequestId/currentTenant', async () => {
    const app = new Application({ logger: silentLogger });
    await app.start();
    expect([app.currentRequestId(), app.currentTenant()]).toEqual([undefined, undefined]);
    expect(app.runInRequestScope(() => app.currentRequestId(), { requestId: 'r-1' })).toBe('r-1');
    expect(app.runInRequestScope(() => app.currentTenant(), { tenant: 'globex' })).toEqual({ id: 'globex' });
    expect(await app.runInTenant('acme', async () => {
      await Promise.resolve();
      return app.currentTenant();
    })).toEqual({ id: 'acme' });
    expect(app.runInRequestScope(() => app.runInTenant('acme', () => [app.currentRequestId(), app.currentTenant()?.id]), { requestId: 'r-2' })).toEqual(['r-2', 'acme']);
    await app.stop();
  });

  it('runInTenant refuses malformed and reserved tenant ids (CORE_ERR_INVALID_TENANT, status 403)', async () => {
    const app = new Application({ logger: silentLogger });
    await app.start();
    for (const id of ['', '-starts-with-dash', 'has space', 'x'.repeat(129), '__fallback__']) {
      const error = await failure(() => app.runInTenant(id, () => 'ran'));
      expect([id, codeOf(error), isRampartError(error) && error.status]).toEqual([id, 'CORE_ERR_INVALID_TENANT', 403]);
    }
    expect(app.runInTenant('a'.repeat(128), () => 'ran')).toBe('ran');
    await app.stop();
  });

  it('releaseTenant disposes that tenant’s instances; the next lookup builds a new one', async () => {
    const disposed: string[] = [];
    const REPO = token<{ tenant: string }>('repo');
    const app = new Application({
      logger: silentLogger,
      providers: [{ provide: REPO, scope: 'tenant', inject: [TENANT], useFactory: (t: TenantContext) => ({ tenant: t.id, [Symbol.dispose]: () => void disposed.push(t.id) }) }],
    });
    await app.start();
    const first = app.runInTenant('acme', () => app.get(REPO));
    const other = app.runInTenant('globex', () => app.get(REPO));
    expect(app.runInTenant('acme', () => app.get(REPO))).toBe(first);
    await app.releaseTenant('acme');
    expect(disposed).toEqual(['acme']);
    const second = app.runInTenant('acme', () => app.get(REPO));
    expect([second === first, second.tenant, app.runInTenant('globex', () => app.get(REPO)) === other]).toEqual([false, 'acme', true]);
    await app.stop();
    expect(disposed.sort()).toEqual(['acme', 'acme', 'globex']);
  });

  it('config is undefined without module schemas; reloadConfig then applies nothing, and needs a started app', async () => {
    const app = new Application({ logger: silentLogger, modules: [defineModule({ name: 'm', version: '1.0.0' })] });
    expect(codeOf(await failure(() => app.reloadConfig()))).toBe('CORE_ERR_INVALID_STATE');
    await app.start();
    expect(app.config).toBeUndefined();
    expect(await app.reloadConfig()).toEqual({ applied: [], restartRequired: [] });
    await app.stop();
  });

  it('inspect lists modules (state, dependencies, hooks) and services (token, name, scope, priority, kind, module, inject)', async () => {
    const DB = token<object>('db');
    const REPO = token<object>('repo');
    const app = new Application({
      id: 'inspected',
      logger: silentLogger,
      modules: [
        defineModule({ name: 'db', version: '1.0.0', providers: [{ provide: DB, useValue: {} }], stop: () => undefined }),
        defineModule({ name: 'repo', version: '2.0.0', requires: ['db'], optionalRequires: ['cache'], optional: true, providers: [{ provide: REPO, name: 'main', priority: 5, scope: 'transient', inject: [DB], useFactory: () => ({}) }], init: () => undefined, health: () => ({ status: 'healthy' }) }),
      ],
    });
    await app.start();
    const report = app.inspect();
    expect([report.id, report.state, report.startOrder]).toEqual(['inspected', 'started', ['db', 'repo']]);
    expect(report.modules).toEqual([
      { name: 'db', version: '1.0.0', state: 'started', requires: [], optionalRequires: [], optional: false, hooks: ['stop'] },
      { name: 'repo', version: '2.0.0', state: 'started', requires: ['db'], optionalRequires: ['cache'], optional: true, hooks: ['init', 'health'] },
    ]);
    expect(report.services.filter((s) => s.token === 'db' || s.token === 'repo')).toEqual([
      { token: 'db', name: undefined, scope: 'app', priority: 0, kind: 'value', module: 'db', inject: [] },
      { token: 'repo', name: 'main', scope: 'transient', priority: 5, kind: 'factory', module: 'repo', inject: ['db'] },
    ]);
    await app.stop();
  });
});

describe('@rampart/core L2 public API: ApplicationFactory', () => {
  it('create(options) builds an Application with those options; create() needs none', async () => {
    const app = ApplicationFactory.create({ id: 'agent-7', logger: silentLogger, modules: [defineModule({ name: 'llm', version: '1.0.0' })] });
    expect([app instanceof Application, app.id, app.state]).toEqual([true, 'agent-7', 'created']);
    await app.start();
    expect(app.moduleState('llm')).toBe('started');
    await app.stop();
    const bare = ApplicationFactory.create();
    expect([bare instanceof Application, bare.state]).toEqual([true, 'created']);
  });

  it('apps are isolated (own app-scoped instances, observers, ids) while singletons are shared', async () => {
    const PER_APP = token<object>('perApp');
    const SHARED = token<object>('shared');
    const providers = [
      { provide: PER_APP, useFactory: () => ({}) },
      { provide: SHARED, scope: 'singleton' as const, useFactory: () => ({}) },
    ];
    const seenA: string[] = [];
    const seenB: string[] = [];
    const a = ApplicationFactory.create({ id: 'a', logger: silentLogger, providers, observers: [(e) => void seenA.push(e.app)], modules: [defineModule({ name: 'm', version: '1.0.0' })] });
    const b = ApplicationFactory.create({ id: 'b', logger: silentLogger, providers, observers: [(e) => void seenB.push(e.app)], modules: [defineModule({ name: 'm', version: '1.0.0' })] });
    await a.start();
    await b.start();
    expect(a.get(PER_APP)).not.toBe(b.get(PER_APP));
    expect(a.get(SHARED)).toBe(b.get(SHARED));
    await a.stop();
    await b.stop();
    expect([[...new Set(seenA)], [...new Set(seenB)]]).toEqual([['a'], ['b']]);
  });
});

describe('@rampart/core L2 public API: CLOUDEVENTS_CONTENT_TYPE', () => {
  it('is the CloudEvents structured-mode JSON media type', () => {
    expect(CLOUDEVENTS_CONTENT_TYPE).toBe('application/cloudevents+json; charset=utf-8');
  });
});

const DOCUMENTED_CODES = [
  ['CORE_ERR_INVALID_MODULE', 'validation', undefined],
  ['CORE_ERR_INVALID_PROVIDER', 'validation', undefined],
  ['CORE_ERR_CYCLE', 'dependency', undefined],
  ['CORE_ERR_MISSING_PROVIDER', 'dependency', undefined],
  ['CORE_ERR_SCOPE_LEAK', 'dependency', undefined],
  ['CORE_ERR_INVALID_STATE', 'lifecycle', undefined],
  ['CORE_ERR_START_FAILED', 'lifecycle', undefined],
  ['CORE_ERR_TENANT_REQUIRED', 'security', 403],
  ['CORE_ERR_INVALID_TENANT', 'security', 403],
  ['CORE_ERR_CONFIG_INVALID', 'config', undefined],
  ['CORE_ERR_DUPLICATE_APP', 'validation', undefined],
] as const;

describe('@rampart/core L2 public API: CORE_ERRORS', () => {
  it.each(DOCUMENTED_CODES)('%s has category %s and status %s', (code, category, status) => {
    const spec = CORE_ERRORS[code] as { category: string; status?: number; summary: string };
    expect([spec.category, spec.status, typeof spec.summary === 'string' && spec.summary.length > 0]).toEqual([category, status, true]);
  });

  it('is frozen, and every entry has a category and a summary', () => {
    expect(Object.isFrozen(CORE_ERRORS)).toBe(true);
    const entries = Object.entries(CORE_ERRORS) as [string, { category: unknown; summary: unknown }][];
    expect(entries.filter(([code, spec]) => !code.startsWith('CORE_ERR_') || typeof spec.category !== 'string' || typeof spec.summary !== 'string')).toEqual([]);
  });

  it('errors the core throws carry the category and status of their entry', async () => {
    const stopped = await failure(() => createApp({ logger: silentLogger }).stop());
    expect(isRampartError(stopped) && [stopped.code, stopped.category, stopped.status]).toEqual(['CORE_ERR_INVALID_STATE', CORE_ERRORS.CORE_ERR_INVALID_STATE.category, undefined]);
    const PER_TENANT = token<object>('perTenant');
    const app = createApp({ logger: silentLogger, providers: [{ provide: PER_TENANT, scope: 'tenant', useFactory: () => ({}) }] });
    await app.start();
    const tenantless = await failure(() => app.get(PER_TENANT));
    expect(isRampartError(tenantless) && [tenantless.code, tenantless.category, tenantless.status, tenantless instanceof SecurityError]).toEqual([
      'CORE_ERR_TENANT_REQUIRED',
      CORE_ERRORS.CORE_ERR_TENANT_REQUIRED.category,
      CORE_ERRORS.CORE_ERR_TENANT_REQUIRED.status,
      true,
    ]);
    await app.stop();
  });
});

describe('@rampart/core L2 public API: CORE_VERSION', () => {
  const [major, minor, patch] = CORE_VERSION.split(/[.+-]/).map(Number) as [number, number, number];
  const mod = (coreVersion: string) => defineModule({ name: 'm', version: '1.0.0', coreVersion });

  it('is the SemVer version of the installed @rampart/core package', () => {
    expect(/^\d+\.\d+\.\d+(?:[-+].*)?$/.test(CORE_VERSION)).toBe(true);
    expect(CORE_VERSION).toBe(corePackage.version);
  });

  it('a module whose minimum core version is CORE_VERSION registers and starts', async () => {
    const app = createApp({ logger: silentLogger, modules: [mod(CORE_VERSION)] });
    await app.start();
    expect(app.moduleState('m')).toBe('started');
    await app.stop();
  });

  it('a module needing a newer patch or another major (caret semantics) is refused with CORE_ERR_CORE_VERSION', async () => {
    const incompatible = major === 0 ? `0.${String(minor + 1)}.0` : `${String(major + 1)}.0.0`;
    const newerPatch = `${String(major)}.${String(minor)}.${String(patch + 1)}`;
    for (const wanted of [incompatible, newerPatch]) {
      expect([wanted, codeOf(await failure(() => createApp({ logger: silentLogger, modules: [mod(wanted)] })))]).toEqual([wanted, 'CORE_ERR_CORE_VERSION']);
    }
  });
});

describe('@rampart/core L2 public API: HOOK_CHANNEL', () => {
  it('is rampart:core.hook', () => {
    expect(HOOK_CHANNEL).toBe('rampart:core.hook');
  });

  it('receives one observation per hook run of a module decorated with observable(), for a start and a stop', async () => {
    const seen = await published(HOOK_CHANNEL, async () => {
      const app = createApp({
        logger: silentLogger,
        decorators: [observable()],
        modules: [defineModule({ name: 'hook-channel-ok', version: '1.0.0', init: () => undefined, start: () => undefined, stop: () => undefined })],
      });
      await app.start();
      await app.stop();
    });
    const mine = (seen as HookObservation[]).filter((o) => o.module === 'hook-channel-ok');
    expect(mine.map(({ module, hook, ok, errorCode }) => ({ module, hook, ok, errorCode }))).toEqual([
      { module: 'hook-channel-ok', hook: 'init', ok: true, errorCode: undefined },
      { module: 'hook-channel-ok', hook: 'start', ok: true, errorCode: undefined },
      { module: 'hook-channel-ok', hook: 'stop', ok: true, errorCode: undefined },
    ]);
    expect(mine.every((o) => typeof o.durationMs === 'number' && o.durationMs >= 0)).toBe(true);
  });

  it('reports a failing hook with ok false and the error code', async () => {
    const seen = await published(HOOK_CHANNEL, async () => {
      const app = createApp({
        logger: silentLogger,
        modules: [defineModule({ name: 'hook-channel-fail', version: '1.0.0', decorators: [observable()], start: () => { throw new ValidationError('DB_ERR_DOWN', 'down'); } })],
      });
      await app.start().catch(() => undefined);
    });
    const mine = (seen as HookObservation[]).filter((o) => o.module === 'hook-channel-fail');
    expect(mine.map(({ hook, ok, errorCode }) => ({ hook, ok, errorCode }))).toEqual([{ hook: 'start', ok: false, errorCode: 'DB_ERR_DOWN' }]);
  });

  it('publishes nothing for modules without observable()', async () => {
    const seen = await published(HOOK_CHANNEL, async () => {
      const app = createApp({ logger: silentLogger, modules: [defineModule({ name: 'hook-channel-plain', version: '1.0.0', start: () => undefined, stop: () => undefined })] });
      await app.start();
      await app.stop();
    });
    expect((seen as HookObservation[]).filter((o) => o.module === 'hook-channel-plain')).toEqual([]);
  });
});

describe('@rampart/core L2 public API: LIFECYCLE_CHANNEL', () => {
  it('is rampart:core.lifecycle', () => {
    expect(LIFECYCLE_CHANNEL).toBe('rampart:core.lifecycle');
  });

  it('receives every lifecycle event of a start and a stop, as observers do', async () => {
    const observed: LifecycleEvent[] = [];
    const seen = await published(LIFECYCLE_CHANNEL, async () => {
      const app = createApp({ id: 'lifecycle-channel-app', clock: { now: () => 5000 }, logger: silentLogger, observers: [(e) => void observed.push(e)], modules: [defineModule({ name: 'db', version: '1.0.0' })] });
      await app.start();
      await app.stop();
    });
    const mine = (seen as LifecycleEvent[]).filter((e) => e.app === 'lifecycle-channel-app');
    expect(mine.map(({ type, app, module, time, seq }) => ({ type, app, module, time, seq }))).toEqual([
      { type: 'registering', app: 'lifecycle-channel-app', module: 'db', time: 5000, seq: 1 },
      { type: 'starting', app: 'lifecycle-channel-app', module: 'db', time: 5000, seq: 2 },
      { type: 'started', app: 'lifecycle-channel-app', module: 'db', time: 5000, seq: 3 },
      { type: 'stopping', app: 'lifecycle-channel-app', module: 'db', time: 5000, seq: 4 },
      { type: 'stopped', app: 'lifecycle-channel-app', module: 'db', time: 5000, seq: 5 },
    ]);
    expect([typeof mine[2]?.durationMs, typeof mine[4]?.durationMs]).toEqual(['number', 'number']);
    expect(mine).toEqual(observed);
  });

  it('carries every app’s events, including error events with { code, name, message }', async () => {
    const seen = await published(LIFECYCLE_CHANNEL, async () => {
      const ok = createApp({ id: 'lifecycle-channel-ok', logger: silentLogger, modules: [defineModule({ name: 'm', version: '1.0.0' })] });
      await ok.start();
      await ok.stop();
      await createApp({ id: 'lifecycle-channel-bad', logger: silentLogger, modules: [defineModule({ name: 'm', version: '1.0.0', start: () => Promise.reject(new TypeError('boom')) })] })
        .start()
        .catch(() => undefined);
    });
    const events = seen as LifecycleEvent[];
    expect(events.filter((e) => e.app === 'lifecycle-channel-ok').map((e) => e.type)).toEqual(['registering', 'starting', 'started', 'stopping', 'stopped']);
    const errors = events.filter((e) => e.app === 'lifecycle-channel-bad' && e.type === 'error');
    expect(errors.find((e) => e.module === 'm')?.error).toEqual({ code: undefined, name: 'TypeError', message: 'boom' });
    expect(errors.some((e) => e.error?.code === 'CORE_ERR_START_FAILED')).toBe(true);
  });
});

describe('@rampart/core L2 public API: RAMPART_ERROR', () => {
  it('is the shared brand Symbol.for("rampart.error")', () => {
    expect(RAMPART_ERROR).toBe(Symbol.for('rampart.error'));
  });

  it('every Rampart error carries the brand set to true', () => {
    const errors = [new RampartError('X_ERR', 'x', { category: 'billing' }), new ValidationError('Y_ERR', 'y')];
    expect(errors.map((e) => e[RAMPART_ERROR])).toEqual([true, true]);
  });

  it('isRampartError accepts the brand from another copy (with a string code) and nothing else', () => {
    const foreign = Object.assign(new Error('from another copy'), { [Symbol.for('rampart.error')]: true, code: 'OTHER_ERR_X' });
    const noCode = { [RAMPART_ERROR]: true };
    const wrongBrandValue = { [RAMPART_ERROR]: 'yes', code: 'X' };
    const plain = Object.assign(new Error('plain'), { code: 'X' });
    expect([foreign, noCode, wrongBrandValue, plain, null, 'X'].map((v) => isRampartError(v))).toEqual([true, false, false, false, false, false]);
  });
});

describe('@rampart/core L2 public API: SCOPES', () => {
  it('lists the five documented scopes', () => {
    expect([...SCOPES].sort()).toEqual(['app', 'request', 'singleton', 'tenant', 'transient']);
  });

  it('every listed scope is accepted by a provider', async () => {
    const app = createApp({ logger: silentLogger, providers: SCOPES.map((scope) => ({ provide: token<object>(`scoped-${scope}`), scope, useFactory: () => ({}) })) });
    await app.start();
    const scoped = app.inspect().services.filter((s) => s.token.startsWith('scoped-'));
    expect(scoped.map((s) => [s.token, s.scope])).toEqual(SCOPES.map((scope) => [`scoped-${scope}`, scope]));
    await app.stop();
  });

  it('a scope outside the list is refused (CORE_ERR_INVALID_PROVIDER)', async () => {
    const error = await failure(() => createApp({ logger: silentLogger, providers: [{ provide: token<object>('x'), scope: 'session' as never, useFactory: () => ({}) }] }));
    expect(codeOf(error)).toBe('CORE_ERR_INVALID_PROVIDER');
  });
});

describe('@rampart/core L2 public API: causeChain', () => {
  it('walks the cause chain, outermost first', () => {
    const root = new Error('root');
    const middle = new Error('middle', { cause: root });
    const outer = new RampartError('X_ERR', 'outer', { category: 'internal', cause: middle });
    expect(causeChain(outer)).toEqual([outer, middle, root]);
    expect(causeChain(outer)[2]).toBe(root);
  });

  it('ends with a cause that is not an Error', () => {
    const error = new Error('wrapped', { cause: 'a string reason' });
    expect(causeChain(error)).toEqual([error, 'a string reason']);
    expect(causeChain({ code: 'x' })).toEqual([{ code: 'x' }]);
  });

  it('stops at loops and answers [] for null and undefined', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    const chain = causeChain(a);
    expect(chain).toHaveLength(2);
    expect([chain[0] === a, chain[1] === b]).toEqual([true, true]);
    expect([causeChain(null), causeChain(undefined)]).toEqual([[], []]);
  });

  it('reaches the hook error behind CORE_ERR_START_FAILED', async () => {
    const root = new Error('port in use');
    const error = await failure(() => createApp({ logger: silentLogger, modules: [defineModule({ name: 'http', version: '1.0.0', start: () => Promise.reject(root) })] }).start());
    expect([codeOf(error), causeChain(error).at(-1) === root]).toEqual(['CORE_ERR_START_FAILED', true]);
  });
});

describe('@rampart/core L2 public API: createJsonLogger', () => {
  it('writes pino-style JSON lines (level, time, bindings, fields, msg) to the injected sink, one per call', () => {
    const { raw, lines, logger } = capture({ bindings: { svc: 'api' } });
    logger.info('plain');
    logger.warn({ n: 1 }, 'with fields');
    logger.error({ only: 'fields' });
    expect(lines()).toEqual([
      { level: 30, time: 1234, svc: 'api', msg: 'plain' },
      { level: 40, time: 1234, svc: 'api', n: 1, msg: 'with fields' },
      { level: 50, time: 1234, svc: 'api', only: 'fields' },
    ]);
    expect(raw.every((line) => line.endsWith('\n') && line.indexOf('\n') === line.length - 1)).toBe(true);
  });

  it('defaults to level info; level sets the lowest level written, with pino’s numbers', () => {
    const all = (logger: Logger) => {
      for (const method of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) logger[method](method);
    };
    const byDefault = capture();
    all(byDefault.logger);
    expect(byDefault.lines().map((l) => [l['level'], l['msg']])).toEqual([[30, 'info'], [40, 'warn'], [50, 'error'], [60, 'fatal']]);
    const trace = capture({ level: 'trace' });
    all(trace.logger);
    expect(trace.lines().map((l) => l['level'])).toEqual([10, 20, 30, 40, 50, 60]);
    const warn = capture({ level: 'warn' });
    all(warn.logger);
    expect(warn.lines().map((l) => l['msg'])).toEqual(['warn', 'error', 'fatal']);
    const silent = capture({ level: 'silent' });
    all(silent.logger);
    expect(silent.raw).toEqual([]);
  });

  it('child(bindings) adds fields to every line and keeps the parent’s', () => {
    const { lines, logger } = capture({ level: 'debug', bindings: { app: 'shop' } });
    const child = logger.child({ module: 'db' });
    child.debug('from child');
    child.child({ tenant: 'acme' }).info('from grandchild');
    logger.info('from parent');
    expect(lines()).toEqual([
      { level: 20, time: 1234, app: 'shop', module: 'db', msg: 'from child' },
      { level: 30, time: 1234, app: 'shop', module: 'db', tenant: 'acme', msg: 'from grandchild' },
      { level: 30, time: 1234, app: 'shop', msg: 'from parent' },
    ]);
  });

  it('writes errors through toJSON: a Rampart error with code and category, no stack', () => {
    const { lines, logger } = capture();
    logger.error({ err: new ValidationError('X_ERR_BAD', 'bad input', { status: 400 }) }, 'rejected');
    logger.error({ err: new Error('boom') }, 'crashed');
    const [rampart, plain] = lines();
    expect(rampart?.['err']).toEqual({ name: 'ValidationError', code: 'X_ERR_BAD', category: 'validation', message: 'bad input', status: 400 });
    expect([(plain?.['err'] as Record<string, unknown>)['message'], 'stack' in (plain?.['err'] as object)]).toEqual(['boom', false]);
  });

  it('never throws from a log call: cycles become "[Circular]", BigInt a number, a throwing toJSON drops the fields', () => {
    const { lines, logger } = capture();
    const socket: Record<string, unknown> = { port: 4242 };
    socket['self'] = socket;
    const hostile = { toJSON: () => { throw new Error('no'); } };
    expect(() => {
      logger.info({ socket }, 'cycle');
      logger.info({ bytes: 12n }, 'big');
      logger.info({ hostile, other: 'dropped too' }, 'hostile');
    }).not.toThrow();
    const [cycle, big, dropped] = lines();
    expect(cycle?.['socket']).toEqual({ port: 4242, self: '[Circular]' });
    expect(big?.['bytes']).toBe(12);
    expect(dropped).toEqual({ level: 30, time: 1234, msg: 'hostile', logError: expect.any(String) as unknown });
  });

  it('as an app logger: lifecycle lines carry the event and seq of the events, hooks get ctx.logger bound to { app, module }', async () => {
    const { lines, logger } = capture({ level: 'debug' });
    const events: LifecycleEvent[] = [];
    const app = createApp({ id: 'logged', logger, observers: [(e) => void events.push(e)], modules: [defineModule({ name: 'db', version: '1.0.0', start: (ctx) => ctx.logger.info('warming') })] });
    await app.start();
    await app.stop();
    const lifecycle = lines().filter((l) => 'event' in l);
    expect(lifecycle.map((l) => [l['event'], l['seq'], l['app']])).toEqual(events.map((e) => [e.type, e.seq, 'logged']));
    expect(lines().filter((l) => l['msg'] === 'warming')).toEqual([{ level: 30, time: 1234, app: 'logged', module: 'db', msg: 'warming' }]);
  });
});

describe('@rampart/core L2 public API: injectable', () => {
  it('returns the class; a bare class provider gets its inject list and scope', async () => {
    const DB = token<{ url: string }>('db');
    class Repo {
      readonly db: { url: string };
      constructor(db: { url: string }) {
        this.db = db;
      }
    }
    expect(injectable(Repo, { inject: [DB], scope: 'transient' })).toBe(Repo);
    const app = createApp({ logger: silentLogger, providers: [{ provide: DB, useValue: { url: 'pg://x' } }, Repo] });
    await app.start();
    expect(app.get(Repo).db.url).toBe('pg://x');
    expect(app.get(Repo)).not.toBe(app.get(Repo));
    expect(app.inspect().services.find((s) => s.token === 'Repo')).toMatchObject({ scope: 'transient', kind: 'class', inject: ['db'] });
    await app.stop();
  });

  it('provide, name and priority register the class under a token', async () => {
    const CACHE = token<{ kind: string }>('cache');
    class RedisCache {
      readonly kind = 'redis';
    }
    class MemoryCache {
      readonly kind = 'memory';
    }
    injectable(RedisCache, { provide: CACHE, name: 'redis', priority: 10 });
    injectable(MemoryCache, { provide: CACHE, name: 'memory' });
    const app = createApp({ logger: silentLogger, providers: [MemoryCache, RedisCache] });
    await app.start();
    expect([app.get(CACHE).kind, app.get(CACHE, { name: 'memory' }).kind, app.getAll(CACHE).map((c) => c.kind)]).toEqual(['redis', 'memory', ['redis', 'memory']]);
    expect(app.get(CACHE)).toBeInstanceOf(RedisCache);
    await app.stop();
  });

  it('a useClass declaration without inject/scope takes them from injectable(); its own scope wins', async () => {
    const DB = token<{ url: string }>('db');
    const REPO = token<{ db: { url: string } }>('repo');
    const OTHER = token<{ db: { url: string } }>('otherRepo');
    class Repo {
      readonly db: { url: string };
      constructor(db: { url: string }) {
        this.db = db;
      }
    }
    injectable(Repo, { inject: [DB], scope: 'transient' });
    const app = createApp({ logger: silentLogger, providers: [{ provide: DB, useValue: { url: 'pg://y' } }, { provide: REPO, useClass: Repo }, { provide: OTHER, scope: 'app', useClass: Repo }] });
    await app.start();
    expect([app.get(REPO).db.url, app.get(REPO) === app.get(REPO), app.get(OTHER) === app.get(OTHER)]).toEqual(['pg://y', false, true]);
    await app.stop();
  });

  it('bad options are refused: an unknown scope (CORE_ERR_INVALID_PROVIDER), a missing dependency (CORE_ERR_MISSING_PROVIDER)', async () => {
    class BadScope {}
    injectable(BadScope, { scope: 'forever' as never });
    expect(codeOf(await failure(() => createApp({ logger: silentLogger, providers: [BadScope] })))).toBe('CORE_ERR_INVALID_PROVIDER');
    const ABSENT = token<object>('absent');
    class NeedsAbsent {
      readonly dep: object;
      constructor(dep: object) {
        this.dep = dep;
      }
    }
    injectable(NeedsAbsent, { inject: [ABSENT] });
    const app = createApp({ logger: silentLogger, providers: [NeedsAbsent] });
    expect(codeOf(await failure(() => app.start()))).toBe('CORE_ERR_MISSING_PROVIDER');
  });
});

describe('@rampart/core L2 public API: moduleClass', () => {
  it('returns the class; its methods are the hooks, called on one instance per application', async () => {
    const calls: string[] = [];
    let constructed = 0;
    class Cache {
      #warm = false;
      constructor() {
        constructed += 1;
      }
      start(ctx: ModuleContext) {
        this.#warm = true;
        calls.push(`start ${ctx.module}`);
      }
      health() {
        return { status: this.#warm ? ('healthy' as const) : ('unhealthy' as const), message: 'cache' };
      }
      stop(ctx: ModuleContext) {
        calls.push(`stop ${ctx.module} warm=${String(this.#warm)}`);
      }
    }
    expect(moduleClass(Cache, { name: 'cache', version: '1.0.0' })).toBe(Cache);
    const app = createApp({ logger: silentLogger, modules: [Cache] });
    await app.start();
    expect((await app.health()).modules['cache']).toMatchObject({ status: 'healthy', message: 'cache' });
    await app.stop();
    expect(calls).toEqual(['start cache', 'stop cache warm=true']);
    createApp({ logger: silentLogger, modules: [Cache] });
    expect(constructed).toBe(2);
  });

  it('the metadata declares name, version, requires and providers', async () => {
    const order: string[] = [];
    const DB = token<{ url: string }>('db');
    class Db {
      start() {
        order.push('db');
      }
    }
    class Users {
      start(ctx: ModuleContext) {
        order.push(`users ${ctx.get(DB).url}`);
      }
    }
    moduleClass(Users, { name: 'users', version: '2.0.0', requires: ['db'] });
    moduleClass(Db, { name: 'db', version: '1.0.0', providers: [{ provide: DB, useValue: { url: 'pg://z' } }] });
    const app = createApp({ logger: silentLogger, modules: [Users, Db] });
    await app.start();
    expect(order).toEqual(['db', 'users pg://z']);
    expect(app.inspect().modules.map((m) => [m.name, m.version])).toEqual([['users', '2.0.0'], ['db', '1.0.0']]);
    await app.stop();
  });

  it('a class without metadata, or with malformed metadata, is refused (CORE_ERR_INVALID_MODULE)', async () => {
    class Bare {
      start() {
        return undefined;
      }
    }
    class Broken {}
    moduleClass(Broken, { name: 'broken', version: 'one' });
    expect(codeOf(await failure(() => createApp({ logger: silentLogger, modules: [Bare] })))).toBe('CORE_ERR_INVALID_MODULE');
    expect(codeOf(await failure(() => createApp({ logger: silentLogger, modules: [Broken] })))).toBe('CORE_ERR_INVALID_MODULE');
  });
});

describe('@rampart/core L2 public API: logging', () => {
  it('has the default priority 30, overridable', () => {
    expect([logging().priority, logging({ priority: 5 }).priority]).toEqual([30, 5]);
  });

  it('logs each hook’s begin and end (with duration) at debug on the module logger', async () => {
    const { lines, logger } = capture({ level: 'debug' });
    const app = createApp({ id: 'logged', logger, decorators: [logging()], modules: [defineModule({ name: 'db', version: '1.0.0', init: () => undefined, start: () => undefined, stop: () => undefined })] });
    await app.start();
    await app.stop();
    const hookLines = lines().filter((l) => 'hook' in l);
    expect(hookLines.map((l) => [l['level'], l['app'], l['module'], l['hook'], typeof l['durationMs']])).toEqual([
      [20, 'logged', 'db', 'init', 'undefined'],
      [20, 'logged', 'db', 'init', 'number'],
      [20, 'logged', 'db', 'start', 'undefined'],
      [20, 'logged', 'db', 'start', 'number'],
      [20, 'logged', 'db', 'stop', 'undefined'],
      [20, 'logged', 'db', 'stop', 'number'],
    ]);
  });

  it('level "info" logs at info; a failure is logged at error with the error, and still fails the start', async () => {
    const { lines, logger } = capture({ level: 'info' });
    const app = createApp({ logger, modules: [defineModule({ name: 'db', version: '1.0.0', decorators: [logging({ level: 'info' })], start: () => { throw new ValidationError('DB_ERR_DOWN', 'down'); } })] });
    const error = await failure(() => app.start());
    expect(codeOf(error)).toBe('CORE_ERR_START_FAILED');
    expect(isRampartError(error) && error.details?.['module']).toBe('db');
    const hookLines = lines().filter((l) => 'hook' in l);
    expect(hookLines.map((l) => [l['level'], l['hook'], typeof l['durationMs']])).toEqual([
      [30, 'start', 'undefined'],
      [50, 'start', 'number'],
    ]);
    expect(hookLines[1]?.['err']).toMatchObject({ code: 'DB_ERR_DOWN', category: 'validation' });
  });
});

describe('@rampart/core L2 public API: observable', () => {
  it('has the default priority 20, overridable', () => {
    expect([observable().priority, observable({ priority: 99 }).priority]).toEqual([20, 99]);
  });

  it('hands each hook’s module, hook, duration and outcome to onHook', async () => {
    const seen: HookObservation[] = [];
    const app = createApp({
      logger: silentLogger,
      modules: [
        defineModule({ name: 'ok', version: '1.0.0', decorators: [observable({ onHook: (o) => void seen.push(o) })], init: () => undefined, stop: () => undefined }),
        defineModule({ name: 'bad', version: '1.0.0', requires: ['ok'], decorators: [observable({ onHook: (o) => void seen.push(o) })], start: () => Promise.reject(Object.assign(new Error('x'), { code: 'BAD_ERR_X' })) }),
      ],
    });
    expect(codeOf(await failure(() => app.start()))).toBe('CORE_ERR_START_FAILED');
    expect(seen.map(({ module, hook, ok, errorCode }) => [module, hook, ok, errorCode])).toEqual([
      ['ok', 'init', true, undefined],
      ['bad', 'start', false, 'BAD_ERR_X'],
      ['ok', 'stop', true, undefined],
    ]);
    expect(seen.every((o) => typeof o.durationMs === 'number' && o.durationMs >= 0)).toBe(true);
  });

  it('an error without a string code is reported with errorCode undefined', async () => {
    const seen: HookObservation[] = [];
    const app = createApp({ logger: silentLogger, decorators: [observable({ onHook: (o) => void seen.push(o) })], modules: [defineModule({ name: 'm', version: '1.0.0', init: () => { throw new Error('plain'); } })] });
    await app.start().catch(() => undefined);
    expect(seen.map(({ hook, ok, errorCode }) => [hook, ok, errorCode])).toEqual([['init', false, undefined]]);
  });
});

describe('@rampart/core L2 public API: orderDecorators', () => {
  const deco = (name: string, priority?: number): ModuleDecorator => ({ name, ...(priority === undefined ? {} : { priority }), wrap: (m) => m });

  it('puts the module’s own decorators, then the app’s, in ascending priority (default 0), stable on ties', () => {
    const own = [deco('a', 5), deco('b')];
    const app = [deco('c', 0), deco('d', -1), deco('e', 5)];
    expect(orderDecorators(own, app).map((d) => d.name)).toEqual(['d', 'b', 'c', 'a', 'e']);
    expect([own.map((d) => d.name), app.map((d) => d.name)]).toEqual([['a', 'b'], ['c', 'd', 'e']]);
  });

  it('orders the built-ins tenantAware (10), observable (20), logging (30) first to last applied', () => {
    const l = logging();
    const o = observable();
    const t = tenantAware({ tenants: [] });
    expect(orderDecorators([l], [o, t]).map((d) => [l, o, t].indexOf(d))).toEqual([2, 1, 0]);
  });

  it('the first applied is innermost: the highest priority runs outermost', async () => {
    const trace: string[] = [];
    const around = (name: string, priority: number): ModuleDecorator => ({
      name,
      priority,
      wrap: (m) => ({ ...m, start: async (ctx) => { trace.push(`${name}>`); await m.start?.(ctx); trace.push(`<${name}`); } }),
    });
    const own = [around('high', 9)];
    const app = [around('low', 1)];
    expect(orderDecorators(own, app).map((d) => d.name)).toEqual(['low', 'high']);
    const application = createApp({ logger: silentLogger, decorators: app, modules: [defineModule({ name: 'm', version: '1.0.0', decorators: own, start: () => void trace.push('start') })] });
    await application.start();
    expect(trace).toEqual(['high>', 'low>', 'start', '<low', '<high']);
    await application.stop();
  });
});

describe('@rampart/core L2 public API: provider', () => {
  it('returns the declaration unchanged; the factory gets its inject list in order', async () => {
    const HOST = token<string>('host');
    const PORT = token<number>('port');
    const URL_ = token<string>('url');
    const declaration = { provide: URL_, inject: [HOST, PORT] as const, useFactory: (host: string, port: number) => `${host}:${String(port)}` };
    const typed = provider(declaration);
    expect(typed).toBe(declaration);
    const app = createApp({
      logger: silentLogger,
      modules: [defineModule({ name: 'net', version: '1.0.0', providers: [provider({ provide: HOST, useValue: 'localhost' }), provider({ provide: PORT, useValue: 8080 }), typed] })],
    });
    await app.start();
    expect(app.get(URL_)).toBe('localhost:8080');
    await app.stop();
  });

  it('a class provider is built with its injected dependencies', async () => {
    const NAME = token<string>('name');
    const GREETER = token<{ greet(): string }>('greeter');
    class Greeter {
      readonly #name: string;
      constructor(name: string) {
        this.#name = name;
      }
      greet() {
        return `hello ${this.#name}`;
      }
    }
    const app = createApp({ logger: silentLogger, providers: [provider({ provide: NAME, useValue: 'ada' }), provider({ provide: GREETER, inject: [NAME], useClass: Greeter })] });
    await app.start();
    expect(app.get(GREETER).greet()).toBe('hello ada');
    await app.stop();
  });

  it('a dependency no module provides fails the start with CORE_ERR_MISSING_PROVIDER; a malformed declaration is refused with CORE_ERR_INVALID_PROVIDER', async () => {
    const ABSENT = token<number>('absent');
    const NEEDS = token<number>('needs');
    const app = createApp({ logger: silentLogger, providers: [provider({ provide: NEEDS, inject: [ABSENT], useFactory: (n: number) => n + 1 })] });
    const missing = await failure(() => app.start());
    expect([codeOf(missing), isRampartError(missing) && missing.details?.['token']]).toEqual(['CORE_ERR_MISSING_PROVIDER', 'absent']);
    const malformed = await failure(() => createApp({ logger: silentLogger, providers: [provider({ provide: NEEDS, useFactory: 42 as never })] }));
    expect(codeOf(malformed)).toBe('CORE_ERR_INVALID_PROVIDER');
  });
});
