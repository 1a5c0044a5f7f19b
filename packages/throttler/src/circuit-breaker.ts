/**
 * A circuit breaker in front of the store, so a dead Redis is not hammered:
 * after `failureThreshold` consecutive failures it opens for `cooldownMs`,
 * then lets exactly one probe through (half-open); the probe's result closes
 * or re-opens it. Every state change starts a new generation: a permit from
 * `acquire()` answers for its own generation only, so a call started before
 * the circuit moved on cannot be taken for the probe.
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
 * The right to make one call, from `CircuitBreaker.acquire()`. Report the call's result with `success()` or
 * `failure()`: the first report counts, any later one is ignored, and so is a report after the breaker changed
 * state since the permit was given (a stale permit): that answer comes from a call started before the circuit
 * opened, went half-open or closed again, and proves nothing about the store now. It neither closes nor
 * re-opens the circuit, and counts neither towards nor against the failure threshold of a later closed period.
 */
export interface BreakerPermit {
  /** The breaker's generation when the permit was given; every state change starts a new one. */
  readonly generation: number;
  /** True for the half-open probe, the one call whose answer closes or re-opens the circuit. */
  readonly probe: boolean;
  /** The call succeeded: resets the failure count; the probe's closes the circuit. */
  success(): void;
  /** The call failed: counts towards the threshold; the probe's re-opens the circuit. */
  failure(): void;
}

/**
 * `clock` times the cooldown: pass a monotonic one (`performance`, the
 * limiter's default) so a wall-clock step cannot stretch it; a clock that
 * does step back anyway ends the cooldown rather than extending it.
 * @example
 * const breaker = new CircuitBreaker({ failureThreshold: 3 }, performance, (t) => console.log(t.from, '->', t.to));
 * const permit = breaker.acquire();
 * if (permit !== undefined) { try { await call(); permit.success(); } catch { permit.failure(); } }
 */
export class CircuitBreaker {
  readonly failureThreshold: number;
  readonly cooldownMs: number;
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;
  #generation = 0;
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

  /**
   * A permit to call the store now, or undefined while the circuit is open or the half-open probe is out.
   * Prefer it to `tryAcquire()`: the permit's answer counts only while the breaker is in the state it was given in.
   */
  acquire(): BreakerPermit | undefined {
    return this.tryAcquire() ? new Permit(this.#settle, this.#generation, this.#state === 'half-open') : undefined;
  }

  /**
   * True when a call may go to the store now. In half-open, only one caller gets true. `success()` and `failure()`
   * do not say which call they answer, so report through them only in the same synchronous turn (the breaker
   * cannot move in between); a call that awaits its answer should take a permit from `acquire()` instead.
   */
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

  /** A call failed; in half-open this re-opens the circuit, whichever call it was. */
  failure(): void {
    this.#failures += 1;
    this.#probing = false;
    if (this.#state === 'half-open' || (this.#state === 'closed' && this.#failures >= this.failureThreshold)) {
      this.#openedAt = this.#clock.now();
      this.#move('open');
    }
  }

  // A permit from the current generation was given in this very state: in half-open it is the probe (no other
  // permit is given then), and none is given while open. Any other generation is stale.
  readonly #settle = (generation: number, ok: boolean): void => {
    if (generation !== this.#generation) return;
    if (ok) this.success();
    else this.failure();
  };

  // A negative elapsed time means the clock stepped back: waiting for it to catch up would keep the circuit
  // open for the size of the step, so the cooldown counts as over and the probe decides.
  #cooledDown(): boolean {
    const elapsed = this.#clock.now() - this.#openedAt;
    return elapsed >= this.cooldownMs || elapsed < 0;
  }

  #move(to: BreakerState): void {
    const from = this.#state;
    this.#state = to;
    this.#generation += 1;
    this.#onTransition({ from, to, failures: this.#failures });
  }
}

// One per acquire(): settling twice must count once, which a permit shared by a generation's calls could not tell.
class Permit implements BreakerPermit {
  readonly generation: number;
  readonly probe: boolean;
  #settle: ((generation: number, ok: boolean) => void) | undefined;

  constructor(settle: (generation: number, ok: boolean) => void, generation: number, probe: boolean) {
    this.#settle = settle;
    this.generation = generation;
    this.probe = probe;
  }

  success(): void {
    this.#report(true);
  }

  failure(): void {
    this.#report(false);
  }

  #report(ok: boolean): void {
    const settle = this.#settle;
    this.#settle = undefined;
    settle?.(this.generation, ok);
  }
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', `breaker.${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
