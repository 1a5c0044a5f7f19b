/**
 * The rate limiter: policies + a store + a failure policy. HTTP-agnostic; the
 * HTTP layer (http-throttle.ts) derives keys from requests and calls this.
 */
import { EventEmitter } from 'node:events';
import { CircuitBreaker, type BreakerOptions, type BreakerPermit, type BreakerState, type BreakerTransition } from './circuit-breaker.ts';
import { Deadlines } from './deadline.ts';
import { toDecision, degradedDecision, type Decision } from './decision.ts';
import { isThrottleError, ThrottleError } from './errors.ts';
import { breakerChannel, capacityChannel, decisionChannel, stderrLogger, storeErrorChannel, type ThrottleLogger } from './events.ts';
import { MemoryStore } from './memory-store.ts';
import { checkCost, definePolicies, type Policy, type PolicyInput } from './policy.ts';
import type { RateLimitStore, StoreOutcome } from './store.ts';
import { storeTarget, type StoreTarget } from './store-target.ts';

/** What to do when the store fails or the breaker is open. */
export type FailurePolicy = 'fail-open' | 'fail-closed' | 'insurance';

export interface RateLimiterOptions {
  /** One policy or several checked together. Default: 100 per minute, fixed window. */
  readonly policies?: PolicyInput | readonly PolicyInput[];
  /** Default: a new `MemoryStore` (closed with the limiter). */
  readonly store?: RateLimitStore;
  /** Separates limiters sharing one store; may not contain `|` or `}`. Default `default`. */
  readonly namespace?: string;
  /** Default `fail-open`: an outage never turns into a 429 for everyone. */
  readonly onStoreError?: FailurePolicy;
  /** Store used under `insurance`. Default: a new `MemoryStore`. */
  readonly insurance?: RateLimitStore;
  readonly breaker?: BreakerOptions;
  /** Deadline for an asynchronous store answer. Default 1 000 ms. */
  readonly timeoutMs?: number;
  readonly clock?: { now(): number };
  readonly logger?: ThrottleLogger;
}

export interface ConsumeOptions {
  /** Units this request weighs. Default 1. */
  readonly cost?: number;
}

/** Events emitted by a limiter (also published on `rampart:throttle.*` channels). */
export interface RateLimiterEvents {
  decision: [Decision];
  breaker: [BreakerTransition];
  'store-error': [ThrottleError];
}

export const DEFAULT_POLICY: PolicyInput = { name: 'default', limit: 100, windowMs: 60_000 };
const KEY_MAX = 1024;

/**
 * @example
 * const limiter = createRateLimiter({ policies: [{ name: 'sec', limit: 10, windowMs: 1000 }, { name: 'hour', limit: 1000, windowMs: 3_600_000 }] });
 * const d = await limiter.consume(`user=${id}`);
 * if (!d.allowed) throw tooManyRequests(d.retryAfterMs);
 */
export class RateLimiter extends EventEmitter<RateLimiterEvents> {
  readonly policies: readonly Policy[];
  readonly namespace: string;
  readonly failurePolicy: FailurePolicy;
  readonly #store: RateLimitStore;
  readonly #target: StoreTarget;
  readonly #insurance: StoreTarget | undefined;
  readonly #owned: RateLimitStore[] = [];
  readonly #breaker: CircuitBreaker;
  readonly #deadlines: Deadlines;
  readonly #logger: ThrottleLogger;
  readonly #clock: { now(): number };
  // Why consumeSync() cannot answer synchronously, if it cannot: settled once here, read per call.
  readonly #syncRefusal: string | undefined;
  #capacityLoggedAt = Number.NEGATIVE_INFINITY;
  #closed = false;

