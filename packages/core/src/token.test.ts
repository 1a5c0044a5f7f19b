import { describe, expect, it } from 'vitest';
import { isInjectionKey, keyName, slotOf, token } from './token.ts';
import { createApp } from './app.ts';
import { silentLogger } from './logger.ts';
import { toProviderRecord } from './provider-record.ts';
import type { Provider } from './provider.ts';

describe('token', () => {
  it('creates frozen, distinct tokens with a readable name', () => {
    const a = token<number>('port', 'HTTP port');
    const b = token<number>('port');
    expect(a).not.toBe(b);
    expect([a.name, a.description, (a as unknown as { toString(): string }).toString(), Object.isFrozen(a)]).toEqual(['port', 'HTTP port', 'Token(port)', true]);
    expect(() => token('  ')).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_TOKEN', category: 'validation', message: 'token(name): name must be a non-empty string, got "  "' }));
    expect(() => token(42 as never)).toThrow('token(name): name must be a non-empty string, got number');
  });

  it('gives every token its own slot, and none to classes, names or nothing', () => {
    const a = token('a');
    const b = token('b');
    expect(typeof slotOf(a)).toBe('number');
    expect(slotOf(b)).toBe((slotOf(a) as number) + 1);
    expect([slotOf(class X {}), slotOf('a'), slotOf(undefined), slotOf(null)]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('keeps cached instances per application: the same token in two apps, class and token keys, repeated lookups', async () => {
    const DB = token<{ app: string }>('db');
    class Repo {
      readonly tag = 'repo';
    }
    const one = createApp({ logger: silentLogger, providers: [{ provide: DB, useFactory: () => ({ app: 'one' }) }, { provide: Repo, useClass: Repo }] });
    const two = createApp({ logger: silentLogger, providers: [{ provide: DB, useFactory: () => ({ app: 'two' }) }] });
    await one.start();
    await two.start();
    for (let i = 0; i < 3; i += 1) {
      expect(one.get(DB)).toEqual({ app: 'one' });
      expect(two.get(DB)).toEqual({ app: 'two' });
      expect(one.get(Repo)).toBeInstanceOf(Repo);
    }
    expect(one.get(DB)).toBe(one.get(DB));
    expect(one.get(Repo)).toBe(one.get(Repo));
    await one.stop();
    await two.stop();
  });

  it('names classes and anonymous classes', () => {
    class Repo {}
    expect(keyName(Repo)).toBe('Repo');
    const anonymous = (() => class {})();
    expect(keyName(anonymous)).toBe('<anonymous class>');
    expect([isInjectionKey(Repo), isInjectionKey(token('x')), isInjectionKey(null), isInjectionKey('x')]).toEqual([true, true, false, false]);
  });
});

describe('provider validation', () => {
  const owner = { module: 'm', batch: 0 };
  const T = token<unknown>('t');
  it.each([
    [{ useValue: 1 }, "Invalid provider #0 of module 'm': `provide` must be a token from token() or a class"],
    [{ provide: T }, "Invalid provider #0 of module 'm' (t): give exactly one of useValue, useFactory, useClass"],
    [{ provide: T, useValue: 1, useFactory: (): number => 1 }, 'give exactly one of useValue, useFactory, useClass'],
    [{ provide: T, useFactory: 'x' }, 'useFactory must be a function'],
    [{ provide: T, useValue: 1, inject: [T] }, 'useValue takes no inject list'],
    [{ provide: T, useValue: 1, scope: 'request' }, 'a useValue provider is shared, scope request does not apply'],
    [{ provide: T, useFactory: (): number => 1, scope: 'global' }, 'scope "global" is not one of singleton, app, tenant, request, transient'],
    [{ provide: T, useFactory: (): number => 1, priority: Infinity }, 'priority must be a finite number'],
    [{ provide: T, useFactory: (): number => 1, name: '' }, 'name must be a non-empty string'],
    [{ provide: T, useFactory: (): number => 1, inject: 'x' }, '`inject` must be an array'],
    [{ provide: T, useFactory: (): number => 1, inject: [42] }, 'inject[0] is not a token, a class or optional()/named()/all()'],
    [42, "Invalid provider #0 of module 'm': expected an object or a class"],
  ])('rejects %j', (declaration, message) => {
    expect(() => toProviderRecord(declaration as Provider, owner, 0)).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_PROVIDER', message: expect.stringContaining(message) as string }));
  });

  it('rejects a sparse inject list and a scope of any type with the coded error, never a TypeError from describing it', () => {
    const invalid = (declaration: unknown, message: string) =>
      expect(() => toProviderRecord(declaration as Provider, owner, 0)).toThrow(expect.objectContaining({ code: 'CORE_ERR_INVALID_PROVIDER', message: expect.stringContaining(message) as string }));
    // eslint-disable-next-line no-sparse-arrays -- the hole is the case under test
    invalid({ provide: T, useFactory: (): number => 1, inject: [T, , T] }, 'inject[1] is not a token, a class or optional()/named()/all()');
    invalid({ provide: T, useFactory: (): number => 1, scope: 10n }, 'scope 10 is not one of singleton, app, tenant, request, transient');
    invalid({ provide: T, useFactory: (): number => 1, scope: Object.create(null) as unknown }, 'scope a value of type object is not one of');
  });

  it('names app-level providers as such', () => {
    expect(() => toProviderRecord({ provide: T } as Provider, { module: undefined, batch: -1 }, 3)).toThrow('Invalid provider #3 of the application (t)');
  });
});
