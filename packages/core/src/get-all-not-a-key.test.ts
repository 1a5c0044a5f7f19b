/**
 * app.getAll(undefined) (a token read during a circular import) answered []
 * while app.get(undefined) threw a typed error: the mistake went unnoticed.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { silentLogger } from './logger.ts';
import type { ModuleContext } from './module.ts';
import { token } from './token.ts';

const NOT_A_KEY =
  'which is not a token or a class. A token that is undefined where it is used was usually read during a circular import, before the module declaring it finished loading: move it to a module outside the cycle.';

describe('getAll() of a value that is not an injection key', () => {
  it('throws CORE_ERR_MISSING_PROVIDER as get() does, from the app and from a module context', async () => {
    let context: ModuleContext | undefined;
    const app = createApp({ logger: silentLogger, modules: [{ name: 'm', version: '1.0.0', start: (ctx) => void (context = ctx) }] });
    await app.start();
    expect(() => app.getAll(undefined as never)).toThrow(
      expect.objectContaining({ code: 'CORE_ERR_MISSING_PROVIDER', message: `app.getAll() asked for undefined, ${NOT_A_KEY}`, details: { token: 'undefined', requester: 'app.getAll()', suggestions: [] } }),
    );
    expect(() => app.getAll(null as never)).toThrow(expect.objectContaining({ code: 'CORE_ERR_MISSING_PROVIDER', details: { token: 'null', requester: 'app.getAll()', suggestions: [] } }));
    expect(() => context?.getAll(undefined as never)).toThrow(
      expect.objectContaining({ code: 'CORE_ERR_MISSING_PROVIDER', message: `module 'm' asked for undefined, ${NOT_A_KEY}` }),
    );
    // A key that nothing provides is still an empty list, and tryGet(undefined) still answers undefined.
    expect([app.getAll(token('none')), app.tryGet(undefined as never)]).toEqual([[], undefined]);
    await app.stop();
  });
});
