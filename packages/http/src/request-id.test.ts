import { describe, expect, it, vi } from 'vitest';
import { randomRequestId, requestIdGenerator } from './request-id.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomRequestId', () => {
  // 1,000 ids cross three refills of the 256-id random pool.
  const ids = Array.from({ length: 1000 }, () => randomRequestId());

  it('from a freshly loaded module, the very first id is already a random UUID (the pool starts zeroed)', async () => {
    // A fresh copy, so its module-level tables and first refill are built inside this test.
    vi.resetModules();
    const fresh = await import('./request-id.ts');
    const first = fresh.randomRequestId();
    expect(first).toMatch(UUID_V4);
    expect(first).not.toBe('00000000-0000-4000-8000-000000000000');
  });

  it('makes version 4 UUIDs with the RFC 9562 variant, all different', () => {
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws every random digit afresh: each free position takes all 16 hex values over 1,000 ids', () => {
    const fixed = new Set([8, 13, 14, 18, 19, 23]);
    for (let at = 0; at < 36; at += 1) {
      if (fixed.has(at)) continue;
      expect(new Set(ids.map((id) => id[at])).size, `position ${String(at)}`).toBe(16);
    }
    // The variant digit is one of 8, 9, a, b, and all four occur.
    expect(new Set(ids.map((id) => id[19]))).toEqual(new Set(['8', '9', 'a', 'b']));
  });

  it('is the default generator: no incoming id gives a fresh UUID', () => {
    const gen = requestIdGenerator('x-request-id');
    const [a, b] = [gen({ headers: {} }), gen({ headers: { 'x-request-id': 'bad id' } })];
    expect([a, b]).toEqual([expect.stringMatching(UUID_V4), expect.stringMatching(UUID_V4)]);
    expect(a).not.toBe(b);
  });
});
