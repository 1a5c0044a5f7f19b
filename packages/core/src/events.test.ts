import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from './events.ts';
import type { LifecycleEvent, LifecycleEventType } from './events.ts';
import { silentLogger } from './logger.ts';

const TIMEOUT = 1000;

function setup(strict = false) {
  const warnings: { obj: unknown; msg: string | undefined }[] = [];
  const logger = { ...silentLogger, warn: (obj: unknown, msg?: string) => void warnings.push({ obj, msg }), child: () => logger };
  const bus = new EventBus({ timeoutMs: TIMEOUT, strict, logger });
  let seq = 0;
  const event = (type: LifecycleEventType = 'started'): LifecycleEvent => Object.freeze({ type, app: 'a', module: 'm', time: 0, seq: (seq += 1) });
  return { bus, warnings, event };
}

/** Tracks whether a promise has settled, without awaiting it. */
function watch(promise: Promise<unknown>) {
  const state = { settled: false };
  void promise.then(() => (state.settled = true));
  return state;
}

const timedOut = (observer: string, seq: number) => ({
  obj: { observer, event: 'started', seq, err: expect.objectContaining({ message: `observer did not settle within ${String(TIMEOUT)} ms` }) },
  msg: 'lifecycle observer failed; event skipped for this observer',
});

