import { afterEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from './deadline.ts';

const T = 1_700_000_000_000;
const never = () => new Promise<never>(() => undefined);

describe('Deadlines', () => {
  afterEach(() => vi.useRealTimers());

  it('passes a settled call through unchanged: value or the store error itself', async () => {
    const deadlines = new Deadlines(50);
    await expect(deadlines.race(Promise.resolve('ok'))).resolves.toBe('ok');
    const boom = new Error('boom');
    await expect(deadlines.race(Promise.reject(boom))).rejects.toBe(boom);
  });

  it('times calls out in order with one timer, re-armed for the oldest unsettled call', async () => {
    vi.useFakeTimers({ now: T });
    const deadlines = new Deadlines(50);
    const outcomes: string[] = [];
    const track = (name: string, p: Promise<unknown>) =>
      p.then(
        () => outcomes.push(`${name} ok @${Date.now() - T}`),
        (e: { code: string; message: string }) => outcomes.push(`${name} ${e.code} ${e.message} @${Date.now() - T}`),
      );
    let answerB: (v: string) => void = () => undefined;
    const a = track('a', deadlines.race(never()));
    await vi.advanceTimersByTimeAsync(10);
    const b = track('b', deadlines.race(new Promise<string>((resolve) => (answerB = resolve))));
    await vi.advanceTimersByTimeAsync(20);
    const c = track('c', deadlines.race(never()));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(20); // t = 50: a expires
    answerB('late but in time'); // t = 50: b settles before its deadline (60)
    await vi.advanceTimersByTimeAsync(29); // t = 79: c still pending
    expect(outcomes).toEqual(['a THROTTLE_ERR_STORE_TIMEOUT The rate-limit store did not answer in time: no answer within 50 ms @50', 'b ok @50']);
    await vi.advanceTimersByTimeAsync(1); // t = 80: c expires
    await Promise.all([a, b, c]);
    expect(outcomes[2]).toBe('c THROTTLE_ERR_STORE_TIMEOUT The rate-limit store did not answer in time: no answer within 50 ms @80');
    expect(vi.getTimerCount()).toBe(0);
  });

  // Was: deadlines were read on Date.now(), so a wall-clock step back while a call hung stretched its
  // timeout by the step (2 s here instead of 50 ms), and a step forward expired calls early.
  it('times out on the monotonic clock: a wall-clock step neither stretches nor shortens a deadline', async () => {
    vi.useFakeTimers({ now: T });
    const deadlines = new Deadlines(50);
    const outcomes: string[] = [];
    const track = (name: string, p: Promise<unknown>) => p.catch((e: { code: string }) => outcomes.push(`${name} ${e.code} @${performance.now() - start}`));
    const start = performance.now();
    const back = track('back', deadlines.race(never()));
    await vi.advanceTimersByTimeAsync(10);
    vi.setSystemTime(T - 2_000);
    await vi.advanceTimersByTimeAsync(40);
    await back;
    const forward = track('forward', deadlines.race(never()));
    vi.setSystemTime(T + 3_600_000);
    await vi.advanceTimersByTimeAsync(49);
    expect(outcomes).toEqual(['back THROTTLE_ERR_STORE_TIMEOUT @50']);
    await vi.advanceTimersByTimeAsync(1);
    await forward;
    expect(outcomes).toEqual(['back THROTTLE_ERR_STORE_TIMEOUT @50', 'forward THROTTLE_ERR_STORE_TIMEOUT @100']);
  });

  it('reads the clock it is given', async () => {
    vi.useFakeTimers({ now: T });
    let now = 0;
    const deadlines = new Deadlines(50, { now: () => now });
    const outcomes: string[] = [];
    const pending = deadlines.race(never()).catch((e: { code: string }) => outcomes.push(e.code));
    await vi.advanceTimersByTimeAsync(50); // the injected clock has not moved: not due yet
    expect(outcomes).toEqual([]);
    now = 50;
    await vi.advanceTimersByTimeAsync(50);
    await pending;
    expect(outcomes).toEqual(['THROTTLE_ERR_STORE_TIMEOUT']);
  });

  it('arms its timer unref-ed: a hung store call does not keep the process alive', async () => {
    const deadlines = new Deadlines(5);
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const pending = deadlines.race(never());
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
    await expect(pending).rejects.toMatchObject({ code: 'THROTTLE_ERR_STORE_TIMEOUT' });
  });
});
