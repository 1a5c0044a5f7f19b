import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { silentLogger } from './logger.ts';
import { token } from './token.ts';

describe('disposal of an instance whose dispose lookup throws', () => {
  it('logs it and goes on: the others are disposed and stop() ends stopped (it rejected, stuck in stopping)', async () => {
    const disposed: string[] = [];
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (_obj: object | string, msg?: string) => void errors.push(msg ?? ''), child: () => logger };
    const A = token<object>('a');
    const B = token<object>('b');
    const app = createApp({
      logger,
      providers: [
        { provide: A, useFactory: () => ({ [Symbol.dispose]: () => void disposed.push('a') }) },
        // A strict proxy (some mocks and ORM clients) throws on any unknown property, Symbol.asyncDispose included.
        { provide: B, inject: [A], useFactory: () => new Proxy({}, { get: () => { throw new Error('no such property'); } }) },
      ],
    });
    await app.start();
    app.get(B);
    await app.stop();
    expect(app.state).toBe('stopped');
    expect(disposed).toEqual(['a']);
    expect(errors).toEqual(['service disposal failed']);
  });

  it('does not call the then() of a thenable service (a lazy query): stop() hung when it never called back', async () => {
    const calls: string[] = [];
    const QUERY = token<object>('query');
    const app = createApp({
      logger: silentLogger,
      providers: [
        {
          provide: QUERY,
          useFactory: () => ({
            then: () => void calls.push('then'),
            [Symbol.dispose]: () => void calls.push('dispose'),
          }),
        },
      ],
    });
    await app.start();
    app.get(QUERY);
    await app.stop();
    expect(app.state).toBe('stopped');
    expect(calls).toEqual(['dispose']);
  });
});
