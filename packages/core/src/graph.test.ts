import { describe, expect, it } from 'vitest';
import { findCycle, formatChain, topologicalOrder } from './graph.ts';

const graphOf = (edges: Record<string, string[]>) => (n: string) => edges[n] ?? [];

describe('topologicalOrder', () => {
  it('places dependencies first and breaks ties by registration order', () => {
    const result = topologicalOrder(['web', 'cache', 'db', 'log'], graphOf({ web: ['cache', 'db'], cache: ['db'] }));
    // At each step the earliest-registered ready module goes next.
    expect(result).toEqual({ ok: true, order: ['db', 'cache', 'web', 'log'] });
  });

  it('ignores dependencies that are not nodes (absent optional modules) and duplicates', () => {
    expect(topologicalOrder(['a', 'b'], graphOf({ a: ['zzz', 'b', 'b'] }))).toEqual({ ok: true, order: ['b', 'a'] });
  });

  it('reports the full chain of a three-module cycle', () => {
    const result = topologicalOrder(['x', 'a', 'b', 'c'], graphOf({ a: ['b'], b: ['c'], c: ['a'], x: [] }));
    expect(result).toEqual({ ok: false, cycle: ['a', 'b', 'c', 'a'] });
  });

  it('reports the cycle, not the module that merely depends on it', () => {
    const result = topologicalOrder(['top', 'a', 'b'], graphOf({ top: ['a'], a: ['b'], b: ['a'] }));
    expect(result).toEqual({ ok: false, cycle: ['a', 'b', 'a'] });
  });

  it('finds cycles through already-explored branches', () => {
    expect(findCycle(['a', 'b', 'c', 'd'], graphOf({ a: ['b', 'c'], b: ['d'], c: ['d', 'a'], d: [] }))).toEqual(['a', 'c', 'a']);
  });

  it('formats chains with arrows', () => {
    expect(formatChain(['a', 'b', 'c', 'a'])).toBe('a → b → c → a');
  });
});
