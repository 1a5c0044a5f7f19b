/**
 * Module declarations: the plain-function form `defineModule({...})` and the
 * TC39 class decorator `@Module({...})`. A module declares its name, version,
 * minimum core version, dependencies, services, configuration schema and
 * optional lifecycle hooks.
 */
import type { HealthCheck } from './health.ts';
import type { Logger } from './logger.ts';
import type { ModuleDecorator } from './module-decorators.ts';
import type { Provider } from './provider.ts';
import type { TenantContext } from './tenancy.ts';
import type { InjectionKey } from './token.ts';

/** Lookup options: pick a provider by its explicit name. */
export interface GetOptions {
  name?: string;
}

/** What lets code resolve services: the app, and every module context. */
export interface Resolver {
  /** The provider `key` resolves to (tie-break: name > priority > registration); throws when missing or ambiguous. */
  get<T>(key: InjectionKey<T>, options?: GetOptions): T;
  /** By token name (`'db'`); typed by the caller. */
  get<T = unknown>(name: string, options?: GetOptions): T;
  /** `undefined` instead of CORE_ERR_MISSING_PROVIDER. */
  tryGet<T>(key: InjectionKey<T>, options?: GetOptions): T | undefined;
  /** Every provider of `key`, in tie-break order. */
  getAll<T>(key: InjectionKey<T>): T[];
}

/** Handed to every hook of a module. */
export interface ModuleContext<C = unknown> extends Resolver {
  readonly module: string;
  /** The app logger with `{ module }` bound. */
  readonly logger: Logger;
  /** This module's validated configuration slice (`undefined` without a schema). */
  readonly config: C;
  /** True when a module of this name is registered (check optional dependencies). */
  has(module: string): boolean;
  /** The tenant of the current async call chain, if any. */
  currentTenant(): TenantContext | undefined;
  runInTenant<R>(tenantId: string, fn: () => R): R;
}

/** A config change handed to `reload`: dotted path inside the module's slice, old and new value. */
export interface ConfigChange {
  readonly path: string;
  /** Secret fields arrive wrapped (a @rampart/config `Secret`), so logging a change never leaks. */
  readonly previous: unknown;
  readonly value: unknown;
  /** The tenant whose view changed; `undefined` for the base configuration. */
  readonly tenant: string | undefined;
}

/** A module, as written by its author. */
export interface ModuleDefinition<C = unknown> {
  /** Unique in the app: letters, digits, `-`, `_`, `.`, `@`, `/`; starts with a letter or digit. */
  name: string;
  /** SemVer of the module itself. */
  version: string;
  /** Minimum @rampart/core version, caret semantics (`0.1.0` accepts 0.1.x, `1.2.0` accepts 1.x >= 1.2.0). */
  coreVersion?: string;
  /** Modules that must be registered and start before this one. */
  requires?: readonly string[];
  /** Modules that start before this one when present, and are fine to be absent. */
  optionalRequires?: readonly string[];
  /** Optional for readiness: an `unhealthy` report does not make the app unready. */
  optional?: boolean;
  providers?: readonly Provider[];
  /** Configuration schema (`defineSchema(...)` of @rampart/config), loaded under the module's name into `ctx.config`. */
  config?: unknown;
  /** Wrappers applied to this module (see module-decorators for the order). */
  decorators?: readonly ModuleDecorator[];
  init?: (ctx: ModuleContext<C>) => void | Promise<void>;
  start?: (ctx: ModuleContext<C>) => void | Promise<void>;
  stop?: (ctx: ModuleContext<C>) => void | Promise<void>;
  health?: (ctx: ModuleContext<C>) => HealthCheck | Promise<HealthCheck>;
  /** Called after a configuration reload changed dynamic fields of this module. */
  reload?: (changes: readonly ConfigChange[], ctx: ModuleContext<C>) => void | Promise<void>;
}

/**
 * Plain-function form of a module; returns the declaration unchanged, typed.
 * @example
 * export const dbModule = defineModule({
 *   name: 'db', version: '1.0.0', coreVersion: '0.1.0',
 *   providers: [{ provide: DB, useFactory: () => new Pool() }],
 *   async stop(ctx) { await ctx.get(DB).end(); },
 * });
 */
export function defineModule<C = unknown>(definition: ModuleDefinition<C>): ModuleDefinition<C> {
  return definition;
}

/** The declaration part of `@Module`: everything but the hooks, which the class provides. */
export type ModuleMetadata = Omit<ModuleDefinition, 'init' | 'start' | 'stop' | 'health' | 'reload'>;

type HookHost = Partial<Pick<ModuleDefinition, 'init' | 'start' | 'stop' | 'health' | 'reload'>>;

/** A class carrying `@Module` metadata; constructed once per application. */
export type ModuleClass = new () => HookHost;

const moduleClasses = new WeakMap<object, ModuleMetadata>();

/**
 * Plain-function form of `@Module`.
 * @example
 * class Cache { async start(ctx: ModuleContext) { ctx.logger.info('warm') } }
 * moduleClass(Cache, { name: 'cache', version: '1.0.0' });
 */
export function moduleClass<C extends ModuleClass>(target: C, metadata: ModuleMetadata): C {
  moduleClasses.set(target, Object.freeze({ ...metadata }));
  return target;
}

/**
 * TC39 standard class decorator: the class's methods are the hooks.
 * @example
 * \@Module({ name: 'cache', version: '1.0.0', requires: ['db'] })
 * class CacheModule { async start(ctx: ModuleContext) { ctx.logger.info('warm') } }
 * createApp({ modules: [CacheModule] });
 */
export function Module(metadata: ModuleMetadata) {
  return <C extends ModuleClass>(target: C, _context: ClassDecoratorContext<C>): void => {
    moduleClass(target, metadata);
  };
}

/** True for a class that carries `@Module` metadata. */
export function isModuleClass(input: unknown): input is ModuleClass {
  return typeof input === 'function' && moduleClasses.has(input);
}

/** Turns a `@Module` class into a definition (a fresh instance per call), or returns a definition as is. */
export function toDefinition(input: ModuleDefinition | ModuleClass): ModuleDefinition {
  if (typeof input !== 'function') return input;
  const metadata = moduleClasses.get(input) as ModuleMetadata;
  const instance = new input();
  const hook = <K extends keyof HookHost>(k: K): HookHost[K] => {
    const fn = instance[k];
    return typeof fn === 'function' ? (fn.bind(instance) as HookHost[K]) : undefined;
  };
  return { ...metadata, init: hook('init'), start: hook('start'), stop: hook('stop'), health: hook('health'), reload: hook('reload') };
}
