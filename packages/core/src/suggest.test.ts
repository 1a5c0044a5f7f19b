import { describe, expect, it } from 'vitest';
import { closeNames, editDistance, formatValue, thrownMessage } from './suggest.ts';

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

  it('suggests nothing for an empty name, and never an empty name (a substring of everything)', () => {
    expect(closeNames('', ['db', 'cache'])).toEqual([]);
    expect(closeNames('db', ['', 'dbs'])).toEqual(['dbs']);
  });

  it('renders any value for a message without throwing', () => {
    expect([formatValue('a'), formatValue(10n), formatValue(undefined), formatValue(null), formatValue(Symbol('s')), formatValue(3)]).toEqual(['"a"', '10', 'undefined', 'null', 'Symbol(s)', '3']);
    expect([formatValue(Object.create(null)), formatValue({ toString: () => 'x' }), formatValue(() => 1)]).toEqual(['a value of type object', 'a value of type object', 'a value of type function']);
  });

  it('orders by score, then by name; a containing name scores at most the budget', () => {
    expect(closeNames('cat', ['cut', 'bat', 'CAT'])).toEqual(['CAT', 'bat', 'cut']);
    expect(closeNames('cat', ['cut', 'bat', 'CAT'], 1)).toEqual(['CAT']);
    expect(closeNames('pool', ['poll', 'dbPool'])).toEqual(['dbPool', 'poll']);
    expect(closeNames('pool', ['poll', 'dbPool', 'pool'])).toEqual(['pool', 'dbPool', 'poll']);
  });
});

describe('thrownMessage', () => {
  it('gives an Error its message, a string itself, other primitives as String() does', () => {
    expect([thrownMessage(new TypeError('bad')), thrownMessage('plain'), thrownMessage(42), thrownMessage(undefined), thrownMessage(Symbol('s'))]).toEqual(['bad', 'plain', '42', 'undefined', 'Symbol(s)']);
  });

  it('never throws: values String() rejects are described by type', () => {
    const hostile = { toString: () => { throw new Error('no'); } };
    const odd = Object.assign(new Error('x'), { message: Object.create(null) as object });
    expect([thrownMessage(Object.create(null)), thrownMessage(hostile), thrownMessage(odd), thrownMessage({ toString: () => 'custom' })]).toEqual([
      'a value of type object',
      'a value of type object',
      'a value of type object',
      'custom',
    ]);
  });
});
