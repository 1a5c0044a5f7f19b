/**
 * A promise with a time limit. The work itself cannot be cancelled: it keeps
 * running, and the caller decides what its late outcome means.
 */

/**
 * `work`'s outcome, or a rejection with `expired()` once `ms` have passed first.
 * The timer is cleared as soon as `work` settles. Not unref()'d: a caller
 * awaiting a hung hook must still get its answer when nothing else keeps the
 * process alive.
 * @example
 * await withTimeout(pool.end(), 5_000, () => new Error('pool did not close within 5 s'));
 */
export function withTimeout<T>(work: Promise<T>, ms: number, expired: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(expired()), ms);
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
