/**
 * Rate-limit policies: what a key may do, and how it is counted. A policy is
 * validated once, up front, so the hot path and the Redis script never see a
 * value that could overflow exact integer arithmetic.
 */
import { ThrottleError } from './errors.ts';

/** Counting algorithms. `sliding-window` is the approximated two-counter window; `sliding-log` is exact. */
export type Algorithm = 'fixed-window' | 'sliding-window' | 'sliding-log' | 'token-bucket' | 'gcra';

export const ALGORITHMS: readonly Algorithm[] = ['fixed-window', 'sliding-window', 'sliding-log', 'token-bucket', 'gcra'];

/**
 * A small integer per algorithm (internal, not exported by the package): the
 * Redis script's dispatch index, and the tag the memory store keeps with a
 * state so another algorithm never reads it. Stable: stored state carries it.
 */
export const ALGORITHM_CODES: Readonly<Record<Algorithm, number>> = {
  'fixed-window': 1,
  'sliding-window': 2,
  'sliding-log': 3,
  'token-bucket': 4,
  gcra: 5,
};

/**
 * `ALGORITHM_CODES[algorithm]` as a switch, for the memory store's hot path: a
 * keyed lookup whose key differs between limiters goes megamorphic once a
 * process runs several algorithms (as `step` in decide.ts avoids a table too).
 */
export function algorithmCode(algorithm: Algorithm): number {
  switch (algorithm) {
    case 'fixed-window':
      return 1;
    case 'sliding-window':
      return 2;
    case 'sliding-log':
      return 3;
    case 'token-bucket':
      return 4;
    case 'gcra':
      return 5;
  }
}

/** What a user writes: `{ limit: 100, windowMs: 60_000 }` is 100 per minute. */
export interface PolicyInput {
  /** Shown in `RateLimit-Policy`; letters, digits, `_` and `-`. Default `default`. */
  readonly name?: string;
  /** Default `fixed-window`. */
  readonly algorithm?: Algorithm;
  /** Units admitted per `windowMs` (for buckets: the refill rate). */
  readonly limit: number;
  readonly windowMs: number;
  /** Token bucket and GCRA only: the most units admitted at once. Default `limit`. */
  readonly burst?: number;
}

/** A validated policy. */
export interface Policy {
  readonly name: string;
  readonly algorithm: Algorithm;
  readonly limit: number;
  readonly windowMs: number;
  /** The most units the policy can ever admit at one instant (`limit` for windows, `burst` for buckets). */
  readonly capacity: number;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
// capacity * windowMs must stay exact in doubles, with head room for sums in the Redis script.
const MAX_SCALED = 2 ** 50;

function invalid(detail: string): ThrottleError {
  return new ThrottleError('THROTTLE_ERR_INVALID_POLICY', detail);
}

function positiveInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalid(`${what} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Validates one policy.
 * @example
 * const perMinute = definePolicy({ name: 'minute', limit: 100, windowMs: 60_000 });
 */
export function definePolicy(input: PolicyInput): Policy {
  const name = input.name ?? 'default';
  if (typeof name !== 'string' || !NAME.test(name)) throw invalid(`name must match ${String(NAME)}, got ${JSON.stringify(name)}`);
  const algorithm = input.algorithm ?? 'fixed-window';
  if (!ALGORITHMS.includes(algorithm)) throw invalid(`unknown algorithm ${JSON.stringify(algorithm)}`);
  const limit = positiveInt(input.limit, 'limit');
  const windowMs = positiveInt(input.windowMs, 'windowMs');
  const bucket = algorithm === 'token-bucket' || algorithm === 'gcra';
  if (!bucket && input.burst !== undefined) throw invalid(`burst applies to token-bucket and gcra only, not ${algorithm}`);
  const capacity = bucket && input.burst !== undefined ? positiveInt(input.burst, 'burst') : limit;
  if (Math.max(capacity, limit) * windowMs > MAX_SCALED) throw invalid('limit/burst x windowMs is too large for exact arithmetic');
  return Object.freeze({ name, algorithm, limit, windowMs, capacity });
}

/**
 * Validates a set of policies checked together (e.g. 10/s and 1000/h).
 * @example
 * const policies = definePolicies([{ name: 'sec', limit: 10, windowMs: 1000 }, { name: 'hour', limit: 1000, windowMs: 3_600_000 }]);
 */
export function definePolicies(inputs: PolicyInput | readonly PolicyInput[]): readonly Policy[] {
  const list = Array.isArray(inputs) ? (inputs as readonly PolicyInput[]) : [inputs as PolicyInput];
  if (list.length === 0) throw invalid('at least one policy is required');
  const policies = list.map(definePolicy);
  const names = new Set(policies.map((p) => p.name));
  if (names.size !== policies.length) throw invalid('policy names must be unique within one limiter');
  return Object.freeze(policies);
}

/** Checks a request cost against the policies: a cost no policy could ever admit is a caller bug. */
export function checkCost(cost: number, policies: readonly Policy[]): number {
  if (!Number.isSafeInteger(cost) || cost < 0) {
    throw new ThrottleError('THROTTLE_ERR_INVALID_COST', `cost must be an integer >= 0, got ${String(cost)}`);
  }
  for (const p of policies) {
    if (cost > p.capacity) throw new ThrottleError('THROTTLE_ERR_INVALID_COST', `cost ${cost} exceeds the capacity ${p.capacity} of policy ${p.name}`);
  }
  return cost;
}
