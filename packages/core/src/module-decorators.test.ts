import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { silentLogger } from './logger.ts';
import type { Logger } from './logger.ts';
import { HOOK_CHANNEL, logging, observable, orderDecorators, tenantAware } from './module-decorators.ts';
import type { HookObservation, ModuleDecorator } from './module-decorators.ts';
import type { ModuleDefinition } from './module.ts';

const tracer = (name: string, trace: string[], priority?: number): ModuleDecorator => ({
  name,
  priority,
  wrap: (m) => ({
    ...m,
    start: async (ctx) => {
      trace.push(`${name}>`);
      await m.start?.(ctx);
      trace.push(`<${name}`);
    },
  }),
});

function captureLogger() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at = (level: string) => (obj: object | string, msg?: string) => void lines.push({ level, obj: { ...bindings, ...(typeof obj === 'string' ? {} : obj) }, msg: typeof obj === 'string' ? obj : msg });
    return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), child: (b) => make({ ...bindings, ...b }) };
  };
  return { lines, logger: make({}) };
}

describe('decorator order', () => {
  it('sorts module decorators then app decorators by ascending priority, stable; the highest priority runs outermost', async () => {
    const trace: string[] = [];
    const mod: ModuleDefinition = { name: 'm', version: '1.0.0', start: () => void trace.push('hook'), decorators: [tracer('own-a', trace), tracer('own-high', trace, 5)] };
    const app = createApp({ logger: silentLogger, modules: [mod], decorators: [tracer('app-a', trace), tracer('app-low', trace, -1)] });
    await app.start();
    expect(trace).toEqual(['own-high>', 'app-a>', 'own-a>', 'app-low>', 'hook', '<app-low', '<own-a', '<app-a', '<own-high']);
    expect(orderDecorators([logging(), tenantAware({ tenants: [] })], [observable()]).map((d) => d.name)).toEqual(['tenant-aware', 'observable', 'logging']);
    expect(orderDecorators([logging({ priority: 1 })], [observable()]).map((d) => d.name)).toEqual(['logging', 'observable']);
  });

  it('rejects a decorator that changes the module identity', () => {
    const renaming: ModuleDecorator = { name: 'rename', wrap: (m) => ({ ...m, name: 'other' }) };
    expect(() => createApp({ logger: silentLogger, modules: [{ name: 'm', version: '1.0.0' }], decorators: [renaming] })).toThrow(
      expect.objectContaining({ code: 'CORE_ERR_INVALID_MODULE', details: { module: 'm', decorator: 'rename' } }),
    );
  });
});

describe('logging()', () => {
  it('logs begin/end with duration and failures on the module logger, transparently', async () => {
    const { lines, logger } = captureLogger();
    const app = createApp({ logger, decorators: [logging({ level: 'info' })], modules: [{ name: 'db', version: '1.0.0', start: () => undefined, stop: () => { throw new Error('stuck'); } }] });
    await app.start();
    await expect(app.stop()).rejects.toMatchObject({ code: 'CORE_ERR_STOP_FAILED' });
    const mine = lines.filter((l) => l.obj['module'] === 'db' && l.obj['hook'] !== undefined);
    expect(mine.map((l) => [l.level, l.msg])).toEqual([
      ['info', 'start begin'],
      ['info', 'start end'],
      ['info', 'stop begin'],
      ['error', 'stop failed'],
    ]);
    expect(typeof mine[1]?.obj['durationMs']).toBe('number');
    expect(mine[3]?.obj['err']).toEqual(new Error('stuck'));
  });
});

describe('observable()', () => {
  it('publishes each hook outcome on the diagnostics channel and to onHook', async () => {
    const seen: HookObservation[] = [];
    const fromChannel: unknown[] = [];
    const listener = (message: unknown) => void fromChannel.push(message);
    subscribe(HOOK_CHANNEL, listener);
    try {
      const failing = Object.assign(new Error('x'), { code: 'DB_ERR_DOWN' });
      const app = createApp({ logger: silentLogger, decorators: [observable({ onHook: (o) => void seen.push(o) })], modules: [{ name: 'db', version: '1.0.0', init: () => undefined, start: () => { throw failing; } }] });
      await expect(app.start()).rejects.toMatchObject({ code: 'CORE_ERR_START_FAILED' });
    } finally {
      unsubscribe(HOOK_CHANNEL, listener);
    }
    expect(seen.map(({ module, hook, ok, errorCode }) => ({ module, hook, ok, errorCode }))).toEqual([
      { module: 'db', hook: 'init', ok: true, errorCode: undefined },
      { module: 'db', hook: 'start', ok: false, errorCode: 'DB_ERR_DOWN' },
    ]);
    expect(fromChannel).toEqual(seen);
  });
});

