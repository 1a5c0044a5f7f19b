// L1 contract of @rampart/mocks: the zero-configuration use a newcomer copies
// from the README. A FakeClock drives a clock-injected Rampart module, a
// LogCapture is the logger of a Rampart app and its lines are read back, a
// SeededRandom gives the same bytes for the same seed. Locked: these tests are
// never modified, only added to.
import { describe, expect, it } from 'vitest';
import { createApp, defineModule } from '@rampart/core';
import { FakeClock, LogCapture, SeededRandom } from '@rampart/mocks';
import { createRateLimiter } from '@rampart/throttler';

const T = 1_767_225_600_000; // 2026-01-01T00:00:00Z

describe('@rampart/mocks L1: FakeClock drives a clock-injected module', () => {
  it('new FakeClock(start) reads the start time and moves only when advanced', () => {
    const clock = new FakeClock(T);
    expect(clock.now()).toBe(T);
    expect(clock.now()).toBe(T);
    clock.advance(1_000);
    expect(clock.now()).toBe(T + 1_000);
  });

  it('a rate limiter given { clock } admits again after clock.advance, with no real waiting', async () => {
    const clock = new FakeClock(T);
    const limiter = createRateLimiter({ clock, policies: { limit: 2, windowMs: 1_000 } });
    const allowed = [];
    for (let i = 0; i < 3; i++) allowed.push((await limiter.consume('client')).allowed);
    expect(allowed).toEqual([true, true, false]);
    clock.advance(1_000);
    expect((await limiter.consume('client')).allowed).toBe(true);
    await limiter.close();
  });
});

describe('@rampart/mocks L1: LogCapture is a logger whose lines are read back', () => {
  it('captures what the logger writes as parsed lines, found by message and level', () => {
    const logs = new LogCapture();
    logs.logger.info({ userId: 42 }, 'user created');
    logs.logger.warn('slow query');
    expect(logs.find('user created')).toMatchObject({ levelName: 'info', msg: 'user created', userId: 42 });
    expect(logs.at('warn').map((line) => line.msg)).toEqual(['slow query']);
    expect(logs.lines).toHaveLength(2);
  });

  it('exposes everything written as text, for leak scans', () => {
    const logs = new LogCapture();
    logs.logger.info({ user: 'ada' }, 'login');
    expect(logs.text).toContain('"user":"ada"');
    expect(logs.text).not.toContain('s3cr3t');
  });

  it('serves as a Rampart app logger and captures module hook lines with their bindings', async () => {
    const logs = new LogCapture();
    const cache = defineModule({ name: 'cache', version: '1.0.0', start: (ctx) => ctx.logger.info('warm') });
    const app = createApp({ logger: logs.logger, modules: [cache] });
    await app.start();
    await app.stop();
    expect(logs.find('warm')).toMatchObject({ levelName: 'info', module: 'cache' });
  });
});

describe('@rampart/mocks L1: SeededRandom is repeatable', () => {
  it('gives the same bytes for the same seed and other bytes for another seed', () => {
    const first = new SeededRandom(42).randomBytes(16);
    expect(first).toHaveLength(16);
    expect(new SeededRandom(42).randomBytes(16)).toEqual(first);
    expect(new SeededRandom(43).randomBytes(16)).not.toEqual(first);
  });

  it('randomBytes can be taken off the instance and injected like crypto.randomBytes', () => {
    const { randomBytes } = new SeededRandom(7);
    const bytes = randomBytes(8);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes).toEqual(new SeededRandom(7).randomBytes(8));
  });
});
