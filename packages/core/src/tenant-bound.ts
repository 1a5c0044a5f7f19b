/**
 * Which request-scoped services are tenant-bound: their static dependency
 * closure (inject lists, through providers of any scope) reaches a
 * tenant-scoped provider. `runInTenant` inside a request keeps the request's
 * instances, so such a service must be cached per (request, tenant): shared by
 * provider alone, one tenant's instance would be served to another.
 */
import type { ProviderRecord } from './provider.ts';

/** Each provider and the providers it injects (for `all()` deps, every candidate); acyclic. */
export type ProviderGraph = ReadonlyMap<ProviderRecord, readonly ProviderRecord[]>;

/** The request-scoped records of `graph` that reach a tenant-scoped one. */
export function tenantBoundRecords(graph: ProviderGraph): ReadonlySet<ProviderRecord> {
  const memo = new Map<ProviderRecord, boolean>();
  const reaches = (rec: ProviderRecord): boolean => {
    const known = memo.get(rec);
    if (known !== undefined) return known;
    // Every record is a key of the graph, and the graph passed the cycle check, so this recursion ends.
    const result = rec.scope === 'tenant' || (graph.get(rec) as readonly ProviderRecord[]).some(reaches);
    memo.set(rec, result);
    return result;
  };
  const bound = new Set<ProviderRecord>();
  for (const rec of graph.keys()) if (rec.scope === 'request' && reaches(rec)) bound.add(rec);
  return bound;
}