describe('tenantAware()', () => {
  it('runs hooks once per tenant inside its context, stops in reverse tenant order, folds health', async () => {
    const calls: string[] = [];
    const health = new Map([['acme', { status: 'healthy' as const }], ['globex', { status: 'degraded' as const, message: 'slow' }]]);
    const app = createApp({
      logger: silentLogger,
      modules: [
        {
          name: 'search',
          version: '1.0.0',
          decorators: [tenantAware({ tenants: () => ['acme', 'globex'] })],
          start: (ctx) => void calls.push(`start ${String(ctx.currentTenant()?.id)}`),
          stop: (ctx) => void calls.push(`stop ${String(ctx.currentTenant()?.id)}`),
          health: (ctx) => health.get(ctx.currentTenant()?.id ?? '') ?? { status: 'unhealthy' },
        },
      ],
    });
    await app.start();
    expect((await app.health()).modules['search']).toMatchObject({ status: 'degraded', message: 'globex: degraded (slow)' });
    health.set('globex', { status: 'healthy' });
    expect((await app.health()).modules['search']).toMatchObject({ status: 'healthy', message: undefined });
    await app.stop();
    expect(calls).toEqual(['start acme', 'start globex', 'stop globex', 'stop acme']);
  });

  it('stops the tenants already started when one tenant fails to start', async () => {
    const calls: string[] = [];
    const app = createApp({
      logger: silentLogger,
      modules: [
        {
          name: 'search',
          version: '1.0.0',
          decorators: [tenantAware({ tenants: ['a', 'b', 'c'] })],
          start: (ctx) => {
            if (ctx.currentTenant()?.id === 'c') throw new Error('index corrupt');
            calls.push(`start ${String(ctx.currentTenant()?.id)}`);
          },
          stop: (ctx) => {
            if (ctx.currentTenant()?.id === 'b') throw new Error('cannot close');
            calls.push(`stop ${String(ctx.currentTenant()?.id)}`);
          },
        },
      ],
    });
    const error = (await app.start().catch((e: unknown) => e)) as { cause: { code: string; message: string; details: unknown } };
    expect(calls).toEqual(['start a', 'start b', 'stop a']);
    expect(error.cause.code).toBe('CORE_ERR_TENANT_HOOK_FAILED');
    expect(error.cause.message).toBe(`Module 'search' start failed for tenant 'c'; stopped tenants ["b","a"]`);
    expect(error.cause.details).toEqual({ module: 'search', hook: 'start', tenant: 'c' });
  });

  it('reports a failing per-tenant init without unwinding', async () => {
    const app = createApp({ logger: silentLogger, modules: [{ name: 's', version: '1.0.0', decorators: [tenantAware({ tenants: ['a'] })], init: () => { throw new Error('x'); } }] });
    const error = (await app.start().catch((e: unknown) => e)) as { cause: { message: string } };
    expect(error.cause.message).toBe("Module 's' init failed for tenant 'a'");
  });
});

