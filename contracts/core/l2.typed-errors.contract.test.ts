// L2 contract of @rampart/core: bad input and failures that used to escape
// without a code now carry one (token names, module lists, module class
// constructors, AppRegistry.stopAll, strict observers on 'registering').
// Locked: these tests are never modified, only added to.
import { describe, expect, it } from 'vitest';
import { AppRegistry, CORE_ERRORS, createApp, defineModule, isRampartError, moduleClass, silentLogger, token } from '@rampart/core';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('@rampart/core L2 typed errors: token names', () => {
  it.each([[''], ['   '], [42], [undefined]])('token(%j) throws CORE_ERR_INVALID_TOKEN, a validation error', (name) => {
    const error = thrown(() => token(name as string));
    expect(isRampartError(error) && [error.code, error.category]).toEqual(['CORE_ERR_INVALID_TOKEN', 'validation']);
    expect(CORE_ERRORS.CORE_ERR_INVALID_TOKEN.category).toBe('validation');
  });
});

describe('@rampart/core L2 typed errors: module declarations', () => {
  it('createApp with modules that are not an array throws CORE_ERR_INVALID_MODULE', () => {
    const error = thrown(() => createApp({ logger: silentLogger, modules: { name: 'db', version: '1.0.0' } as never }));
    expect(isRampartError(error) && error.code).toBe('CORE_ERR_INVALID_MODULE');
  });

  it('a module class whose constructor throws is refused with CORE_ERR_INVALID_MODULE, the throw as cause, and nothing of the batch is registered', () => {
    class Exploding {
      constructor() {
        throw new Error('constructor failed');
      }
    }
    moduleClass(Exploding, { name: 'exploding', version: '1.0.0' });
    const app = createApp({ logger: silentLogger });
    const error = thrown(() => app.register(defineModule({ name: 'fine', version: '1.0.0' }), Exploding));
    expect(isRampartError(error) && error.code).toBe('CORE_ERR_INVALID_MODULE');
    expect((error as Error).cause).toEqual(new Error('constructor failed'));
    expect(app.inspect().modules).toEqual([]);
  });
});

describe('@rampart/core L2 typed errors: AppRegistry.stopAll', () => {
  it('throws CORE_ERR_APPS_STOP_FAILED, a lifecycle error whose cause holds the failure, after stopping every other app', async () => {
    const registry = new AppRegistry();
    const stopped: string[] = [];
    const ok = registry.create({ id: 'stop-all-ok', logger: silentLogger, modules: [defineModule({ name: 'm', version: '1.0.0', stop: () => void stopped.push('ok') })] });
    const bad = registry.create({ id: 'stop-all-bad', logger: silentLogger, modules: [defineModule({ name: 'm', version: '1.0.0', stop: () => Promise.reject(new Error('stuck')) })] });
    await ok.start();
    await bad.start();
    const error: unknown = await registry.stopAll().then(() => undefined, (e: unknown) => e);
    expect(isRampartError(error) && [error.code, error.category]).toEqual(['CORE_ERR_APPS_STOP_FAILED', 'lifecycle']);
    expect(isRampartError((error as Error).cause) && ((error as Error).cause as { code: string }).code).toBe('CORE_ERR_STOP_FAILED');
    expect([stopped, ok.state]).toEqual([['ok'], 'stopped']);
  });
});

describe('@rampart/core L2 typed errors: strict observers and registration', () => {
  it("with strictObservers, an observer failing on 'registering' makes start() reject with CORE_ERR_START_FAILED (cause CORE_ERR_OBSERVER_FAILED) before any module starts", async () => {
    const started: string[] = [];
    const app = createApp({
      logger: silentLogger,
      strictObservers: true,
      observers: [(event) => { if (event.type === 'registering') throw new Error('audit down'); }],
      modules: [defineModule({ name: 'db', version: '1.0.0', start: () => void started.push('db') })],
    });
    const error: unknown = await app.start().then(() => undefined, (e: unknown) => e);
    expect(isRampartError(error) && error.code).toBe('CORE_ERR_START_FAILED');
    expect(((error as Error).cause as { code: string }).code).toBe('CORE_ERR_OBSERVER_FAILED');
    expect([started, app.state]).toEqual([[], 'failed']);
  });
});
