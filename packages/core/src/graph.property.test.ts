import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topologicalOrder } from './graph.ts';

/** A random graph on n nodes; `acyclic` keeps only edges to lower indices. */
const graph = (acyclic: boolean) =>
  fc.integer({ min: 1, max: 12 }).chain((n) =>
    fc
      .array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 })
      .map((pairs) => {
        const nodes = Array.from({ length: n }, (_, i) => `m${String(i)}`);
        const deps = new Map(nodes.map((m) => [m, [] as string[]]));
        for (const [from, to] of pairs) {
          if (acyclic && to >= from) continue;
          deps.get(`m${String(from)}`)?.push(`m${String(to)}`);
        }
        // Shuffle registration order deterministically so index order is not the answer.
        const registered = [...nodes].sort((a, b) => (a.length * 7 + a.charCodeAt(1)) % 5 - ((b.length * 7 + b.charCodeAt(1)) % 5) || (a < b ? -1 : 1));
        return { nodes: registered, deps: (m: string) => deps.get(m) ?? [] };
      }),
  );

function hasCycle(nodes: readonly string[], deps: (m: string) => readonly string[]): boolean {
  const state = new Map<string, number>();
  const visit = (m: string): boolean => {
    state.set(m, 1);
    for (const d of deps(m)) {
      if (state.get(d) === 1) return true;
      if (state.get(d) === undefined && visit(d)) return true;
    }
    state.set(m, 2);
    return false;
  };
  return nodes.some((m) => state.get(m) === undefined && visit(m));
}

describe('module graph laws', () => {
  it('start order of a random DAG respects every dependency edge and lists each module once', () => {
    fc.assert(
      fc.property(graph(true), ({ nodes, deps }) => {
        const result = topologicalOrder(nodes, deps);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect([...result.order].sort()).toEqual([...nodes].sort());
        const position = new Map(result.order.map((m, i) => [m, i]));
        for (const m of nodes) for (const d of deps(m)) expect(position.get(d) as number).toBeLessThan(position.get(m) as number);
      }),
    );
  });

  it('reports a cycle exactly when one exists, and the reported chain is a real cycle', () => {
    fc.assert(
      fc.property(graph(false), ({ nodes, deps }) => {
        const result = topologicalOrder(nodes, deps);
        expect(!result.ok).toBe(hasCycle(nodes, deps));
        if (result.ok) return;
        const chain = result.cycle;
        expect(chain.length).toBeGreaterThanOrEqual(2);
        expect(chain[0]).toBe(chain.at(-1));
        for (let i = 0; i + 1 < chain.length; i += 1) expect(deps(chain[i] as string)).toContain(chain[i + 1]);
      }),
    );
  });

  it('is deterministic: the same declarations always give the same order', () => {
    fc.assert(
      fc.property(graph(true), ({ nodes, deps }) => {
        expect(topologicalOrder(nodes, deps)).toEqual(topologicalOrder(nodes, deps));
      }),
    );
  });
});
