/**
 * A request's slot is claimed (BUILDING) before its factory runs, which is how a
 * factory resolving its own service in the same request is caught. A factory
 * that throws must leave no claim behind, in the inline first slot as in the
 * Map of the others, or the next lookup in that request would read as a cycle.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { silentLogger } from './logger.ts';
import { token } from './token.ts';

describe('request-scoped slots', () => {
  it('a factory that threw is built again on the next lookup in the same request (first slot and later slots)', async () => {
    const FIRST = token<{ n: number }>('first');
    const LATER = token<{ n: number }>('later');
    let firstCalls = 0;
    let laterCalls = 0;
    const app = createApp({
      logger: silentLogger,
      providers: [
        { provide: FIRST, scope: 'request', useFactory: () => { firstCalls += 1; if (firstCalls === 1) throw new Error('db not ready'); return { n: firstCalls }; } },
        { provide: LATER, scope: 'request', useFactory: () => { laterCalls += 1; if (laterCalls === 1) throw new Error('cache not ready'); return { n: laterCalls }; } },
      ],
    });
    await app.start();
    const failed = expect.objectContaining({ code: 'CORE_ERR_PROVIDER_FAILED' });
    const seen = app.runInRequestScope(() => {
      expect(() => app.get(FIRST)).toThrow(failed);
      const first = app.get(FIRST);
      expect(() => app.get(LATER)).toThrow(failed);
      const later = app.get(LATER);
      return { first, later, again: [app.get(FIRST), app.get(LATER)] };
    });
    expect(seen).toEqual({ first: { n: 2 }, later: { n: 2 }, again: [{ n: 2 }, { n: 2 }] });
    expect(seen.again[0]).toBe(seen.first);
    expect(seen.again[1]).toBe(seen.later);
    await app.stop();
  });

  it('a factory that resolves its own service in the same request is a cycle, also from a later slot', async () => {
    const OTHER = token<{ ok: true }>('other');
    const SELF = token<{ self: unknown }>('self');
    const app = createApp({
      logger: silentLogger,
      providers: [
        { provide: OTHER, scope: 'request', useFactory: () => ({ ok: true as const }) },
        { provide: SELF, scope: 'request', useFactory: () => ({ self: app.get(SELF) }) },
      ],
    });
    await app.start();
    app.runInRequestScope(() => {
      app.get(OTHER); // takes the first slot: SELF is claimed in the Map
      expect(() => app.get(SELF)).toThrow(expect.objectContaining({ cause: expect.objectContaining({ code: 'CORE_ERR_PROVIDER_CYCLE' }) }));
    });
    await app.stop();
  });
});