describe('observable() with an onHook that fails', () => {
  it('a throwing onHook does not fail a healthy start; it is logged on the module logger', async () => {
    // Before the fix: start() rejected with CORE_ERR_START_FAILED, cause 'metrics backend down'.
    const { lines, logger } = captureLogger();
    const onHook = () => {
      throw new Error('metrics backend down');
    };
    const app = createApp({ logger, modules: [{ name: 'ok', version: '1.0.0', decorators: [observable({ onHook })], start: () => undefined }] });
    await app.start();
    expect(app.state).toBe('started');
    const warned = lines.filter((l) => l.level === 'warn').map((l) => [l.obj['module'], l.obj['hook'], (l.obj['err'] as Error).message, l.msg]);
    expect(warned).toEqual([['ok', 'start', 'metrics backend down', 'observable() onHook failed; the hook outcome is unchanged']]);
    await app.stop();
  });

  it('a failing hook keeps its own error when onHook throws too', async () => {
    const onHook = () => {
      throw new Error('metrics backend down');
    };
    const app = createApp({
      logger: silentLogger,
      modules: [{ name: 'bad', version: '1.0.0', decorators: [observable({ onHook })], start: () => { throw Object.assign(new Error('db refused'), { code: 'DB_ERR' }); } }],
    });
    const error = await app.start().then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'CORE_ERR_START_FAILED', cause: { message: 'db refused', code: 'DB_ERR' } });
  });

  it('an async onHook that rejects is logged, not left as an unhandled rejection', async () => {
    const { lines, logger } = captureLogger();
    // Typed as returning void, as a caller passing an async callback sees it.
    const onHook = (() => Promise.reject(new Error('async metrics down'))) as unknown as (o: HookObservation) => void;
    const app = createApp({ logger, modules: [{ name: 'ok', version: '1.0.0', decorators: [observable({ onHook })], init: () => undefined }] });
    await app.start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.filter((l) => l.level === 'warn').map((l) => [l.obj['hook'], (l.obj['err'] as Error).message])).toEqual([['init', 'async metrics down']]);
    await app.stop();
  });
});

describe('tenantAware() with a tenant list that changes while the app runs', () => {
  it('stops exactly the tenants whose start succeeded, in reverse order, whatever the list says at stop', async () => {
    // Before the fix: stop read the list again: initech (never started) was stopped, acme (started) was not.
    let tenants = ['acme', 'globex'];
    const log: string[] = [];
    const mod: ModuleDefinition = {
      name: 'search',
      version: '1.0.0',
      decorators: [tenantAware({ tenants: () => tenants })],
      init: (ctx) => void log.push(`init ${String(ctx.currentTenant()?.id)}`),
      start: (ctx) => {
        log.push(`start ${String(ctx.currentTenant()?.id)}`);
        tenants = ['globex', 'initech'];
      },
      stop: (ctx) => void log.push(`stop ${String(ctx.currentTenant()?.id)}`),
    };
    const app = createApp({ logger: silentLogger, modules: [mod] });
    await app.start();
    await app.stop();
    // The list is read once, at init: start runs for the same tenants even though it changed during start.
    expect(log).toEqual(['init acme', 'init globex', 'start acme', 'start globex', 'stop globex', 'stop acme']);
  });

  it('keeps the started tenants per application: two apps from one module stop their own', async () => {
    let tenants = ['a'];
    const log: string[] = [];
    const decorator = tenantAware({ tenants: () => tenants });
    const mod = (): ModuleDefinition => ({ name: 's', version: '1.0.0', decorators: [decorator], start: () => undefined, stop: (ctx) => void log.push(`stop ${String(ctx.currentTenant()?.id)}`) });
    const one = createApp({ logger: silentLogger, modules: [mod()] });
    const two = createApp({ logger: silentLogger, modules: [mod()] });
    await one.start();
    tenants = ['b'];
    await two.start();
    tenants = [];
    await one.stop();
    await two.stop();
    expect(log).toEqual(['stop a', 'stop b']);
  });

  it('a module without start stops the tenants whose init succeeded; one with neither stops the current list', async () => {
    let tenants = ['a', 'b'];
    const log: string[] = [];
    const stop = (ctx: { currentTenant(): { id: string } | undefined }) => void log.push(`stop ${String(ctx.currentTenant()?.id)}`);
    const initOnly: ModuleDefinition = { name: 'init-only', version: '1.0.0', decorators: [tenantAware({ tenants: () => tenants })], init: () => undefined, stop };
    const stopOnly: ModuleDefinition = { name: 'stop-only', version: '1.0.0', decorators: [tenantAware({ tenants: () => tenants })], stop };
    const app = createApp({ logger: silentLogger, modules: [initOnly, stopOnly] });
    await app.start();
    tenants = ['c'];
    await app.stop();
    expect(log).toEqual(['stop c', 'stop b', 'stop a']);
  });
});
