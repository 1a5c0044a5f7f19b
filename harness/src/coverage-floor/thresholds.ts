/**
 * Turns the coverage floors of harness.config.ts into vitest's
 * `coverage.thresholds`: one global floor plus one glob per workspace
 * (`<dir>/src/**`), so a well-tested package cannot hide an untested one.
 */
import type { CoverageThresholds } from '../config.ts';
import type { Workspace } from '../workspaces.ts';
import type { Metric } from './metrics.ts';

/** The floor that applies to one workspace's `src/`. */
export interface WorkspaceFloor {
  name: string;
  dir: string;
  /** Minimum percentage for lines, branches, functions and statements. */
  floor: number;
}

export type MetricFloors = Record<Metric, number>;

/**
 * The floor of each workspace: its stricter value from the config, else the global floor.
 * @example
 * coverageFloors({ floor: 95, workspaces: { vault: 100 } }, [{ name: 'vault', dir: 'packages/vault' }]);
 * // [{ name: 'vault', dir: 'packages/vault', floor: 100 }]
 */
export function coverageFloors(config: CoverageThresholds, list: readonly Workspace[]): WorkspaceFloor[] {
  const stricter = config.workspaces ?? {};
  // A per-workspace entry may only raise the floor: one below the global floor is ignored, so the
  // config cannot quietly lower the bar for one package (the rule is "never a lowered threshold").
  // Own keys only: a workspace named `constructor` would otherwise get Object.prototype's function, and a NaN floor.
  const own = (name: string) => (Object.hasOwn(stricter, name) ? stricter[name] : undefined);
  return list.map((ws) => ({ name: ws.name, dir: ws.dir, floor: Math.max(own(ws.name) ?? config.floor, config.floor) }));
}

/**
 * vitest `coverage.thresholds`: the global floor and one `<dir>/src/**` glob per workspace.
 * @example
 * coverageThresholds({ floor: 95 }, [{ name: 'core', dir: 'packages/core' }]);
 * // { lines: 95, branches: 95, functions: 95, statements: 95,
 * //   'packages/core/src/**': { lines: 95, branches: 95, functions: 95, statements: 95 } }
 */
export function coverageThresholds(
  config: CoverageThresholds,
  list: readonly Workspace[],
): MetricFloors & Record<string, number | MetricFloors> {
  const globs = Object.fromEntries(
    coverageFloors(config, list).map((ws) => [`${ws.dir}/src/**`, metricFloors(ws.floor)]),
  );
  return { ...metricFloors(config.floor), ...globs };
}

/** The same floor for the four metrics. */
export function metricFloors(pct: number): MetricFloors {
  return { lines: pct, branches: pct, functions: pct, statements: pct };
}
