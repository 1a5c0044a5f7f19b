/**
 * Dependency ordering for modules (and the same algorithm for providers):
 * Kahn's topological sort where ties go to the earliest registered node, so
 * the order is a pure function of the declarations; and a cycle finder that
 * returns the full chain for the error message.
 */

export type SortResult = { ok: true; order: string[] } | { ok: false; cycle: string[] };

/**
 * Orders `nodes` (given in registration order) so that every node comes after
 * all of its `deps` (only deps that are themselves nodes count).
 */
export function topologicalOrder(nodes: readonly string[], deps: (node: string) => readonly string[]): SortResult {
  const index = new Map(nodes.map((n, i) => [n, i]));
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const node of nodes) {
    const known = [...new Set(deps(node))].filter((d) => index.has(d));
    waiting.set(node, known.length);
    for (const d of known) (dependents.get(d) as string[]).push(node);
  }
  // Sorted by registration index; linear insert is fine at module counts.
  const ready = nodes.filter((n) => waiting.get(n) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const node = ready.shift() as string;
    order.push(node);
    for (const dependent of dependents.get(node) as string[]) {
      const left = (waiting.get(dependent) as number) - 1;
      waiting.set(dependent, left);
      if (left === 0) insertByIndex(ready, dependent, index);
    }
  }
  if (order.length === nodes.length) return { ok: true, order };
  const done = new Set(order);
  return { ok: false, cycle: findCycle(nodes.filter((n) => !done.has(n)), deps) };
}

function insertByIndex(list: string[], node: string, index: Map<string, number>): void {
  const at = index.get(node) as number;
  let i = list.length;
  while (i > 0 && (index.get(list[i - 1] as string) as number) > at) i -= 1;
  list.splice(i, 0, node);
}

/**
 * A cycle among `candidates` (nodes Kahn could not place) as `[a, b, c, a]`,
 * read "a depends on b depends on c depends on a". Deterministic: the search
 * starts at the earliest registered candidate and follows deps in declared order.
 */
export function findCycle(candidates: readonly string[], deps: (node: string) => readonly string[]): string[] {
  const inScope = new Set(candidates);
  const state = new Map<string, 'open' | 'closed'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    path.push(node);
    for (const dep of deps(node)) {
      if (!inScope.has(dep)) continue;
      if (state.get(dep) === 'open') return [...path.slice(path.indexOf(dep)), dep];
      if (state.get(dep) === undefined) {
        const found = visit(dep);
        if (found !== undefined) return found;
      }
    }
    path.pop();
    state.set(node, 'closed');
    return undefined;
  };
  for (const start of candidates) {
    if (state.get(start) !== undefined) continue;
    const found = visit(start);
    if (found !== undefined) return found;
  }
  /* v8 ignore next 2 -- Kahn leaves nodes unplaced only when a cycle exists, so the search always finds one. */
  return [];
}

/** `a → b → c → a`, the form every cycle error shows. */
export function formatChain(chain: readonly string[]): string {
  return chain.join(' → ');
}
