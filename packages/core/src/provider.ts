/**
 * Provider declarations (value, factory, class, `@Injectable` class) and their
 * validation into the records the container compiles. Validation throws a
 * CORE_ERR_INVALID_PROVIDER that names the module and the provider.
 */
import type { Scope } from './scope.ts';
import type { Constructor, InjectionKey } from './token.ts';

declare const RESOLVES: unique symbol;

/** A dependency with options; build with {@link optional}, {@link named}, {@link all}. */
export interface Dep<T> {
  readonly token: InjectionKey<unknown>;
  readonly optional: boolean;
  readonly all: boolean;
  readonly name: string | undefined;
  readonly [RESOLVES]?: T;
}

/** One entry of an `inject` list. */
export type Dependency = InjectionKey<unknown> | Dep<unknown>;

/** The argument types a factory receives for an `inject` list. */
export type Resolved<D extends readonly Dependency[]> = {
  -readonly [K in keyof D]: D[K] extends Dep<infer T> ? T : D[K] extends InjectionKey<infer T> ? T : never;
};

function dep<T>(key: InjectionKey<unknown>, extra: Partial<Pick<Dep<T>, 'optional' | 'all' | 'name'>>): Dep<T> {
  return Object.freeze({ token: key, optional: false, all: false, name: undefined, ...extra });
}

/**
 * Injects `undefined` when no provider exists (for optional modules' services).
 * @example
 * { provide: REPORT, inject: [optional(METRICS)], useFactory: (metrics) => new Report(metrics) }
 */
export function optional<T>(key: InjectionKey<T>): Dep<T | undefined> {
  return dep(key, { optional: true });
}

/**
 * Injects the provider registered under an explicit name.
 * @example
 * { provide: SESSIONS, inject: [named(CACHE, 'redis')], useFactory: (cache) => new Sessions(cache) }
 */
export function named<T>(key: InjectionKey<T>, name: string): Dep<T> {
  return dep(key, { name });
}

/**
 * Injects every provider of a token, in tie-break order (empty array when none).
 * @example
 * { provide: HEALTH, inject: [all(CHECK)], useFactory: (checks) => new Health(checks) }
 */
export function all<T>(key: InjectionKey<T>): Dep<T[]> {
  return dep(key, { all: true });
}

interface ProviderBase<T> {
  provide: InjectionKey<T>;
  scope?: Scope;
  /** Explicit name: `app.get(token, { name })` and `named(token, name)` select it. */
  name?: string;
  /** Among several providers of one token, the highest priority wins (default 0). */
  priority?: number;
}

export interface ValueProvider<T> extends ProviderBase<T> {
  useValue: T;
}
export interface FactoryProvider<T, D extends readonly Dependency[] = readonly Dependency[]> extends ProviderBase<T> {
  inject?: D;
  useFactory: (...deps: Resolved<D>) => T;
}
export interface ClassProvider<T, D extends readonly Dependency[] = readonly Dependency[]> extends ProviderBase<T> {
  inject?: D;
  useClass: new (...deps: Resolved<D>) => T;
}

/** Options of `@Injectable` / `injectable()`. */
export interface InjectableOptions {
  scope?: Scope;
  inject?: readonly Dependency[];
  /** Register under this token instead of (only) the class itself. */
  provide?: InjectionKey<unknown>;
  name?: string;
  priority?: number;
}

/** Anything a module's `providers` list accepts. */
export type Provider =
  | ValueProvider<unknown>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list holds factories of any arity and parameter types
  | (ProviderBase<unknown> & { inject?: readonly Dependency[]; useFactory: (...deps: any[]) => unknown })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list holds classes of any arity and parameter types
  | (ProviderBase<unknown> & { inject?: readonly Dependency[]; useClass: new (...deps: any[]) => unknown })
  | Constructor<unknown>;

/**
 * Types one provider so the factory's parameters follow its `inject` list.
 * @example
 * provider({ provide: REPO, inject: [DB, LOGGER], useFactory: (db, log) => new Repo(db, log) })
 */
export function provider<T, const D extends readonly Dependency[] = []>(
  declaration: ValueProvider<T> | FactoryProvider<T, D> | ClassProvider<T, D>,
): Provider {
  return declaration;
}

const injectables = new WeakMap<object, InjectableOptions>();

/**
 * Plain-function form of `@Injectable`: attaches scope and inject list to a class.
 * @example
 * class Repo { constructor(readonly db: Db) {} }
 * injectable(Repo, { inject: [DB], scope: 'request' });
 */
export function injectable<C extends Constructor<unknown>>(target: C, options: InjectableOptions = {}): C {
  injectables.set(target, Object.freeze({ ...options }));
  return target;
}

/** The `@Injectable` metadata of a class, if any. */
export function injectableOptions(target: object): InjectableOptions | undefined {
  return injectables.get(target);
}

/**
 * TC39 standard class decorator marking a class as a provider.
 * @example
 * \@Injectable({ inject: [DB], scope: 'request' })
 * class Repo { constructor(private readonly db: Db) {} }
 */
export function Injectable(options: InjectableOptions = {}) {
  return <C extends Constructor<unknown>>(target: C, _context: ClassDecoratorContext<C>): void => {
    injectable(target, options);
  };
}

/** The validated, normalized form of a provider, owned by one application. */
export interface ProviderRecord {
  readonly key: InjectionKey<unknown>;
  readonly keyName: string;
  readonly name: string | undefined;
  readonly priority: number;
  readonly scope: Scope;
  readonly deps: readonly Dep<unknown>[];
  readonly kind: 'value' | 'factory' | 'class';
  /** Module that registered it (`undefined` for app-level providers). */
  readonly module: string | undefined;
  /** Registration batch: providers of one module share it (same registration time). */
  readonly batch: number;
  /** The user's declaration: identity for process-wide singletons. */
  readonly identity: object;
  readonly create: (args: unknown[]) => unknown;
}

export interface ProviderOwner {
  module: string | undefined;
  batch: number;
}
