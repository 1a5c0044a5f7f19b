import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seeded-random.ts';

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const seqA = Array.from({ length: 8 }, () => a.uint32());
    expect(Array.from({ length: 8 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 8 }, () => c.uint32())).not.toEqual(seqA);
    expect(new SeededRandom().uint32()).toBe(new SeededRandom(1).uint32());
  });

  it('int(min, max) stays within both inclusive bounds for any seed', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.nat(1000), (seed, min, span) => {
        const random = new SeededRandom(seed);
        for (let i = 0; i < 20; i++) {
          const value = random.int(min, min + span);
          expect(value).toBeGreaterThanOrEqual(min);
          expect(value).toBeLessThanOrEqual(min + span);
        }
      }),
    );
  });

  it('next() is in [0, 1) and bytes are deterministic with the requested length', () => {
    const random = new SeededRandom(7);
    for (let i = 0; i < 1000; i++) {
      const x = random.next();
      expect(x >= 0 && x < 1).toBe(true);
    }
    const bytes = new SeededRandom(7).randomBytes(7);
    expect(bytes).toHaveLength(7);
    expect(new SeededRandom(7).randomBytes(7)).toEqual(bytes);
    expect(new SeededRandom(7).randomBytes(0)).toHaveLength(0);
  });

  it('randomBytes can be detached and injected like crypto.randomBytes', () => {
    const { randomBytes } = new SeededRandom(9);
    expect(randomBytes(16)).toHaveLength(16);
  });

  it('pick and shuffle are deterministic and shuffle is a permutation that leaves the input alone', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const shuffled = new SeededRandom(3).shuffle(items);
    expect(new SeededRandom(3).shuffle(items)).toEqual(shuffled);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(items).toContain(new SeededRandom(5).pick(items));
  });

  it('rejects bad arguments with MOCKS_ERR_BAD_ARGUMENT', () => {
    const random = new SeededRandom(1);
    expect(() => new SeededRandom(1.5)).toThrow(expect.objectContaining({ code: 'MOCKS_ERR_BAD_ARGUMENT' }));
    expect(() => random.int(5, 4)).toThrow(expect.objectContaining({ code: 'MOCKS_ERR_BAD_ARGUMENT' }));
    expect(() => random.int(0.5, 4)).toThrow(expect.objectContaining({ code: 'MOCKS_ERR_BAD_ARGUMENT' }));
    expect(() => random.randomBytes(-1)).toThrow(expect.objectContaining({ code: 'MOCKS_ERR_BAD_ARGUMENT' }));
    expect(() => random.pick([])).toThrow(expect.objectContaining({ code: 'MOCKS_ERR_BAD_ARGUMENT' }));
  });
});
