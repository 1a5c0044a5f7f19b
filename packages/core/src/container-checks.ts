/**
 * Bootstrap checks of the provider graph, run before any module starts:
 * every non-optional dependency exists and is unambiguous, a module injects
 * only services of modules it depends on, no injection cycle, no scope leak.
 */
import { describe } from './container-errors.ts';
import { coreError } from './errors.ts';
import { formatChain, topologicalOrder } from './graph.ts';
import type { ProviderRecord } from './provider.ts';
import type { ProviderRegistry } from './provider-registry.ts';
import { LIFETIME } from './scope.ts';
import type { ProviderGraph } from './tenant-bound.ts';

/** `true` when module `from` may inject services of module `to` (it depends on it, transitively). */
export type Visibility = (from: string, to: string) => boolean;

/** The providers each record injects (for `all()` deps, every candidate). */
function edges(registry: ProviderRegistry, visible: Visibility): Map<ProviderRecord, ProviderRecord[]> {
  const out = new Map<ProviderRecord, ProviderRecord[]>();
  for (const rec of registry.records()) {
    const requester = `Service ${describe(rec)}`;
    const targets: ProviderRecord[] = [];
    for (const dep of rec.deps) {
      const found = registry.candidates(dep.token);
      if (dep.all) targets.push(...found);
      else if (!(dep.optional && found.length === 0)) targets.push(registry.select(dep.token, dep.name, requester));
    }
    for (const target of targets) checkVisible(rec, target, visible);
    out.set(rec, targets);
  }
  return out;
}

function checkVisible(rec: ProviderRecord, target: ProviderRecord, visible: Visibility): void {
  if (rec.module === undefined || target.module === undefined || rec.module === target.module) return;
  if (visible(rec.module, target.module)) return;
  throw coreError(
    'CORE_ERR_UNDECLARED_DEPENDENCY',
    `Service ${describe(rec)} injects ${describe(target)}, but module '${rec.module}' does not depend on module '${target.module}'; add '${target.module}' to its requires (or optional) so it starts first`,
    { details: { requester: rec.keyName, module: rec.module, token: target.keyName, provider: target.module } },
  );
}

function checkCycles(graph: Map<ProviderRecord, ProviderRecord[]>): void {
  const records = [...graph.keys()];
  const ids = new Map(records.map((r, i) => [r, String(i)]));
  const byId = new Map(records.map((r, i) => [String(i), r]));
  const result = topologicalOrder([...ids.values()], (id) => (graph.get(byId.get(id) as ProviderRecord) as ProviderRecord[]).map((t) => ids.get(t) as string));
  if (result.ok) return;
  const chain = result.cycle.map((id) => (byId.get(id) as ProviderRecord).keyName);
  throw coreError('CORE_ERR_PROVIDER_CYCLE', `Services inject each other in a circle: ${formatChain(chain)}`, { details: { chain } });
}

/** The record that bounds `rec`'s lifetime: itself, or for transients the shortest-lived thing they inject. */
function limiting(rec: ProviderRecord, graph: Map<ProviderRecord, ProviderRecord[]>, memo: Map<ProviderRecord, ProviderRecord | undefined>): ProviderRecord | undefined {
  if (memo.has(rec)) return memo.get(rec);
  let result: ProviderRecord | undefined;
  if (rec.scope !== 'transient') result = rec;
  else {
    for (const target of graph.get(rec) as ProviderRecord[]) {
      const limit = limiting(target, graph, memo);
      if (limit !== undefined && (result === undefined || lifetime(limit) < lifetime(result))) result = limit;
    }
  }
  memo.set(rec, result);
  return result;
}

/** Lifetime of a non-transient record (callers pass only those). */
function lifetime(rec: ProviderRecord): number {
  return LIFETIME[rec.scope as Exclude<ProviderRecord['scope'], 'transient'>];
}

function checkScopes(graph: Map<ProviderRecord, ProviderRecord[]>): void {
  const memo = new Map<ProviderRecord, ProviderRecord | undefined>();
  for (const [rec, targets] of graph) {
    if (rec.scope === 'transient') continue;
    for (const target of targets) {
      const limit = limiting(target, graph, memo);
      if (limit === undefined || lifetime(limit) >= lifetime(rec)) continue;
      const via = limit === target ? '' : ` (through transient ${describe(target)})`;
      throw coreError(
        'CORE_ERR_SCOPE_LEAK',
        `Scope leak: ${rec.scope} service ${describe(rec)} injects ${limit.scope} service ${describe(limit)}${via}; the ${rec.scope} instance would keep one ${limit.scope}'s instance. Make ${describe(rec)} ${limit.scope}-scoped (or shorter), or resolve the dependency per call.`,
        { details: { service: rec.keyName, scope: rec.scope, dependency: limit.keyName, dependencyScope: limit.scope } },
      );
    }
  }
}

/** Runs every check; throws the first problem as a typed error, else returns the (acyclic) graph. */
export function checkProviderGraph(registry: ProviderRegistry, visible: Visibility): ProviderGraph {
  const graph = edges(registry, visible);
  checkCycles(graph);
  checkScopes(graph);
  return graph;
}
