import { afterEach, describe, expect, it, vi } from 'vitest';
import { handleShutdownSignals } from './shutdown-signals.ts';

// SIGUSR2 has no default listener in a test worker, so emitting it reaches only ours.
const SIGNAL = 'SIGUSR2';

function stoppable(outcome: 'ok' | Error = 'ok') {
  const app = { stops: 0, stop: () => ((app.stops += 1), outcome === 'ok' ? Promise.resolve() : Promise.reject(outcome)) };
  return app;
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('handleShutdownSignals', () => {
  it('listens to SIGTERM and SIGINT by default, and the returned function removes both', () => {
    const term = process.listenerCount('SIGTERM');
    const int = process.listenerCount('SIGINT');
    const remove = handleShutdownSignals(stoppable());
    expect([process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')]).toEqual([term + 1, int + 1]);
    remove();
    expect([process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')]).toEqual([term, int]);
  });

  it('stops once, removes its listeners at the first signal, ignores a second one, then calls onStopped', async () => {
    const app = stoppable();
    const onStopped = vi.fn();
    const before = process.listenerCount(SIGNAL);
    handleShutdownSignals(app, { signals: [SIGNAL], onStopped });
    const handler = process.listeners(SIGNAL).at(-1) as () => void;
    handler();
    expect(process.listenerCount(SIGNAL)).toBe(before);
    handler();
    await vi.waitFor(() => expect(onStopped).toHaveBeenCalledTimes(1));
    expect(app.stops).toBe(1);
    expect(process.exitCode).toBeUndefined();
  });

  it('a failing stop sets process.exitCode to 1 by default, or goes to onError', async () => {
    handleShutdownSignals(stoppable(new Error('stuck')), { signals: [SIGNAL] });
    process.emit(SIGNAL);
    await vi.waitFor(() => expect(process.exitCode).toBe(1));
    process.exitCode = undefined;
    const onError = vi.fn();
    const failure = new Error('db');
    handleShutdownSignals(stoppable(failure), { signals: [SIGNAL], onError });
    process.emit(SIGNAL);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(failure));
    expect(process.exitCode).toBeUndefined();
  });
});
