import { describe, expect, it } from 'vitest';
import { closeNames, editDistance } from './suggest.ts';

describe('suggestions', () => {
  it('computes edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests close and containing names, best first, ignoring case', () => {
    expect(closeNames('dbb', ['db', 'cache', 'dbPool'])).toEqual(['db']);
    expect(closeNames('pool', ['dbPool', 'cache'])).toEqual(['dbPool']);
    expect(closeNames('Cache', ['cache', 'caches', 'queue'])).toEqual(['cache', 'caches']);
    expect(closeNames('zzz', ['db', 'cache'])).toEqual([]);
    expect(closeNames('a', ['ab', 'ac', 'ad', 'ae'], 2)).toEqual(['ab', 'ac']);
  });
});
