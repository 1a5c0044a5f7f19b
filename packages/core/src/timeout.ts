/**
 * A promise with a time limit. The work itself cannot be cancelled: it keeps
 * running, and the caller decides what its late outcome means.
 */

/** What {@link settleWithin} resolves to when the limit passed before the work settled. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * `work`'s value, or {@link TIMED_OUT} once `ms` have passed first; rejects as
 * `work` does when it fails in time. The timer is cleared as soon as `work`
 * settles. Not unref()'d: a caller awaiting a hung hook must still get its
 * answer when nothing else keeps the process alive. `work` always has a
 * handler attached, so a late rejection is never unhandled; a caller that
 * cares about it attaches its own after TIMED_OUT.
 * @example
 * if ((await settleWithin(pool.end(), 5_000)) === TIMED_OUT) log.error('pool did not close within 5 s');
 */
export function settleWithin<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  return new Promise<T | typeof TIMED_OUT>((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        // The work's own rejection, whatever it is: a hook may throw any value, and callers report it as thrown.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(error);
      },
    );
  });
}
