/**
 * Lifecycle events and their delivery to observers (FR-011, FR-012, FR-043).
 * Each observer receives every event in emission order through its own queue;
 * a throwing or hanging observer is logged and skipped after a timeout, so it
 * never breaks or stalls the lifecycle, unless the app runs strict observers.
 * An observer whose call timed out is stalled until that call settles: events
 * meanwhile are skipped for it (and counted in one warning), not queued behind
 * it, so a hung observer costs one timeout, not one per event.
 */
import { channel } from 'node:diagnostics_channel';
import { coreError } from './errors.ts';
import type { Logger } from './logger.ts';
import { thrownMessage } from './suggest.ts';

export type LifecycleEventType = 'registering' | 'starting' | 'started' | 'stopping' | 'stopped' | 'error';

export interface LifecycleEvent {
  readonly type: LifecycleEventType;
  /** Id of the application that emitted it. */
  readonly app: string;
  /** Module name; `undefined` for the application as a whole. */
  readonly module: string | undefined;
  /** ms epoch, from the app's clock. */
  readonly time: number;
  /** 1, 2, 3… per application: the delivery order. */
  readonly seq: number;
  /** For `started`/`stopped`: how long the hooks took, in ms. */
  readonly durationMs?: number;
  /** For `error`: what failed (code, name, message; never a stack). */
  readonly error?: { readonly code: string | undefined; readonly name: string; readonly message: string };
}

export interface ObserverObject {
  /** Shown in warnings when this observer fails. */
  readonly name?: string;
  onEvent(event: LifecycleEvent): void | Promise<void>;
}

/** A function or an object with `onEvent`. */
export type Observer = ((event: LifecycleEvent) => void | Promise<void>) | ObserverObject;

/** Every event of every app is also published here (`node:diagnostics_channel`). */
export const LIFECYCLE_CHANNEL = 'rampart:core.lifecycle';
const lifecycleChannel = channel(LIFECYCLE_CHANNEL);

export interface EventBusOptions {
  /** Per-delivery limit before an observer is skipped; default 1000 ms. */
  timeoutMs?: number;
  /** A failing or slow observer fails the lifecycle step (CORE_ERR_OBSERVER_FAILED). */
  strict?: boolean;
  logger: Logger;
}

interface Entry {
  readonly observer: Observer;
  readonly label: string;
  tail: Promise<void>;
  /** A call of this observer timed out and has not settled yet. */
  stalled: boolean;
  /** Events skipped while stalled and not yet reported, with the first and last seq. */
  skipped: number;
  firstSkipped: number;
  lastSkipped: number;
  /** Deliveries queued and not begun yet, and the seq of the last one queued. */
  queued: number;
  lastQueued: number;
  /** Queued deliveries up to this seq are dropped: stop() gave up waiting for them (see drainWithinTimeout). */
  dropThrough: number;
}

/** The observer's call as a promise; a microtask hop makes a synchronous throw a rejection like an async one. */
function call(observer: Observer, event: LifecycleEvent): Promise<unknown> {
  return Promise.resolve().then(() => (typeof observer === 'function' ? observer(event) : observer.onEvent(event)));
}

/** The timeout of one delivery: the only failure that stalls an observer. */
class ObserverTimeout extends Error {}

export class EventBus {
  readonly #entries: Entry[] = [];
  /** Observers subscribed so far: numbers unnamed ones, never reused (by position, two could share a label after an unsubscribe). */
  #subscribed = 0;
  readonly #timeoutMs: number;
  readonly #strict: boolean;
  readonly #logger: Logger;

  constructor(options: EventBusOptions) {
    this.#timeoutMs = options.timeoutMs ?? 1000;
    this.#strict = options.strict ?? false;
    this.#logger = options.logger;
  }

  /** Adds an observer; returns the function that removes it. */
  subscribe(observer: Observer): () => void {
    this.#subscribed += 1;
    const fallback = `observer#${String(this.#subscribed)}`;
    const label = typeof observer === 'function' ? observer.name || fallback : (observer.name ?? fallback);
    const entry: Entry = { observer, label, tail: Promise.resolve(), stalled: false, skipped: 0, firstSkipped: 0, lastSkipped: 0, queued: 0, lastQueued: 0, dropThrough: 0 };
    this.#entries.push(entry);
    return () => {
      const at = this.#entries.indexOf(entry);
      if (at >= 0) this.#entries.splice(at, 1);
    };
  }

