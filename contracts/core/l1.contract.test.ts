// L1 contract of @rampart/core: the zero-configuration use a newcomer copies
// from the README. Locked: these tests are never modified, only added to.
import { describe, expect, it } from 'vitest';
import { createApp, defineModule, isRampartError, silentLogger, token } from '@rampart/core';
import type { LifecycleEvent, ModuleContext } from '@rampart/core';

interface Db {
  query(sql: string): string;
}
const DB = token<Db>('db');
const USERS = token<{ list(): string }>('users');

function modules(calls: string[]) {
  const db = defineModule({
    name: 'db',
    version: '1.0.0',
    providers: [{ provide: DB, useValue: { query: (sql: string) => `rows for ${sql}` } }],
    start: () => void calls.push('start db'),
    stop: () => void calls.push('stop db'),
  });
  const users = defineModule({
    name: 'users',
    version: '1.0.0',
    requires: ['db'],
    providers: [{ provide: USERS, inject: [DB], useFactory: (d: Db) => ({ list: () => d.query('users') }) }],
    start: (ctx: ModuleContext) => void calls.push(`start users: ${ctx.get(USERS).list()}`),
    stop: () => void calls.push('stop users'),
  });
  return [users, db];
}

describe('@rampart/core L1: compose, start, resolve, stop', () => {
  it('starts modules in dependency order, resolves typed services, stops in reverse', async () => {
    const calls: string[] = [];
    const app = createApp({ logger: silentLogger, modules: modules(calls) });
    await app.start();
    expect(app.state).toBe('started');
    expect(app.get(USERS).list()).toBe('rows for users');
    expect(app.get(DB)).toBe(app.get(DB));
    await app.stop();
    expect(calls).toEqual(['start db', 'start users: rows for users', 'stop users', 'stop db']);
    expect(app.state).toBe('stopped');
  });

  it('refuses a second start with a typed error', async () => {
    const app = createApp({ logger: silentLogger, modules: modules([]) });
    await app.start();
    const error: unknown = await app.start().catch((e: unknown) => e);
    expect(isRampartError(error) && error.code).toBe('CORE_ERR_INVALID_STATE');
    await app.stop();
  });

  it('reports a circular dependency with the full chain before starting anything', async () => {
    const started: string[] = [];
    const mod = (name: string, requires: string[]) => defineModule({ name, version: '1.0.0', requires, start: () => void started.push(name) });
    const app = createApp({ logger: silentLogger, modules: [mod('a', ['b']), mod('b', ['c']), mod('c', ['a'])] });
    const error: unknown = await app.start().catch((e: unknown) => e);
    expect(isRampartError(error) && [error.code, error.message]).toEqual(['CORE_ERR_CYCLE', 'Circular module dependency: a → b → c → a']);
    expect(started).toEqual([]);
  });

  it('rolls back started modules when one fails to start', async () => {
    const calls: string[] = [];
    const failing = defineModule({ name: 'http', version: '1.0.0', requires: ['users'], start: () => Promise.reject(new Error('port in use')) });
    const app = createApp({ logger: silentLogger, modules: [...modules(calls), failing] });
    const error: unknown = await app.start().catch((e: unknown) => e);
    expect(isRampartError(error) && error.code).toBe('CORE_ERR_START_FAILED');
    expect(calls).toEqual(['start db', 'start users: rows for users', 'stop users', 'stop db']);
  });

  it('says who asked for a missing service and suggests close names', async () => {
    const app = createApp({ logger: silentLogger, modules: modules([]) });
    await app.start();
    expect(() => app.get('userz')).toThrow("app.get() asked for 'userz', which no module provides. Did you mean 'users'?");
    await app.stop();
  });

  it('emits lifecycle events to observers in order', async () => {
    const events: LifecycleEvent[] = [];
    const app = createApp({ logger: silentLogger, modules: modules([]), observers: [(e) => void events.push(e)] });
    await app.start();
    await app.stop();
    expect(events.map((e) => `${e.type}:${String(e.module)}`)).toEqual([
      'registering:users',
      'registering:db',
      'starting:db',
      'started:db',
      'starting:users',
      'started:users',
      'stopping:users',
      'stopped:users',
      'stopping:db',
      'stopped:db',
    ]);
  });

  it('reports aggregate health', async () => {
    const app = createApp({ logger: silentLogger, modules: [defineModule({ name: 'db', version: '1.0.0', health: () => ({ status: 'degraded', message: 'slow' }) })] });
    await app.start();
    const health = await app.health();
    expect([health.status, health.ready, health.modules['db']?.message]).toEqual(['degraded', true, 'slow']);
    await app.stop();
  });
});
