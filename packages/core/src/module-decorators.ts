/**
 * Module decorators (FR-018, FR-019): wrappers that add behaviour around a
 * module's hooks without touching its code.
 *
 * Order, documented and deterministic: a module's own `decorators` come first,
 * then the app's `decorators`; the combined list is sorted by ascending
 * `priority` (stable, so equal priorities keep that order) and applied in
 * turn. The first applied is the innermost wrapper, so the highest priority
 * runs outermost. Built-in defaults: tenantAware 10, observable 20, logging 30
 * (logging sees everything, including per-tenant work); each takes a
 * `priority` option to override.
 */
import { channel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { causeOf, coreError } from './errors.ts';
import type { HealthCheck } from './health.ts';
import { checkedReport, worst } from './health.ts';
import type { Logger } from './logger.ts';
import type { ModuleContext, ModuleDefinition } from './module.ts';

export interface ModuleDecorator {
  readonly name: string;
  /** Higher wraps outer. Default 0. */
  readonly priority?: number;
  wrap(module: ModuleDefinition): ModuleDefinition;
}

/** The hooks a decorator wraps uniformly. */
export const WRAPPED_HOOKS = ['init', 'start', 'stop'] as const;
type Hook = (typeof WRAPPED_HOOKS)[number];
type HookFn = (ctx: ModuleContext) => void | Promise<void>;

/** Orders decorators as documented above (stable sort on priority). */
export function orderDecorators(own: readonly ModuleDecorator[], app: readonly ModuleDecorator[]): ModuleDecorator[] {
  return [...own, ...app]
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.priority ?? 0) - (b.d.priority ?? 0) || a.i - b.i)
    .map(({ d }) => d);
}

/** Applies decorators; each must keep the module's name and version (transparency). */
export function decorateModule(module: ModuleDefinition, app: readonly ModuleDecorator[]): ModuleDefinition {
  let current = module;
  for (const decorator of orderDecorators(module.decorators ?? [], app)) {
    let next: ModuleDefinition;
    try {
      next = decorator.wrap(current);
    } catch (error) {
      throw coreError('CORE_ERR_INVALID_MODULE', `Module decorator '${decorator.name}' threw while wrapping module '${module.name}'`, {
        cause: error,
        details: { module: module.name, decorator: decorator.name },
      });
    }
    if (typeof next !== 'object' || next === null || next.name !== module.name || next.version !== module.version) {
      throw coreError('CORE_ERR_INVALID_MODULE', `Module decorator '${decorator.name}' must return the module with its name and version unchanged (module '${module.name}')`, {
        details: { module: module.name, decorator: decorator.name },
      });
    }
    current = next;
  }
  return current;
}

function wrapHooks(module: ModuleDefinition, around: (hook: Hook, inner: HookFn, ctx: ModuleContext) => Promise<void>): ModuleDefinition {
  const out: ModuleDefinition = { ...module };
  for (const hook of WRAPPED_HOOKS) {
    const inner = module[hook];
    if (inner === undefined) continue;
    out[hook] = (ctx: ModuleContext) => around(hook, (c) => inner.call(module, c), ctx);
  }
  return out;
}

/**
 * Logs each hook's begin, end (with duration) and failure on the module's logger.
 * @example
 * createApp({ modules, decorators: [logging()] });
 */
export function logging(options: { priority?: number; level?: 'debug' | 'info' } = {}): ModuleDecorator {
  const level = options.level ?? 'debug';
  return {
    name: 'logging',
    priority: options.priority ?? 30,
    wrap: (module) =>
      wrapHooks(module, async (hook, inner, ctx) => {
        const began = performance.now();
        ctx.logger[level]({ hook }, `${hook} begin`);
        try {
          await inner(ctx);
        } catch (error) {
          ctx.logger.error({ hook, err: error, durationMs: performance.now() - began }, `${hook} failed`);
          throw error;
        }
        ctx.logger[level]({ hook, durationMs: performance.now() - began }, `${hook} end`);
      }),
  };
}

/** Hook timings are published here by `observable()`. */
export const HOOK_CHANNEL = 'rampart:core.hook';
const hookChannel = channel(HOOK_CHANNEL);

/** What `observable()` publishes for each hook run. */
export interface HookObservation {
  readonly module: string;
  readonly hook: Hook;
  readonly durationMs: number;
  readonly ok: boolean;
  readonly errorCode: string | undefined;
}

/**
 * Publishes each hook's duration and outcome on `rampart:core.hook` and to
 * `onHook`. An `onHook` that throws (or rejects) is logged on the module's
 * logger and changes nothing: the hook succeeds or fails with its own error.
 * @example
 * createApp({ modules, decorators: [observable({ onHook: (o) => histogram.observe(o.durationMs) })] });
 */
