/**
 * Redis store (ioredis, standalone or cluster): one EVALSHA round trip per
 * decision, atomic on the server, safe across any number of app processes.
 */
import type { PolicyOutcome, StoreOutcome } from './algorithms/decide.ts';
import { ThrottleError } from './errors.ts';
import { ALGORITHM_CODES, type Policy } from './policy.ts';
import { THROTTLE_SCRIPT, THROTTLE_SCRIPT_SHA } from './redis-script.ts';
import type { RateLimitStore } from './store.ts';

/** The two ioredis calls this store uses; `Redis` and `Cluster` from ioredis both fit. */
export interface RedisScriptClient {
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
}

export interface RedisStoreOptions {
  /** An ioredis `Redis` or `Cluster`; the caller owns (and closes) it. */
  readonly client: RedisScriptClient;
  /** Prepended to every key. Default `rampart:rl:`. */
  readonly prefix?: string;
  /**
   * Overrides the Redis server clock with this one. For tests and replays only:
   * in production every process must share the server's clock.
   */
  readonly clock?: { now(): number };
}

/**
 * @example
 * import { Redis } from 'ioredis';
 * const store = new RedisStore({ client: new Redis(process.env.REDIS_URL), prefix: 'api:rl:' });
 * const limiter = createRateLimiter({ policies: { limit: 100, windowMs: 60_000 }, store });
 */
export class RedisStore implements RateLimitStore {
  readonly prefix: string;
  readonly #client: RedisScriptClient;
  readonly #clock: { now(): number } | undefined;

  constructor(options: RedisStoreOptions) {
    const { client, prefix = 'rampart:rl:', clock } = checkOptions(options);
    this.#client = client;
    this.prefix = prefix;
    this.#clock = clock;
  }

  /**
   * The Redis keys of `key`: one per policy, all under the hash tag `{key}` so they share a cluster slot.
   * The algorithm is part of the key (after the tag, so the slot does not move): the script reads a
   * state as the current algorithm's, and another algorithm's state would make it fail on every call
   * (breaker open, fail-closed 503s) after a policy changes algorithm or two limiters share a namespace.
   */
  keysOf(key: string, policies: readonly Policy[]): string[] {
    // Policy names and algorithms never contain `}` or `:`, so distinct keys can never produce the same Redis key.
    return policies.map((p) => `${this.prefix}{${key}}:${p.name}:${p.algorithm}`);
  }

  async consume(key: string, policies: readonly Policy[], cost: number): Promise<StoreOutcome> {
    const keys = this.keysOf(key, policies);
    const args: (string | number)[] = [this.#clock === undefined ? '' : this.#clock.now(), cost];
    for (const p of policies) args.push(ALGORITHM_CODES[p.algorithm], p.limit, p.windowMs, p.capacity);
    return parseReply(await this.#run(keys, args), policies);
  }

  async reset(key: string, policies: readonly Policy[]): Promise<void> {
    await this.#client.del(...this.keysOf(key, policies));
  }

  /** The client belongs to the caller; nothing to release here. */
  close(): void {}

  async #run(keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.#client.evalsha(THROTTLE_SCRIPT_SHA, keys.length, ...keys, ...args);
    } catch (error) {
      // First call on a server (or after SCRIPT FLUSH / failover): load it with EVAL, which caches it.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.#client.eval(THROTTLE_SCRIPT, keys.length, ...keys, ...args);
    }
  }
}

// Checked up front: a missing or misspelt `client` would otherwise fail every decision at run time, which the
// default fail-open policy turns into no rate limiting at all, reported only as store errors.
function checkOptions(options: RedisStoreOptions): RedisStoreOptions {
  const invalid = (detail: string) => new ThrottleError('THROTTLE_ERR_INVALID_OPTION', `RedisStore ${detail}`);
  if (typeof options !== 'object' || options === null) throw invalid('needs options { client }');
  const client = options.client as Partial<Record<keyof RedisScriptClient, unknown>> | null | undefined;
  if (typeof client !== 'object' || client === null) throw invalid('client must be an ioredis Redis or Cluster');
  for (const method of ['evalsha', 'eval', 'del'] as const) {
    if (typeof client[method] !== 'function') throw invalid(`client has no ${method}() method: pass an ioredis Redis or Cluster`);
  }
  if (options.prefix !== undefined && typeof options.prefix !== 'string') throw invalid('prefix must be a string');
  if (options.clock !== undefined && typeof (options.clock as { now?: unknown } | null)?.now !== 'function') throw invalid('clock must have a now() method');
  return options;
}

/** Turns the script's flat integer reply into an outcome; anything else is a store fault. */
export function parseReply(reply: unknown, policies: readonly Policy[]): StoreOutcome {
  if (!isIntegerList(reply, 2 + 4 * policies.length)) {
    throw new ThrottleError('THROTTLE_ERR_STORE_REPLY', `unexpected reply shape for ${policies.length} policies`);
  }
  const outcomes: PolicyOutcome[] = policies.map((policy, i) => ({
    policy,
    allowed: reply[2 + 4 * i] === 1,
    remaining: reply[3 + 4 * i]!,
    resetMs: reply[4 + 4 * i]!,
    retryAfterMs: reply[5 + 4 * i]!,
  }));
  return { allowed: reply[0] === 1, outcomes, ttlMs: reply[1]! };
}

function isIntegerList(value: unknown, length: number): value is number[] {
  return Array.isArray(value) && value.length === length && value.every((v) => Number.isSafeInteger(v));
}
