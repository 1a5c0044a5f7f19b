/**
 * Lifecycle events and their delivery to observers (FR-011, FR-012, FR-043).
 * Each observer receives every event in emission order through its own queue;
 * a throwing or hanging observer is logged and skipped after a timeout, so it
 * never breaks or stalls the lifecycle, unless the app runs strict observers.
 */
import { channel } from 'node:diagnostics_channel';
import { coreError } from './errors.ts';
import type { Logger } from './logger.ts';

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
}

function call(observer: Observer, event: LifecycleEvent): void | Promise<void> {
  return typeof observer === 'function' ? observer(event) : observer.onEvent(event);
}

export class EventBus {
  readonly #entries: Entry[] = [];
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
    const label = typeof observer === 'function' ? observer.name || `observer#${String(this.#entries.length + 1)}` : (observer.name ?? `observer#${String(this.#entries.length + 1)}`);
    const entry: Entry = { observer, label, tail: Promise.resolve() };
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
      for (const entry of [...this.#entries]) await this.#deliverStrict(entry, event);
      return;
    }
    for (const entry of this.#entries) {
      entry.tail = entry.tail.then(() => this.#deliver(entry, event));
    }
  }

  /** Resolves once every queued delivery has finished or timed out. */
  async drain(): Promise<void> {
    await Promise.all(this.#entries.map((e) => e.tail));
  }

  async #deliver(entry: Entry, event: LifecycleEvent): Promise<void> {
    try {
      await this.#bounded(entry, event);
    } catch (error) {
      this.#logger.warn({ observer: entry.label, event: event.type, seq: event.seq, err: error }, 'lifecycle observer failed; event skipped for this observer');
    }
  }

  async #deliverStrict(entry: Entry, event: LifecycleEvent): Promise<void> {
    try {
      await this.#bounded(entry, event);
    } catch (error) {
      throw coreError('CORE_ERR_OBSERVER_FAILED', `Observer '${entry.label}' failed on '${event.type}' event #${String(event.seq)} (strict observers)`, {
        cause: error,
        details: { observer: entry.label, event: event.type, module: event.module },
      });
    }
  }

  #bounded(entry: Entry, event: LifecycleEvent): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`observer did not settle within ${String(this.#timeoutMs)} ms`)), this.#timeoutMs);
      timer.unref();
      // A microtask hop: a synchronous throw becomes a rejection like an async one.
      Promise.resolve()
        .then(() => call(entry.observer, event))
        .then(
          () => {
            clearTimeout(timer);
            resolve();
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
    });
  }
}