export function observable(options: { priority?: number; onHook?: (o: HookObservation) => void } = {}): ModuleDecorator {
  const report = (o: HookObservation, logger: Logger) => {
    if (hookChannel.hasSubscribers) hookChannel.publish(o);
    if (options.onHook === undefined) return;
    // A metrics callback must not fail a healthy start, nor replace a failing hook's error.
    const failed = (error: unknown) => void logger.warn({ hook: o.hook, err: error }, 'observable() onHook failed; the hook outcome is unchanged');
    try {
      // Typed as returning void, but an async callback returns a promise whose rejection would go unhandled.
      const result: unknown = options.onHook(o);
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  };
  return {
    name: 'observable',
    priority: options.priority ?? 20,
    wrap: (module) =>
      wrapHooks(module, async (hook, inner, ctx) => {
        const began = performance.now();
        try {
          await inner(ctx);
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          report({ module: module.name, hook, durationMs: performance.now() - began, ok: false, errorCode: typeof code === 'string' ? code : undefined }, ctx.logger);
          throw error;
        }
        report({ module: module.name, hook, durationMs: performance.now() - began, ok: true, errorCode: undefined }, ctx.logger);
      }),
  };
}

/**
 * Runs the module's init/start/stop once per tenant, inside that tenant's
 * context, and folds per-tenant health into the worst. If a tenant fails to
 * start, tenants already started are stopped (reverse order) before the error
 * (CORE_ERR_TENANT_HOOK_FAILED) propagates: no half-initialized tenant set.
 * A `tenants` function is read once per application, at the first of init and
 * start; stop takes down exactly the tenants whose start (init, for a module
 * without start) succeeded, latest first, whatever the list says by then, and
 * health checks those same tenants. A tenant's report without a valid status
 * counts as `unhealthy`, as a module's does.
 * @example
 * defineModule({ name: 'search', version: '1.0.0', decorators: [tenantAware({ tenants: ['acme', 'globex'] })], start: (ctx) => openIndex(ctx.currentTenant()!.id) });
 */
export function tenantAware(options: { tenants: readonly string[] | (() => readonly string[]); priority?: number }): ModuleDecorator {
  const tenants = () => [...(typeof options.tenants === 'function' ? options.tenants() : options.tenants)];
  return {
    name: 'tenant-aware',
    priority: options.priority ?? 10,
    wrap: (module) => {
      // Per wrap(), so per application (decorateModule runs at each registration).
      // Read again at stop, a list that changed meanwhile stopped tenants that
      // never started and skipped some that had.
      let planned: string[] | undefined;
      const up: string[] = [];
      const upHook: Hook | undefined = module.start !== undefined ? 'start' : module.init !== undefined ? 'init' : undefined;
      const stopList = () => (upHook === undefined ? tenants() : [...up]).reverse();
      const out = wrapHooks(module, async (hook, inner, ctx) => {
        const ids = hook === 'stop' ? stopList() : (planned ??= tenants());
        const done: string[] = [];
        const stopFailures: { id: string; error: unknown }[] = [];
        for (const id of ids) {
          try {
            await ctx.runInTenant(id, () => inner(ctx));
            done.push(id);
            if (hook === upHook) up.push(id);
          } catch (error) {
            // Like modules, every tenant gets its stop even when one fails.
            if (hook === 'stop') {
              stopFailures.push({ id, error });
              continue;
            }
            // The module is failed now: its stop is not called again, so `up` needs no update.
            if (hook === 'start' && module.stop !== undefined) await unwind(module, ctx, done);
            throw coreError('CORE_ERR_TENANT_HOOK_FAILED', `Module '${module.name}' ${hook} failed for tenant '${id}'${hook === 'start' ? `; stopped tenants ${JSON.stringify(done.reverse())}` : ''}`, {
              cause: error,
              details: { module: module.name, hook, tenant: id },
            });
          }
        }
        if (stopFailures.length > 0) throw tenantStopFailed(module.name, stopFailures);
      });
      const health = module.health;
      // The tenants the module started, as stop takes down: a list read again here could name
      // a tenant that never started (whose services the check would build) or throw.
      if (health !== undefined) out.health = (ctx) => tenantHealth(upHook === undefined ? tenants() : [...up], ctx, (c) => health.call(module, c));
      return out;
    },
  };
}

/** CORE_ERR_TENANT_HOOK_FAILED for the tenants whose stop failed (every other tenant was stopped). */
function tenantStopFailed(module: string, failures: readonly { id: string; error: unknown }[]) {
  const ids = failures.map((f) => f.id);
  return coreError('CORE_ERR_TENANT_HOOK_FAILED', `Module '${module}' stop failed for tenant(s) ${ids.map((id) => `'${id}'`).join(', ')}; every other tenant was stopped`, {
    cause: causeOf(failures.map((f) => f.error), `${String(failures.length)} tenants failed to stop`),
    details: { module, hook: 'stop', tenant: ids[0], tenants: ids },
  });
}

async function unwind(module: ModuleDefinition, ctx: ModuleContext, started: readonly string[]): Promise<void> {
  const stop = module.stop as HookFn;
  for (const id of [...started].reverse()) {
    try {
      await ctx.runInTenant(id, () => stop.call(module, ctx));
    } catch (error) {
      ctx.logger.error({ tenant: id, err: error }, 'stop failed while unwinding a tenant-aware start');
    }
  }
}

async function tenantHealth(ids: readonly string[], ctx: ModuleContext, check: (ctx: ModuleContext) => HealthCheck | Promise<HealthCheck>): Promise<HealthCheck> {
  let status: HealthCheck['status'] = 'healthy';
  const notes: string[] = [];
  for (const id of ids) {
    const report = checkedReport(await ctx.runInTenant(id, () => check(ctx)));
    status = worst(status, report.status);
    if (report.status !== 'healthy') notes.push(`${id}: ${report.status}${report.message === undefined ? '' : ` (${report.message})`}`);
  }
  return notes.length === 0 ? { status } : { status, message: notes.join('; ') };
}
