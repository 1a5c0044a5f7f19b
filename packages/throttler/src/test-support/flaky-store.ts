import type { Policy } from '../policy.ts';
import type { RateLimitStore, StoreOutcome } from '../store.ts';

/** Wraps a real store; `mode` makes it fail, hang or answer, to drive failure policies in unit tests. */
export class FlakyStore implements RateLimitStore {
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  calls = 0;
  readonly inner: RateLimitStore;

  constructor(inner: RateLimitStore) {
    this.inner = inner;
  }

  async consume(key: string, policies: readonly Policy[], cost: number): Promise<StoreOutcome> {
    this.calls += 1;
    if (this.mode === 'fail') throw new Error('connect ECONNREFUSED 127.0.0.1:6399');
    if (this.mode === 'hang') return new Promise<StoreOutcome>(() => undefined);
    return this.inner.consume(key, policies, cost);
  }

  reset(key: string, policies: readonly Policy[]): void | Promise<void> {
    return this.inner.reset(key, policies);
  }

  close(): void | Promise<void> {
    return this.inner.close();
  }
}
