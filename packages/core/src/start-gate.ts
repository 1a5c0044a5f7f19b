/**
 * What a stop() asked for while the application is starting waits on: a
 * SIGTERM during a slow start must be able to stop the app, and refusing it
 * (as stop() did) left the process running. The start is never cut short:
 * the stop waits for it to settle, then stops as a stop() after start() would.
 */
import { coreError } from './errors.ts';

export class StartGate {
  readonly #settled = Promise.withResolvers<void>();
  #waiting = false;

  /** True once a stop waits for this start: a second one is refused, as a second stop() is. */
  get waiting(): boolean {
    return this.#waiting;
  }

  /**
   * Called by start() once it has settled (started, or failed and rolled back),
   * before start() itself resolves: the waiting stop claims the app before the
   * code that awaited start() runs.
   */
  settle(): void {
    this.#settled.resolve();
  }

  /**
   * Resolves once the start of application `app` has settled. Throws
   * CORE_ERR_INVALID_STATE when a stop already waits: two stops must not both run.
   */
  wait(app: string): Promise<void> {
    if (this.#waiting) {
      throw coreError('CORE_ERR_INVALID_STATE', `Cannot stop: application '${app}' is starting and a stop already waits for the start to settle`, {
        details: { app, state: 'starting', action: 'stop' },
      });
    }
    this.#waiting = true;
    return this.#settled.promise;
  }
}
