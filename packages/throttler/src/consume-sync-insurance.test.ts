/**
 * Regression: consumeSync() checked only the main store. With a synchronous store and an asynchronous
 * insurance store, a store failure (or an open circuit) sent the decision to the insurance store and
 * consumeSync() returned its promise as if it were a decision: `allowed` read undefined, so a caller
 * doing `if (!d.allowed) reply 429` refused every request while the store was failing.
 */
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './limiter.ts';
import { MemoryStore } from './memory-store.ts';
import type { RateLimitStore } from './store.ts';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const throwing: RateLimitStore = { synchronous: true, consume: () => { throw new Error('corrupt'); }, reset: () => undefined, close: () => undefined };

describe('consumeSync() and the insurance store', () => {
  it('refuses up front, with THROTTLE_ERR_INVALID_OPTION, an asynchronous insurance store it would hand a promise from', async () => {
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const asyncInsurance: RateLimitStore = { consume: (k, p, c) => Promise.resolve(inner.consume(k, p, c)), reset: () => undefined, close: () => undefined };
    const limiter = createRateLimiter({ store: throwing, onStoreError: 'insurance', insurance: asyncInsurance, logger: quiet });
    let answer: unknown;
    expect(() => (answer = limiter.consumeSync('k'))).toThrow(
      expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION', message: 'A throttler option is invalid: consumeSync() needs a synchronous insurance store such as MemoryStore' }),
    );
    expect(answer).toBeUndefined();
    // consume() still decides through the insurance store
    expect(await limiter.consume('k')).toMatchObject({ allowed: true, source: 'insurance' });
  });

  it('keeps answering synchronously with a synchronous insurance store', () => {
    const limiter = createRateLimiter({ store: throwing, onStoreError: 'insurance', insurance: new MemoryStore({ sweepIntervalMs: 0 }), logger: quiet, policies: { limit: 1, windowMs: 60_000 } });
    const d = [limiter.consumeSync('k'), limiter.consumeSync('k')];
    expect(d.map((x) => [x instanceof Promise, x.allowed, x.source])).toEqual([[false, true, 'insurance'], [false, false, 'insurance']]);
  });
});
