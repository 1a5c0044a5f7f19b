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

  it('allows a third of the length as distance (at least 1), the boundary included', () => {
    expect(closeNames('cat', ['cut'])).toEqual(['cut']);
    expect(closeNames('cat', ['cute'])).toEqual([]);
    expect(closeNames('dtabase', ['database'])).toEqual(['database']);
    expect(closeNames('dtabase', ['dtabxxx'])).toEqual([]);
  });

  it('orders by score, then by name; a containing name scores at most the budget', () => {
    expect(closeNames('cat', ['cut', 'bat', 'CAT'])).toEqual(['CAT', 'bat', 'cut']);
    expect(closeNames('cat', ['cut', 'bat', 'CAT'], 1)).toEqual(['CAT']);
    expect(closeNames('pool', ['poll', 'dbPool'])).toEqual(['dbPool', 'poll']);
    expect(closeNames('pool', ['poll', 'dbPool', 'pool'])).toEqual(['pool', 'dbPool', 'poll']);
  });
});
