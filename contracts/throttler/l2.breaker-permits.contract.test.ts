/**
 * L2 contract: CircuitBreaker permits. `acquire()` gives one permit per call;
 * its answer counts once, and only while the breaker is in the state the
 * permit was given in, so a call started before the circuit opened and
 * answering while the half-open probe is out is not taken for the probe. The
 * limiter reports store answers the same way. `tryAcquire()`, `success()` and
 * `failure()` keep their meaning.
 */
import { FakeClock } from '@rampart/mocks';
import { CircuitBreaker, createRateLimiter, type BreakerPermit, type RateLimitStore, type StoreOutcome } from '@rampart/throttler';
import { describe, expect, it } from 'vitest';

const T = 1_699_999_980_000;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

// Opens a breaker (failureThreshold 1, cooldownMs 1000) with a permit from its closed period still out, then
// starts the half-open probe.
function probing() {
  const clock = new FakeClock(T);
  const transitions: string[] = [];
  const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1_000 }, clock, (t) => transitions.push(`${t.from}>${t.to}`));
  const late = breaker.acquire() as BreakerPermit;
  (breaker.acquire() as BreakerPermit).failure();
  clock.advance(1_000);
  const probe = breaker.acquire() as BreakerPermit;
  return { clock, transitions, breaker, late, probe };
}

describe('@rampart/throttler L2 breaker permits: CircuitBreaker.acquire', () => {
  it('gives a permit while closed, none while open, and exactly one probe permit when half-open', () => {
    const clock = new FakeClock(T);
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1_000 }, clock, () => undefined);
    const closed = breaker.acquire() as BreakerPermit;
    expect([closed.probe, breaker.state]).toEqual([false, 'closed']);
    closed.failure();
    expect([breaker.state, breaker.acquire()]).toEqual(['open', undefined]);
    clock.advance(1_000);
    const probe = breaker.acquire() as BreakerPermit;
    expect([probe.probe, breaker.state, breaker.acquire(), breaker.tryAcquire()]).toEqual([true, 'half-open', undefined, false]);
    expect(probe.generation).toBeGreaterThan(closed.generation);
  });

  it("the probe's success closes the circuit and its failure re-opens it", () => {
    const closing = probing();
    closing.probe.success();
    expect([closing.breaker.state, closing.transitions]).toEqual(['closed', ['closed>open', 'open>half-open', 'half-open>closed']]);
    const reopening = probing();
    reopening.probe.failure();
    expect([reopening.breaker.state, reopening.breaker.acquire()]).toEqual(['open', undefined]);
  });

  it('a late success on a permit from before the circuit opened does not close it while the probe is out', () => {
    const { breaker, late, probe, transitions } = probing();
    late.success();
    expect([breaker.state, breaker.acquire()]).toEqual(['half-open', undefined]);
    probe.failure();
    expect(transitions).toEqual(['closed>open', 'open>half-open', 'half-open>open']);
  });

  it('a late failure on a permit from before the circuit opened neither re-opens it nor lets a second probe through', () => {
    const { clock, breaker, late, probe, transitions } = probing();
    late.failure();
    expect([breaker.state, breaker.acquire()]).toEqual(['half-open', undefined]);
    clock.advance(1_000);
    expect(breaker.acquire()).toBeUndefined();
    probe.success();
    expect(transitions).toEqual(['closed>open', 'open>half-open', 'half-open>closed']);
  });

  it('a permit settled twice counts once', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2 }, new FakeClock(T), () => undefined);
    const permit = breaker.acquire() as BreakerPermit;
    permit.failure();
    permit.failure();
    expect(breaker.state).toBe('closed');
    (breaker.acquire() as BreakerPermit).failure();
    expect(breaker.state).toBe('open');
  });

  it('failures from an earlier closed period do not count towards the threshold after the circuit closed again', () => {
    const clock = new FakeClock(T);
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000 }, clock, () => undefined);
    const stale = [breaker.acquire() as BreakerPermit, breaker.acquire() as BreakerPermit];
    (breaker.acquire() as BreakerPermit).failure();
    (breaker.acquire() as BreakerPermit).failure();
    clock.advance(1_000);
    (breaker.acquire() as BreakerPermit).success();
    for (const permit of stale) permit.failure();
    expect(breaker.state).toBe('closed');
  });

  it('tryAcquire(), success() and failure() keep their meaning beside permits', () => {
    const { breaker } = probing();
    expect(breaker.tryAcquire()).toBe(false);
    breaker.success();
    expect([breaker.state, breaker.tryAcquire()]).toEqual(['closed', true]);
    breaker.failure();
    expect(breaker.state).toBe('open');
  });
});

describe('@rampart/throttler L2 breaker permits: RateLimiter', () => {
  it('a store answer from a call started before the circuit opened is not taken for the half-open probe', async () => {
    const clock = new FakeClock(T);
    // every store call waits until the test fails it
    const answers: { fail: () => void }[] = [];
    const store: RateLimitStore = {
      consume: () => new Promise<StoreOutcome>((_resolve, reject) => answers.push({ fail: () => reject(new Error('ECONNRESET')) })),
      reset: () => undefined,
      close: () => undefined,
    };
    const limiter = createRateLimiter({ store, clock, logger: quiet, onStoreError: 'fail-closed', breaker: { failureThreshold: 1, cooldownMs: 1_000 } });
    const slow = limiter.consume('k');
    const failing = limiter.consume('k');
    answers[1]?.fail();
    expect((await failing).source).toBe('fail-closed');
    clock.advance(1_000);
    const probe = limiter.consume('k');
    answers[0]?.fail();
    await slow;
    expect([limiter.breakerState, answers.length]).toEqual(['half-open', 3]);
    expect((await limiter.consume('k')).source).toBe('fail-closed');
    expect(answers).toHaveLength(3);
    answers[2]?.fail();
    await probe;
    expect(limiter.breakerState).toBe('open');
    await limiter.close();
  });
});