  constructor(options: RateLimiterOptions = {}) {
    super();
    const clock = options.clock ?? Date;
    this.#clock = clock;
    this.policies = definePolicies(options.policies ?? DEFAULT_POLICY);
    this.namespace = checkNamespace(options.namespace ?? 'default');
    this.failurePolicy = oneOf(options.onStoreError ?? 'fail-open', ['fail-open', 'fail-closed', 'insurance'], 'onStoreError');
    const timeoutMs = options.timeoutMs ?? 1_000;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', 'timeoutMs must be a positive integer');
    this.#deadlines = new Deadlines(timeoutMs);
    this.#logger = options.logger ?? stderrLogger;
    this.#store = options.store ?? this.#own(new MemoryStore({ clock }));
    this.#target = storeTarget(this.#store, this.namespace, this.policies);
    const insurance = this.failurePolicy !== 'insurance' ? undefined : (options.insurance ?? this.#own(new MemoryStore({ clock })));
    this.#insurance = insurance === undefined ? undefined : storeTarget(insurance, this.namespace, this.policies);
    // The insurance store answers whenever the main store fails or the circuit is open: an asynchronous one
    // would hand consumeSync()'s caller a promise typed as a decision (`allowed` undefined, read as a refusal).
    this.#syncRefusal =
      this.#store.synchronous !== true
        ? 'consumeSync() needs a synchronous store such as MemoryStore'
        : insurance !== undefined && insurance.synchronous !== true
          ? 'consumeSync() needs a synchronous insurance store such as MemoryStore'
          : undefined;
    // The cooldown is a duration: timed on the monotonic clock unless a test or replay injects its own.
    this.#breaker = new CircuitBreaker(options.breaker ?? {}, options.clock ?? performance, (t) => this.#onBreaker(t));
  }

  /** `closed`, `open` or `half-open`. */
  get breakerState(): BreakerState {
    return this.#breaker.state;
  }

  /** Checks and counts one request for `key`; never rejects because the store failed. */
  consume(key: string, options?: ConsumeOptions): Promise<Decision> {
    try {
      const decision = this.#consume(key, options);
      return decision instanceof Promise ? decision : Promise.resolve(decision);
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- only ThrottleErrors are thrown synchronously above
      return Promise.reject(error);
    }
  }

  /**
   * Same as `consume()`, answered synchronously; needs a synchronous store
   * (`MemoryStore`), and a synchronous insurance store under `insurance`.
   * Saves a promise per decision on hot paths.
   */
  consumeSync(key: string, options?: ConsumeOptions): Decision {
    if (this.#syncRefusal !== undefined) throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', this.#syncRefusal);
    return this.#consume(key, options) as Decision;
  }

  #consume(key: string, options: ConsumeOptions | undefined): Decision | Promise<Decision> {
    if (this.#closed) throw new ThrottleError('THROTTLE_ERR_CLOSED');
    checkKey(key);
    // The default cost 1 always fits: every capacity is >= 1.
    const cost = options?.cost === undefined ? 1 : checkCost(options.cost, this.policies);
    const decision = this.#decide(key, cost);
    return decision instanceof Promise ? decision.then(this.#publishLater) : this.#publish(decision);
  }

  readonly #publishLater = (decision: Decision): Decision => this.#publish(decision);

  #publish(decision: Decision): Decision {
    if (decision.reason === 'capacity') this.#onCapacity(decision);
    if (decisionChannel.hasSubscribers) decisionChannel.publish(decision);
    // emit() takes rest arguments (an array per call) even with nobody listening.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: performance-only early exit, emit() without listeners does nothing
    if (this.listenerCount('decision') !== 0) this.emit('decision', decision);
    return decision;
  }

  /**
   * Forgets `key` in the store (and the insurance store). Rejects with
   * `THROTTLE_ERR_STORE_DOWN` (the driver's error as `cause`) when a store
   * fails, or `THROTTLE_ERR_STORE_TIMEOUT` after `timeoutMs`, as `consume()`
   * bounds its store calls.
   */
  async reset(key: string): Promise<void> {
    checkKey(key);
    await this.#resetIn(this.#target, key);
    if (this.#insurance !== undefined) await this.#resetIn(this.#insurance, key);
  }

  async #resetIn(target: StoreTarget, key: string): Promise<void> {
    try {
      const done = target.reset(key, this.policies);
      if (done instanceof Promise) await this.#deadlines.race(done);
    } catch (error) {
      // A raw driver error carries no code to match on; wrapped, it keeps the driver's error as `cause` only
      // (the message names neither the key nor the store's address).
      throw isThrottleError(error) ? error : new ThrottleError('THROTTLE_ERR_STORE_DOWN', 'reset failed', { cause: error });
    }
  }

  /** Stops the stores this limiter created (their sweep timers). Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const store of this.#owned.splice(0)) await store.close();
  }

  // Synchronous stores stay synchronous end to end: no promise unless the store returns one.
  // An asynchronous answer may come after the circuit moved on (a slow call from before it opened, answering while
  // the half-open probe is out): its permit counts only in the state it was given in, so it is not taken for the
  // probe's. A synchronous store answers in the turn its call was admitted, before the breaker can move: the
  // breaker's own success() and failure() answer for that call, and the hot path allocates no permit.
  #decide(key: string, cost: number): Decision | Promise<Decision> {
    const breaker = this.#breaker;
    let permit: Pick<BreakerPermit, 'success' | 'failure'> | undefined;
    if (this.#store.synchronous === true) permit = breaker.tryAcquire() ? breaker : undefined;
    else permit = breaker.acquire();
    if (permit === undefined) return this.#fallback(key, cost);
    let result: StoreOutcome | Promise<StoreOutcome>;
    try {
      result = this.#target.consume(key, this.policies, cost);
    } catch (error) {
      return this.#failed(permit, error, key, cost);
    }
    if (!(result instanceof Promise)) return this.#succeeded(permit, key, result);
    return this.#deadlines.race(result).then(
      (outcome) => this.#succeeded(permit, key, outcome),
      (error: unknown) => this.#failed(permit, error, key, cost),
    );
  }

  #succeeded(permit: Pick<BreakerPermit, 'success' | 'failure'>, key: string, outcome: StoreOutcome): Decision {
    permit.success();
    return toDecision(key, outcome, 'store');
  }

  #failed(permit: Pick<BreakerPermit, 'success' | 'failure'>, error: unknown, key: string, cost: number): Decision | Promise<Decision> {
    this.#onStoreError(error);
    permit.failure();
    return this.#fallback(key, cost);
  }

  #fallback(key: string, cost: number): Decision | Promise<Decision> {
    if (this.#insurance === undefined) return degradedDecision(key, this.policies, this.failurePolicy === 'fail-open', this.#breaker.cooldownMs);
    let outcome: StoreOutcome | Promise<StoreOutcome>;
    try {
      outcome = this.#insurance.consume(key, this.policies, cost);
    } catch (error) {
      return this.#insuranceFailed(error, key);
    }
    if (!(outcome instanceof Promise)) return toDecision(key, outcome, 'insurance');
    // Bounded like the main store: a hung insurance store must not hang the request either.
    return this.#deadlines.race(outcome).then(
      (o) => toDecision(key, o, 'insurance'),
      (error: unknown) => this.#insuranceFailed(error, key),
    );
  }

  // Both stores failed: admit (fail-open, the default), because a store error must never
  // become a 429 or, by rejecting check(), a 500 for every client.
  #insuranceFailed(error: unknown, key: string): Decision {
    this.#onStoreError(error, 'rate-limit insurance store failed');
    return degradedDecision(key, this.policies, true, this.#breaker.cooldownMs);
  }

  #own<S extends RateLimitStore>(store: S): S {
    this.#owned.push(store);
    return store;
  }

  #onStoreError(error: unknown, message = 'rate-limit store failed'): void {
    const wrapped = isThrottleError(error) ? error : new ThrottleError('THROTTLE_ERR_STORE_DOWN', undefined, { cause: error });
    this.#logger.warn({ code: wrapped.code, cause: causeMessage(wrapped), failurePolicy: this.failurePolicy }, message);
    if (storeErrorChannel.hasSubscribers) storeErrorChannel.publish(wrapped);
    this.emit('store-error', wrapped);
  }

  #onBreaker(transition: BreakerTransition): void {
    const fields = { ...transition, failurePolicy: this.failurePolicy };
    if (transition.to === 'open') this.#logger.error(fields, 'rate-limit circuit open');
    else this.#logger.info(fields, `rate-limit circuit ${transition.to}`);
    if (breakerChannel.hasSubscribers) breakerChannel.publish(transition);
    this.emit('breaker', transition);
  }

  #onCapacity(decision: Decision): void {
    // At most one line per second: a key-space flood must not become a log flood.
    const now = this.#clock.now();
    if (now - this.#capacityLoggedAt >= 1_000) {
      this.#capacityLoggedAt = now;
      this.#logger.warn({ namespace: this.namespace }, 'rate-limit store at capacity: new keys refused');
    }
    if (capacityChannel.hasSubscribers) capacityChannel.publish({ namespace: this.namespace, key: decision.key });
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > KEY_MAX) {
    throw new ThrottleError('THROTTLE_ERR_INVALID_KEY', `key must be a string of 1..${KEY_MAX} characters`);
  }
}

// A shared store sees `<namespace>|<key>` under the Redis hash tag `{...}`: a `|` in the namespace would let
// namespace `a|b` with key `c` count as namespace `a` with key `b|c`, and a `}` would end the hash tag early
// (a leading one leaves it empty, spreading one decision's keys over cluster slots). Refused rather than
// escaped, so namespaces already in use (route namespaces are percent-encoded) keep their stored keys.
function checkNamespace(namespace: string): string {
  if (typeof namespace !== 'string' || /[|}]/.test(namespace)) {
    throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', "namespace must be a string without '|' or '}'");
  }
  return namespace;
}

function causeMessage(error: ThrottleError): string {
  return error.cause instanceof Error ? error.cause.message : error.message;
}

function oneOf<T extends string>(value: T, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value)) throw new ThrottleError('THROTTLE_ERR_INVALID_OPTION', `${name} must be one of ${allowed.join(', ')}`);
  return value;
}

/**
 * Function form of `new RateLimiter(options)`.
 * @example
 * const limiter = createRateLimiter(); // 100 requests per minute per key, in memory
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  return new RateLimiter(options);
}