describe('EventBus with a hung observer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('skips the events that arrive while a call that timed out is pending: drain waits one timeout, not one per event', async () => {
    const { bus, warnings, event } = setup();
    const calls: number[] = [];
    bus.subscribe({ name: 'hanger', onEvent: (e) => (calls.push(e.seq), new Promise(() => undefined)) });
    for (let i = 0; i < 10; i += 1) await bus.emit(event());
    const drained = watch(bus.drain());
    await vi.advanceTimersByTimeAsync(TIMEOUT - 1);
    expect(drained.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(drained.settled).toBe(true);
    expect(calls).toEqual([1]);
    expect(warnings).toEqual([
      timedOut('hanger', 1),
      { obj: { observer: 'hanger', skipped: 9, firstSeq: 2, lastSeq: 10 }, msg: "lifecycle observer 'hanger' missed 9 event(s), skipped while a call that timed out was pending; it is still pending" },
    ]);
  });

  it('drains two hung observers in one timeout (in parallel) and keeps a healthy one beside them in order', async () => {
    const { bus, warnings, event } = setup();
    const seen: number[] = [];
    bus.subscribe({ name: 'one', onEvent: () => new Promise(() => undefined) });
    bus.subscribe({ name: 'two', onEvent: () => new Promise(() => undefined) });
    bus.subscribe((e) => void seen.push(e.seq));
    for (let i = 0; i < 5; i += 1) await bus.emit(event());
    const drained = watch(bus.drain());
    await vi.advanceTimersByTimeAsync(TIMEOUT);
    expect(drained.settled).toBe(true);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(warnings.map((w) => w.obj)).toEqual([
      timedOut('one', 1).obj,
      timedOut('two', 1).obj,
      { observer: 'one', skipped: 4, firstSeq: 2, lastSeq: 5 },
      { observer: 'two', skipped: 4, firstSeq: 2, lastSeq: 5 },
    ]);
  });

  it('delivers again, in order, once the hung call settles, and reports the skipped events then (once)', async () => {
    const { bus, warnings, event } = setup();
    const seen: number[] = [];
    let release: (() => void) | undefined;
    bus.subscribe({
      name: 'slow',
      onEvent: (e) => {
        seen.push(e.seq);
        if (e.seq === 1) return new Promise<void>((resolve) => (release = resolve));
        return undefined;
      },
    });
    await bus.emit(event());
    await bus.emit(event());
    await vi.advanceTimersByTimeAsync(TIMEOUT);
    await bus.emit(event());
    await bus.drain();
    expect(seen).toEqual([1]);
    expect(warnings).toHaveLength(2);
    (release as () => void)();
    await vi.advanceTimersByTimeAsync(0);
    await bus.emit(event());
    await bus.emit(event());
    await bus.drain();
    expect(seen).toEqual([1, 4, 5]);
    // The drain before the release reported seq 2-3; nothing was skipped since, so the release adds no warning.
    expect(warnings).toEqual([
      timedOut('slow', 1),
      { obj: { observer: 'slow', skipped: 2, firstSeq: 2, lastSeq: 3 }, msg: "lifecycle observer 'slow' missed 2 event(s), skipped while a call that timed out was pending; it is still pending" },
    ]);
  });

  it('reports the events skipped while hung when the call settles, also when it settles by rejecting', async () => {
    const { bus, warnings, event } = setup();
    const seen: number[] = [];
    let fail: ((error: Error) => void) | undefined;
    bus.subscribe({
      name: 'late',
      onEvent: (e) => {
        seen.push(e.seq);
        if (e.seq === 1) return new Promise<void>((_, reject) => (fail = reject));
        return undefined;
      },
    });
    await bus.emit(event());
    await vi.advanceTimersByTimeAsync(TIMEOUT);
    await bus.emit(event());
    await bus.emit(event());
    await vi.advanceTimersByTimeAsync(0);
    (fail as (error: Error) => void)(new Error('late failure'));
    await vi.advanceTimersByTimeAsync(0);
    await bus.emit(event());
    await bus.drain();
    expect(seen).toEqual([1, 4]);
    expect(warnings).toEqual([
      timedOut('late', 1),
      { obj: { observer: 'late', skipped: 2, firstSeq: 2, lastSeq: 3 }, msg: "lifecycle observer 'late' missed 2 event(s), skipped while a call that timed out was pending; it has settled since, delivery resumes" },
    ]);
  });

  it('does not stall an observer that throws: it gets every event, each failure logged', async () => {
    const { bus, warnings, event } = setup();
    const seen: number[] = [];
    bus.subscribe({ name: 'thrower', onEvent: (e) => { seen.push(e.seq); throw new Error('bug'); } });
    for (let i = 0; i < 3; i += 1) await bus.emit(event());
    await bus.drain();
    expect(seen).toEqual([1, 2, 3]);
    expect(warnings.map((w) => (w.obj as { seq: number }).seq)).toEqual([1, 2, 3]);
  });

  it('strict observers are not stalled: every event awaits the observer and a timeout fails it with CORE_ERR_OBSERVER_FAILED', async () => {
    const { bus, warnings, event } = setup(true);
    const calls: number[] = [];
    bus.subscribe({ name: 'hanger', onEvent: (e) => (calls.push(e.seq), new Promise(() => undefined)) });
    for (const seq of [1, 2]) {
      const failed = bus.emit(event()).then(
        () => undefined,
        (error: unknown) => error,
      );
      await vi.advanceTimersByTimeAsync(TIMEOUT);
      expect(await failed).toMatchObject({ code: 'CORE_ERR_OBSERVER_FAILED', message: `Observer 'hanger' failed on 'started' event #${String(seq)} (strict observers)` });
    }
    expect(calls).toEqual([1, 2]);
    expect(warnings).toEqual([]);
  });
});

