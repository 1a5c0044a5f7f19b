/**
 * Everything checked before the first hook runs (FR-002, FR-003, FR-033):
 * required modules exist, the dependency graph has no cycle, and the start
 * order is fixed; then the provider graph is checked against that order and
 * the container learns which request-scoped services are tenant-bound.
 */
import type { Container } from './container.ts';
import { checkProviderGraph } from './container-checks.ts';
import { coreError } from './errors.ts';
import { formatChain, topologicalOrder } from './graph.ts';
import type { RegisteredModule } from './module-validate.ts';
import { closeNames } from './suggest.ts';
import { tenantBoundRecords } from './tenant-bound.ts';

/** The modules a module starts after: its requires and its optionalRequires that are present. */
export function dependenciesOf(module: RegisteredModule, present: ReadonlySet<string>): string[] {
  const def = module.definition;
  return [...(def.requires ?? []), ...(def.optionalRequires ?? []).filter((n) => present.has(n))];
}

function checkRequired(modules: readonly RegisteredModule[], present: ReadonlySet<string>): void {
  for (const module of modules) {
    for (const wanted of module.definition.requires ?? []) {
      if (present.has(wanted)) continue;
      const suggestions = closeNames(wanted, present);
      const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
      throw coreError('CORE_ERR_MISSING_MODULE', `Module '${module.definition.name}' requires module '${wanted}', which is not registered.${hint}`, {
        details: { module: module.definition.name, missing: wanted, suggestions },
      });
    }
  }
}

/** Transitive dependency closure, for "may module a inject services of module b". */
function closure(modules: readonly RegisteredModule[], present: ReadonlySet<string>): Map<string, Set<string>> {
  const direct = new Map(modules.map((m) => [m.definition.name, dependenciesOf(m, present)]));
  const result = new Map<string, Set<string>>();
  const reach = (name: string): Set<string> => {
    const known = result.get(name);
    if (known !== undefined) return known;
    const set = new Set<string>();
    result.set(name, set);
    for (const dep of direct.get(name) as string[]) {
      set.add(dep);
      for (const further of reach(dep)) set.add(further);
    }
    return set;
  };
  for (const name of direct.keys()) reach(name);
  return result;
}

/** Validates the whole application, tells the container its tenant-bound services, returns the start order (module names). */
export function planStart(modules: readonly RegisteredModule[], container: Container): string[] {
  const present = new Set(modules.map((m) => m.definition.name));
  checkRequired(modules, present);
  const byName = new Map(modules.map((m) => [m.definition.name, m]));
  const sorted = topologicalOrder(
    modules.map((m) => m.definition.name),
    (name) => dependenciesOf(byName.get(name) as RegisteredModule, present),
  );
  if (!sorted.ok) {
    throw coreError('CORE_ERR_CYCLE', `Circular module dependency: ${formatChain(sorted.cycle)}`, { details: { chain: sorted.cycle } });
  }
  const reach = closure(modules, present);
  const graph = checkProviderGraph(container, (from, to) => reach.get(from)?.has(to) === true);
  container.bindToTenants(tenantBoundRecords(graph));
  return sorted.order;
}
