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

  it('arms its timer unref-ed: a hung store call does not keep the process alive', async () => {
    const deadlines = new Deadlines(5);
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const pending = deadlines.race(never());
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
    await expect(pending).rejects.toMatchObject({ code: 'THROTTLE_ERR_STORE_TIMEOUT' });
  });
});