describe('EventBus.drainWithinTimeout (what app.stop() waits for)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits at most one timeout for an observer that settles each call just under it, then drops its backlog with one warning', async () => {
    // Before the fix: such an observer is never stalled, and stop() waited for its whole backlog (here 10 x 900 ms).
    const { bus, warnings, event } = setup();
    const calls: number[] = [];
    bus.subscribe({ name: 'slow', onEvent: (e) => (calls.push(e.seq), new Promise<void>((resolve) => setTimeout(resolve, TIMEOUT - 100))) });
    // Done with its deliveries when the time is up: nothing of its is dropped, so no warning.
    bus.subscribe({ name: 'quick', onEvent: () => undefined });
    for (let i = 0; i < 10; i += 1) await bus.emit(event());
    const drained = watch(bus.drainWithinTimeout());
    await vi.advanceTimersByTimeAsync(TIMEOUT - 1);
    expect(drained.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(drained.settled).toBe(true);
    // Call 1 ended at 900 ms; call 2 is in progress and keeps its own timeout; 3-10 are dropped.
    expect(calls).toEqual([1, 2]);
    const dropped = {
      obj: { observer: 'slow', dropped: 8, lastSeq: 10 },
      msg: "lifecycle observer 'slow' was still busy when app.stop() stopped waiting for it (one observer timeout); 8 queued event(s) dropped",
    };
    expect(warnings).toEqual([dropped]);
    await vi.advanceTimersByTimeAsync(10 * TIMEOUT);
    expect(calls).toEqual([1, 2]);
    // Events emitted after the drop are delivered again.
    await bus.emit(event());
    await vi.advanceTimersByTimeAsync(TIMEOUT);
    expect(calls).toEqual([1, 2, 11]);
    expect(warnings).toEqual([dropped]);
  });

  it('resolves as soon as every delivery finished, dropping nothing, and reports skipped events like drain()', async () => {
    const { bus, warnings, event } = setup();
    const seen: number[] = [];
    bus.subscribe({ name: 'quick', onEvent: (e) => void seen.push(e.seq) });
    bus.subscribe({ name: 'hanger', onEvent: () => new Promise(() => undefined) });
    for (let i = 0; i < 3; i += 1) await bus.emit(event());
    await vi.advanceTimersByTimeAsync(TIMEOUT);
    const drained = watch(bus.drainWithinTimeout());
    await vi.advanceTimersByTimeAsync(0);
    expect(drained.settled).toBe(true);
    expect(seen).toEqual([1, 2, 3]);
    expect(warnings.map((w) => w.obj)).toEqual([timedOut('hanger', 1).obj, { observer: 'hanger', skipped: 2, firstSeq: 2, lastSeq: 3 }]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

/** A value String() throws on: an object without a prototype (typed unknown: it is thrown on purpose). */
const noPrototype = (): unknown => Object.create(null);

describe('EventBus with a thrown value String() cannot convert', () => {
  it('logs and skips a non-strict observer that rejects with a null-prototype object, and drain() resolves', async () => {
    // Before the fix: String(value) threw inside the timeout wrapper, which never settled (stop() hung, unhandledRejection).
    const { bus, warnings, event } = setup();
    bus.subscribe({ name: 'weird', onEvent: () => Promise.resolve().then(() => { throw noPrototype(); }) });
    await bus.emit(event());
    await bus.drain();
    expect(warnings).toEqual([
      { obj: { observer: 'weird', event: 'started', seq: 1, err: new Error('a value of type object') }, msg: 'lifecycle observer failed; event skipped for this observer' },
    ]);
  });

  it('fails a strict delivery with CORE_ERR_OBSERVER_FAILED whose cause describes the value', async () => {
    const { bus, event } = setup(true);
    bus.subscribe({ name: 'weird', onEvent: () => { throw noPrototype(); } });
    const error: unknown = await bus.emit(event()).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'CORE_ERR_OBSERVER_FAILED', cause: new Error('a value of type object') });
  });
});

describe('EventBus labels of unnamed observers', () => {
  it('never gives two observers the same label, also after an unsubscribe', async () => {
    const { bus, warnings, event } = setup();
    const fail = { onEvent: () => { throw new Error('boom'); } };
    const first = bus.subscribe({ ...fail });
    bus.subscribe({ ...fail });
    first();
    bus.subscribe({ ...fail });
    await bus.emit(event());
    await bus.drain();
    // By position, the third would have been observer#2 again, like the second.
    expect(warnings.map((w) => (w.obj as { observer: string }).observer)).toEqual(['observer#2', 'observer#3']);
  });
});
