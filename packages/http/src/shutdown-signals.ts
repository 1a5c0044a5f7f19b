/**
 * SIGTERM/SIGINT → the core lifecycle's stop. Stopping runs modules in
 * reverse start order, so the HTTP module (which requires the others) stops
 * first: readiness flips, the listener closes, in-flight requests drain, and
 * only then do databases and caches go away.
 */

/** Anything with a lifecycle `stop()` (a core Application). */
export interface Stoppable {
  stop(): Promise<void>;
}

/** Options of {@link handleShutdownSignals}. */
export interface ShutdownSignalOptions {
  /** Default `['SIGTERM', 'SIGINT']`. */
  readonly signals?: readonly NodeJS.Signals[];
  /** Receives the stop error, if any (default: sets `process.exitCode = 1`). */
  readonly onError?: (error: unknown) => void;
  /** Called after a successful stop. */
  readonly onStopped?: () => void;
}

/**
 * Stops `app` on the first of `signals`; returns a function that removes the handlers.
 * The process then exits by itself once nothing else keeps the event loop alive. The
 * handlers are removed at that first signal: a second one ends the process at once.
 * @example
 * await app.start();
 * handleShutdownSignals(app);
 */
export function handleShutdownSignals(app: Stoppable, options: ShutdownSignalOptions = {}): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const onError =
    options.onError ??
    (() => {
      process.exitCode = 1;
    });
  let stopping = false;
  const remove = (): void => {
    for (const signal of signals) process.removeListener(signal, handler);
  };
  function handler(): void {
    // The listeners go at the first signal, so a later signal gets Node's default and ends the
    // process at once (a forced quit, what a second Ctrl-C is expected to do) unless another
    // listener remains. This guard covers a signal of another kind already queued with the first.
    if (stopping) return;
    stopping = true;
    remove();
    app.stop().then(() => options.onStopped?.(), onError);
  }
  for (const signal of signals) process.on(signal, handler);
  return remove;
}
