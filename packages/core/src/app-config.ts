/**
 * Configuration of an application: every module's schema is composed under
 * its module name, loaded and validated in one pass before any module's init
 * (so all problems are reported together), and each module reads its slice.
 * After a reload, modules with a `reload` hook get the dynamic changes of
 * their own slice.
 */
import { defineSchema, loadConfig } from '@rampart/config';
import type { AnyField, Change, Config, LoadOptions, Schema, Shape } from '@rampart/config';
import { coreError } from './errors.ts';
import { emit, runWithinLimit } from './lifecycle.ts';
import type { LifecycleHost, ModuleRuntime } from './lifecycle.ts';
import type { RampartError } from './rampart-error.ts';
import type { ConfigChange, ModuleContext, ModuleDefinition } from './module.ts';
import { thrownMessage } from './suggest.ts';

/** True when `value` looks like a @rampart/config schema. */
export function isSchema(value: unknown): value is Schema<Shape> {
  return typeof value === 'object' && value !== null && 'shape' in value && 'root' in value;
}

/** Loads the composed configuration; `undefined` when no module declares a schema. */
export async function loadAppConfig(modules: readonly ModuleDefinition[], options: LoadOptions = {}): Promise<Config<Record<string, unknown>> | undefined> {
  const shape: Record<string, AnyField> = {};
  for (const module of modules) {
    if (isSchema(module.config)) shape[module.name] = module.config.root as AnyField;
  }
  if (Object.keys(shape).length === 0) return undefined;
  try {
    return (await loadConfig(defineSchema(shape), options)) as Config<Record<string, unknown>>;
  } catch (error) {
    throw configInvalid(error);
  }
}

function configInvalid(error: unknown): RampartError {
  const issues = (error as { issues?: unknown }).issues;
  const detail = thrownMessage(error);
  return coreError('CORE_ERR_CONFIG_INVALID', `Configuration of the application's modules is invalid; no module was started: ${detail}`, {
    cause: error,
    details: Array.isArray(issues) ? { issues } : {},
  });
}

/** The changes of one module's slice, with paths relative to the slice. */
export function changesFor(module: string, changes: readonly Change[]): ConfigChange[] {
  const prefix = `${module}.`;
  return changes
    .filter((c) => c.path.startsWith(prefix))
    .map((c) => Object.freeze({ path: c.path.slice(prefix.length), previous: c.previous, value: c.next, tenant: c.tenant }));
}

/**
 * Hands each started module that has a `reload` hook the changes of its slice,
 * in start order; a hook that throws is reported as an 'error' event
 * (CORE_ERR_RELOAD_FAILED) and the others still get theirs.
 */
export async function dispatchReload(started: readonly ModuleRuntime[], changes: readonly Change[], host: LifecycleHost): Promise<void> {
  for (const runtime of started) {
    const reload = runtime.definition.reload;
    const mine = changesFor(runtime.definition.name, changes);
    if (reload === undefined || mine.length === 0 || runtime.state !== 'started') continue;
    try {
      await runWithinLimit(host, runtime.definition.name, 'reload', () => reload.call(runtime.definition, mine, runtime.ctx as ModuleContext));
    } catch (error) {
      const wrapped = coreError('CORE_ERR_RELOAD_FAILED', `Module '${runtime.definition.name}' failed to apply a configuration reload`, { cause: error, details: { module: runtime.definition.name } });
      await emit(host, 'error', runtime.definition.name, { error: { code: wrapped.code, name: wrapped.name, message: wrapped.message } }).catch(() => undefined);
    }
  }
}
