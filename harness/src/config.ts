/**
 * Shape of `harness.config.ts`, the file a repository uses to declare its gates,
 * their order and their thresholds.
 */
import type { Gate } from './gate.ts';

export interface CoverageThresholds {
  /** Floor for lines, branches, functions and statements, globally and per workspace. */
  floor: number;
  /** Stricter floors for named workspaces (key = workspace short name, e.g. `vault`). */
  workspaces?: Record<string, number>;
}

export interface HarnessConfig {
  /** Gate names (or gate objects) in the order they run. */
  gates: Array<string | Gate>;
  thresholds: {
    coverage: CoverageThresholds;
    /** Mutation score floors per workspace short name; `default` applies to the rest. */
    mutation?: Record<string, number> & { default?: number };
    /** Benchmark regression that fails the gate, as a fraction (0.2 = 20%). */
    benchRegression?: number;
  };
  /** Free-form options per gate name. */
  gateOptions?: Record<string, Record<string, unknown>>;
}

/**
 * Identity helper that gives `harness.config.ts` its types.
 * @example
 * export default defineConfig({ gates: ['typecheck', 'test'], thresholds: { coverage: { floor: 95 } } });
 */
export function defineConfig(config: HarnessConfig): HarnessConfig {
  return config;
}
