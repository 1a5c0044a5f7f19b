import { afterEach, describe, expect, it, vi } from 'vitest';
import { stderrLogger } from './events.ts';
import { createRateLimiter } from './limiter.ts';
import { MemoryStore } from './memory-store.ts';

describe('default logger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes one JSON line per event on stderr, at the right level', () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    vi.spyOn(Date, 'now').mockReturnValue(42);
    stderrLogger.info({ a: 1 }, 'one');
    stderrLogger.warn({}, 'two');
    stderrLogger.error({ to: 'open' }, 'three');
    expect(lines).toEqual([
      '{"level":"info","time":42,"name":"rampart:throttler","msg":"one","a":1}\n',
      '{"level":"warn","time":42,"name":"rampart:throttler","msg":"two"}\n',
      '{"level":"error","time":42,"name":"rampart:throttler","msg":"three","to":"open"}\n',
    ]);
  });

  it('is what a limiter uses when given no logger (capacity warning, no channel subscribers)', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    const limiter = createRateLimiter({ store: new MemoryStore({ maxKeys: 1, sweepIntervalMs: 0 }) });
    await limiter.consume('a');
    expect((await limiter.consume('b')).reason).toBe('capacity');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['rate-limit store at capacity: new keys refused']);
  });
});
