import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { silentLogger } from './logger.ts';
import { token } from './token.ts';

describe('app.inspect() inject lists', () => {
  it('name an injected anonymous class as its own entry does, <anonymous class> (the inject list said "")', async () => {
    const Anonymous = (() => class {})();
    const USER = token<object>('user');
    const app = createApp({
      logger: silentLogger,
      providers: [Anonymous, { provide: USER, inject: [Anonymous], useFactory: () => ({}) }],
    });
    await app.start();
    const services = app.inspect().services.filter((s) => s.module === undefined && s.priority === 0);
    expect(services.map((s) => [s.token, s.inject])).toEqual([
      ['<anonymous class>', []],
      ['user', ['<anonymous class>']],
    ]);
    await app.stop();
  });
});