  /** Delivers `event`; awaits observers only in strict mode. */
  async emit(event: LifecycleEvent): Promise<void> {
    if (lifecycleChannel.hasSubscribers) lifecycleChannel.publish(event);
    if (this.#strict) {
      // Every observer gets the event, even after one failed on it: stopping at the
      // first failure left the later observers without it. The first failure is thrown.
      let failure: { error: unknown } | undefined;
      for (const entry of [...this.#entries]) {
        // Through the observer's queue like a non-strict delivery: 'registering' is
        // emitted without being awaited, and the next event must not overtake it.
        const delivery = entry.tail.then(() => this.#deliverStrict(entry, event));
        entry.tail = delivery.catch(() => undefined);
        try {
          await delivery;
        } catch (error) {
          if (failure === undefined) failure = { error };
          else this.#logger.warn({ event: event.type, seq: event.seq, err: error }, 'another strict lifecycle observer failed on the same event');
        }
      }
      if (failure !== undefined) throw failure.error;
      return;
    }
    for (const entry of this.#entries) {
      entry.queued += 1;
      entry.lastQueued = event.seq;
      entry.tail = entry.tail.then(() => this.#deliver(entry, event));
    }
  }

  /**
   * Resolves once every queued delivery has finished, timed out or been
   * skipped; then reports the events skipped for observers still stalled.
   */
  async drain(): Promise<void> {
    const entries = [...this.#entries];
    await Promise.all(entries.map((e) => e.tail));
    for (const entry of entries) this.#reportSkipped(entry, 'it is still pending');
  }

  /**
   * drain() for app.stop(), which waits at most one timeout in all. A stalled
   * observer costs one timeout, but one that settles each call just under it
   * is never stalled, and its backlog (5 events a module) held stop() for a
   * timeout per event. What is still queued for an observer when the time is
   * up is dropped, with one warning saying how many; the call in progress
   * keeps its own timeout.
   */
  async drainWithinTimeout(): Promise<void> {
    const entries = [...this.#entries];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.#timeoutMs);
    });
    const overdue = await Promise.race([Promise.all(entries.map((e) => e.tail)).then(() => false), late]);
    clearTimeout(timer);
    if (overdue) for (const entry of entries) this.#drop(entry);
    for (const entry of entries) this.#reportSkipped(entry, 'it is still pending');
  }

  #drop(entry: Entry): void {
    if (entry.queued === 0) return;
    entry.dropThrough = entry.lastQueued;
    this.#logger.warn(
      { observer: entry.label, dropped: entry.queued, lastSeq: entry.lastQueued },
      `lifecycle observer '${entry.label}' was still busy when app.stop() stopped waiting for it (one observer timeout); ${String(entry.queued)} queued event(s) dropped`,
    );
  }

  async #deliver(entry: Entry, event: LifecycleEvent): Promise<void> {
    entry.queued -= 1;
    // Already reported as dropped (see #drop).
    if (event.seq <= entry.dropThrough) return;
    if (entry.stalled) {
      // Queued behind the hung call, every event would wait out its own timeout:
      // 5 events a module x 1000 ms, added to app.stop() for each module.
      if (entry.skipped === 0) entry.firstSkipped = event.seq;
      entry.skipped += 1;
      entry.lastSkipped = event.seq;
      return;
    }
    const pending = call(entry.observer, event);
    try {
      await this.#bounded(pending);
    } catch (error) {
      this.#logger.warn({ observer: entry.label, event: event.type, seq: event.seq, err: error }, 'lifecycle observer failed; event skipped for this observer');
      if (error instanceof ObserverTimeout) this.#stall(entry, pending);
    }
  }

  #stall(entry: Entry, pending: Promise<unknown>): void {
    entry.stalled = true;
    const recover = (): void => {
      entry.stalled = false;
      this.#reportSkipped(entry, 'it has settled since, delivery resumes');
    };
    // Its outcome was already given up on (and logged) at the timeout; only the settling matters here.
    pending.then(recover, recover);
  }

  /** One warning for the events skipped since the last report, if any. */
  #reportSkipped(entry: Entry, state: 'it has settled since, delivery resumes' | 'it is still pending'): void {
    if (entry.skipped === 0) return;
    const count = entry.skipped;
    entry.skipped = 0;
    this.#logger.warn(
      { observer: entry.label, skipped: count, firstSeq: entry.firstSkipped, lastSeq: entry.lastSkipped },
      `lifecycle observer '${entry.label}' missed ${String(count)} event(s), skipped while a call that timed out was pending; ${state}`,
    );
  }

  async #deliverStrict(entry: Entry, event: LifecycleEvent): Promise<void> {
    try {
      await this.#bounded(call(entry.observer, event));
    } catch (error) {
      throw coreError('CORE_ERR_OBSERVER_FAILED', `Observer '${entry.label}' failed on '${event.type}' event #${String(event.seq)} (strict observers)`, {
        cause: error,
        details: { observer: entry.label, event: event.type, module: event.module },
      });
    }
  }

  /** `pending`, rejected with an ObserverTimeout when it does not settle within the timeout. */
  #bounded(pending: Promise<unknown>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ObserverTimeout(`observer did not settle within ${String(this.#timeoutMs)} ms`)), this.#timeoutMs);
      // Not unref()'d: a strict start or a stop awaiting a hung observer must end, and the timer is cleared as soon as the call settles.
      pending.then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (error: unknown) => {
          clearTimeout(timer);
          // thrownMessage() cannot throw: a String() that threw here left this promise pending for good.
          reject(error instanceof Error ? error : new Error(thrownMessage(error)));
        },
      );
    });
  }
}
