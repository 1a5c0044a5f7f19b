/**
 * A circuit breaker in front of the store, so a dead Redis is not hammered:
 * after `failureThreshold` consecutive failures it opens for `cooldownMs`,
 * then lets exactly one probe through (half-open); the probe's result closes
 * or re-opens it.
 */
import { ThrottleError } from './errors.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before one probe. Default 5 000 ms. */
  readonly cooldownMs?: number;
}

export interface BreakerTransition {
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly failures: number;
}

/**
 * `clock` times the cooldown: pass a monotonic one (`performance`, the
 * limiter's default) so a wall-clock step cannot stretch it; a clock that
 * does step back anyway ends the cooldown rather than extending it.
 * @example
 * const breaker = new CircuitBreaker({ failureThreshold: 3 }, performance, (t) => console.log(t.from, '->', t.to));
 * if (breaker.tryAcquire()) { try { await call(); breaker.success(); } catch { breaker.failure(); } }
 */
export class CircuitBreaker {
  readonly failureThreshold: number;
  readonly cooldownMs: number;
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;
  readonly #clock: { now(): number };
  readonly #onTransition: (t: BreakerTransition) => void;

  constructor(options: BreakerOptions, clock: { now(): number }, onTransition: (t: BreakerTransition) => void) {
    this.failureThreshold = positive(options.failureThreshold ?? 5, 'failureThreshold');
    this.cooldownMs = positive(options.cooldownMs ?? 5_000, 'cooldownMs');
    this.#clock = clock;
    this.#onTransition = onTransition;
  }

  get state(): BreakerState {
    return this.#state;
  }

  /** True when a call may go to the store now. In half-open, only one caller gets true. */
  tryAcquire(): boolean {
    if (this.#state === 'open' && this.#cooledDown()) this.#move('half-open');
    if (this.#state === 'closed') return true;
    if (this.#state === 'half-open' && !this.#probing) {
      this.#probing = true;
      return true;
    }
    return false;
  }

  /**
   * A call succeeded. While open this is a late answer to a call started before the circuit opened: it
   * proves nothing about the store now, so the circuit waits for its cooldown and probe as documented.
   */
  success(): void {
    if (this.#state === 'open') return;
    this.#failures = 0;
    this.#probing = false;
    if (this.#state === 'half-open') this.#move('closed');
  }

  failure(): void {
    this.#failures += 1;
    this.#probing = false;
    if (this.#state === 'half-open' || (this.#state === 'closed' && this.#failures >= this.failureThreshold)) {
      this.#openedAt = this.#clock.now();
      this.#move('open');
    }
  }

  // A negative elapsed time means the clock stepped back: waiting for it to catch up would keep the circuit
  // open for the size of the step, so the cooldown counts as over and the probe decides.
  #cooledDown(): boolean {
    const elapsed = this.#clock.now() - this.#openedAt;
    return elapsed >= this.cooldownMs || elapsed < 0;
  }

  #move(to: BreakerState): void {
    const from = this.#state;
    this.#state = to;
    this.#onTransition({ from, to, failures: this.#failures });
  }
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', `breaker.${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
