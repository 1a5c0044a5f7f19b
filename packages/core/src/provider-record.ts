/**
 * Turns provider declarations into ProviderRecords, rejecting malformed ones
 * with a message that says which module and which provider.
 */
import { coreError } from './errors.ts';
import type { RampartError } from './rampart-error.ts';
import { injectableOptions } from './provider.ts';
import type { Dep, Dependency, InjectableOptions, Provider, ProviderOwner, ProviderRecord } from './provider.ts';
import { isScope } from './scope.ts';
import { formatValue } from './suggest.ts';
import type { Scope } from './scope.ts';
import { isInjectionKey, keyName } from './token.ts';
import type { Constructor } from './token.ts';

type Loose = Record<string, unknown>;

function invalid(where: string, problem: string): RampartError {
  return coreError('CORE_ERR_INVALID_PROVIDER', `Invalid provider ${where}: ${problem}`, { details: { where, problem } });
}

function toDep(entry: Dependency, where: string, position: number): Dep<unknown> {
  // A class is a key even with a static `token` member: the optional()/named()/all() wrappers are plain objects.
  if (typeof entry === 'function' || (isInjectionKey(entry) && !('token' in entry))) {
    return Object.freeze({ token: entry, optional: false, all: false, name: undefined });
  }
  const candidate = entry as Partial<Dep<unknown>>;
  if (typeof entry === 'object' && entry !== null && isInjectionKey(candidate.token)) return entry as Dep<unknown>;
  throw invalid(where, `inject[${String(position)}] is not a token, a class or optional()/named()/all()`);
}

function checkCommon(decl: Loose, where: string): { scope: Scope | undefined; priority: number; name: string | undefined } {
  const { scope, priority = 0, name } = decl;
  if (scope !== undefined && !isScope(scope)) {
    throw invalid(where, `scope ${formatValue(scope)} is not one of singleton, app, tenant, request, transient`);
  }
  if (typeof priority !== 'number' || !Number.isFinite(priority)) throw invalid(where, 'priority must be a finite number');
  if (name !== undefined && (typeof name !== 'string' || name === '')) throw invalid(where, 'name must be a non-empty string');
  return { scope, priority, name };
}

function fromClass(cls: Constructor<unknown>, options: InjectableOptions, owner: ProviderOwner, where: string): ProviderRecord {
  return build({ ...options, provide: options.provide ?? cls, useClass: cls }, owner, where, cls);
}

function build(decl: Loose, owner: ProviderOwner, where: string, identity: object): ProviderRecord {
  if (!isInjectionKey(decl['provide'])) throw invalid(where, '`provide` must be a token from token() or a class');
  const { scope, priority, name } = checkCommon(decl, where);
  const forms = ['useValue', 'useFactory', 'useClass'].filter((k) => k in decl);
  if (forms.length !== 1) throw invalid(where, 'give exactly one of useValue, useFactory, useClass');
  const inject = decl['inject'] ?? [];
  if (!Array.isArray(inject)) throw invalid(where, '`inject` must be an array');
  if ('useValue' in decl && inject.length > 0) throw invalid(where, 'useValue takes no inject list');
  // An index loop, not map: map skips the holes of a sparse list (`[A, , B]`), which would reach
  // the container as missing deps. Not Array.from either: its iterator path made bootstrap ~10% slower.
  const deps: Dep<unknown>[] = [];
  for (let i = 0; i < inject.length; i += 1) deps.push(toDep((inject as Dependency[])[i] as Dependency, where, i));
  const kind = forms[0] === 'useValue' ? 'value' : forms[0] === 'useFactory' ? 'factory' : 'class';
  const fn = decl[forms[0] as string];
  if (kind !== 'value' && typeof fn !== 'function') throw invalid(where, `${String(forms[0])} must be a function`);
  if (kind === 'value' && scope !== undefined && scope !== 'app' && scope !== 'singleton') {
    throw invalid(where, `a useValue provider is shared, scope ${scope} does not apply`);
  }
  return Object.freeze({
    key: decl['provide'],
    keyName: keyName(decl['provide']),
    name,
    priority,
    scope: scope ?? 'app',
    deps,
    kind,
    module: owner.module,
    batch: owner.batch,
    identity,
    create: creator(kind, fn),
  });
}

function creator(kind: ProviderRecord['kind'], fn: unknown): (args: unknown[]) => unknown {
  if (kind === 'value') return () => fn;
  if (kind === 'factory') return (args) => (fn as (...a: unknown[]) => unknown)(...args);
  return (args) => new (fn as new (...a: unknown[]) => unknown)(...args);
}

/**
 * Validates one declaration of `owner`'s `providers` list (at `position`).
 * Bare classes need `@Injectable`/`injectable()` metadata, or no constructor parameters.
 */
export function toProviderRecord(input: Provider, owner: ProviderOwner, position: number): ProviderRecord {
  const where = `#${String(position)} of ${owner.module === undefined ? 'the application' : `module '${owner.module}'`}`;
  if (typeof input === 'function') return fromClass(input, injectableOptions(input) ?? {}, owner, `${where} (${keyName(input)})`);
  if (typeof input !== 'object' || input === null) throw invalid(where, 'expected an object or a class');
  const provide = (input as unknown as Loose)['provide'];
  const label = isInjectionKey(provide) ? ` (${keyName(provide)})` : '';
  return build(withClassOptions(input as unknown as Loose), owner, where + label, input);
}

/**
 * `{ provide, useClass: C }` of an `@Injectable` class: C's inject list and
 * scope apply where the declaration gives none (what the declaration says
 * wins). Without this the constructor of C received `undefined` for every
 * dependency it declared. `provide`, `name` and `priority` of C describe C's
 * own registration and stay out of it.
 */
function withClassOptions(decl: Loose): Loose {
  // A WeakMap answers undefined for anything it cannot hold, so a malformed useClass needs no test here (build() rejects it).
  const options = injectableOptions(decl['useClass'] as object);
  if (options === undefined) return decl;
  return { ...decl, inject: decl['inject'] ?? options.inject, scope: decl['scope'] ?? options.scope };
}
