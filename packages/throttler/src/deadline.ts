/**
 * Deadlines for in-flight store calls. Every call of one limiter has the same
 * timeout, so deadlines expire in the order they were set: one unref'd timer
 * for the oldest unsettled call serves them all, instead of a timer, a race
 * and a `finally` per call. Deadlines are read on a monotonic clock: on the
 * wall clock a step back would stretch every pending deadline by the step
 * (a hung store call held for seconds) and a step forward would expire them
 * early.
 */
import { ThrottleError } from './errors.ts';

interface Pending {
  readonly deadline: number;
  readonly reject: (error: ThrottleError) => void;
  settled: boolean;
}

/**
 * `clock` is monotonic milliseconds (default `performance`); tests may inject one.
 * @example
 * const deadlines = new Deadlines(1_000);
 * const outcome = await deadlines.race(store.consume(key, policies, 1)); // rejects with THROTTLE_ERR_STORE_TIMEOUT after 1 s
 */
export class Deadlines {
  readonly timeoutMs: number;
  // Oldest first; settled calls stay until the timer passes them (bounded by the calls of one timeout).
  readonly #queue: Pending[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #clock: { now(): number };

  constructor(timeoutMs: number, clock: { now(): number } = performance) {
    this.timeoutMs = timeoutMs;
    this.#clock = clock;
  }

  /** Settles like `promise`, or rejects with `THROTTLE_ERR_STORE_TIMEOUT` once `timeoutMs` have passed. */
  race<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = { deadline: this.#clock.now() + this.timeoutMs, reject, settled: false };
      this.#queue.push(pending);
      if (this.#timer === undefined) this.#arm(this.timeoutMs);
      promise.then(
        (value) => {
          pending.settled = true;
          resolve(value);
        },
        (error: unknown) => {
          pending.settled = true;
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes the store's own rejection on unchanged
          reject(error);
        },
      );
    });
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#expire(), ms);
    // a pending store call must not keep the process alive on its own
    this.#timer.unref();
  }

  #expire(): void {
    this.#timer = undefined;
    const now = this.#clock.now();
    let passed = 0;
    for (const pending of this.#queue) {
      if (!pending.settled && pending.deadline > now) break;
      if (!pending.settled) pending.reject(new ThrottleError('THROTTLE_ERR_STORE_TIMEOUT', `no answer within ${this.timeoutMs} ms`));
      passed += 1;
    }
    this.#queue.splice(0, passed);
    const next = this.#queue[0];
    if (next !== undefined) this.#arm(next.deadline - now);
  }
}
