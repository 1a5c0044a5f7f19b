/**
 * What the mutation gate asks Stryker to do for one workspace: which files to
 * mutate, which tests may kill them, the break threshold, and where the
 * committed incremental file and the reports live.
 */

export interface MutationTarget {
  /** Workspace short name (`vault`). */
  name: string;
  /** Workspace directory relative to the root (`packages/vault`). */
  dir: string;
}

export interface MutationPlan {
  target: MutationTarget;
  threshold: number;
  /** Path (relative to root) of the Stryker config the gate writes. */
  configFile: string;
  /** Path of the JSON report Stryker writes. */
  jsonReport: string;
  /** Stryker options, written as JSON. */
  options: Record<string, unknown>;
}

export const INCREMENTAL_DIR = '.stryker/incremental';
export const REPORT_DIR = 'reports/mutation';

/** Threshold for a workspace: its own entry, else `default`, else 80. */
export function thresholdFor(name: string, thresholds: Record<string, number> | undefined): number {
  // Own keys only: a workspace named `constructor` must not get Object.prototype's function as its floor.
  const own = (key: string): number | undefined => (thresholds !== undefined && Object.hasOwn(thresholds, key) ? thresholds[key] : undefined);
  return own(name) ?? own('default') ?? 80;
}

export interface PlanOptions {
  /**
   * Ignore static mutants (code that runs once, when a module loads): Stryker
   * cannot switch them per test, so each one re-runs every test of the
   * workspace. Ignored mutants stay in the report and leave the score.
   */
  ignoreStatic?: boolean;
}

/**
 * @example
 * planMutation({ name: 'vault', dir: 'packages/vault' }, { default: 80, vault: 90 });
 */
export function planMutation(target: MutationTarget, thresholds?: Record<string, number>, planOptions: PlanOptions = {}): MutationPlan {
  const threshold = thresholdFor(target.name, thresholds);
  const reportDir = `${REPORT_DIR}/${target.name}`;
  const jsonReport = `${reportDir}/mutation.json`;
  return {
    target,
    threshold,
    configFile: `${reportDir}/stryker.config.json`,
    jsonReport,
    options: {
      testRunner: 'vitest',
      plugins: ['@stryker-mutator/vitest-runner'],
      // `related`: only tests that import the mutated files run (vitest's module
      // graph), so a workspace's dry run does not cost the whole repository's
      // suite; `dir` cannot be used, the root config's include globs are rooted
      vitest: { configFile: 'vitest.config.ts', related: true },
      mutate: [
        `${target.dir}/src/**/*.ts`,
        `!${target.dir}/src/**/*.test.ts`,
        `!${target.dir}/src/**/__fixtures__/**`,
        `!${target.dir}/src/**/test-support/**`,
        `!${target.dir}/src/index.ts`,
        `!${target.dir}/src/**/*.d.ts`,
      ],
      // outputs other runs rewrite while this one copies the repository into its
      // sandbox (another workspace's report, a coverage run): a file that vanishes
      // mid-copy aborts Stryker with ENOENT, and no test reads them
      ignorePatterns: ['/reports', '/coverage'],
      // vitest strips types without checking them, so nothing needs Stryker's
      // `// @ts-nocheck` banner; left on, it shifts every line of the sandbox's
      // fixture files and drops their `// @ts-*` directives (tests that read a
      // fixture's lines or hash its text then fail only under Stryker)
      disableTypeChecks: false,
      coverageAnalysis: 'perTest',
      incremental: true,
      incrementalFile: `${INCREMENTAL_DIR}/${target.name}.json`,
      reporters: ['html', 'json', 'progress-append-only'],
      htmlReporter: { fileName: `${reportDir}/index.html` },
      jsonReporter: { fileName: jsonReport },
      thresholds: { high: Math.min(100, threshold + 10), low: threshold, break: threshold },
      concurrency: 2,
      timeoutMS: 10_000,
      // Stryker's default of 5 minutes for the initial run is too short for a
      // workspace whose related tests spawn processes on a busy 2-core machine
      dryRunTimeoutMinutes: 30,
      tempDirName: '.stryker-tmp',
      cleanTempDir: 'always',
      // only written when asked, so the other workspaces' configs stay as they were
      ...(planOptions.ignoreStatic === true ? { ignoreStatic: true } : {}),
    },
  };
}
