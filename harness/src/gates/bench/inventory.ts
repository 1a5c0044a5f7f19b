/**
 * What there is to measure: suite files, their tasks (listed in a fresh
 * process, exactly as they will be run), and the selection made by
 * `--package` / `--filter`. Naming mistakes are problems, not surprises later.
 */
import { HarnessError } from '../../errors.ts';
import { selectTasks, type SuiteFile } from '../../bench/discover.ts';
import { listTasks } from '../../bench/measure.ts';

export interface Inventory {
  suites: readonly SuiteFile[];
  /** Every task of the discovered suites (before --filter), by name → package. */
  all: Map<string, string>;
  /** Selected task names. */
  tasks: string[];
  /** Suite file (relative to benchmarks/) per task. */
  files: Map<string, string>;
  problems: string[];
}

const TASK_NAME = /^[a-z0-9-]+\/[A-Za-z0-9._:-]+(\/[A-Za-z0-9._:-]+)*$/;

/**
 * The suites `--package` selects (all without it), from the one list of
 * suites the gate finds. A mistyped --package must not shrink the run to the
 * names that do exist, silently: it is a usage error.
 * @example
 * selectSuites(findSuites('/repo/benchmarks'), ['vault']); // the suites under benchmarks/vault/
 */
export function selectSuites(suites: readonly SuiteFile[], packages: readonly string[]): readonly SuiteFile[] {
  const known = new Set(suites.map((suite) => suite.package));
  const unknown = packages.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new HarnessError('HARNESS_ERR_USAGE', `bench: --package ${unknown.join(', ')}: no benchmarks/<name>/*.bench.ts (packages with suites: ${[...known].join(', ') || 'none'})`);
  }
  return packages.length === 0 ? suites : suites.filter((suite) => packages.includes(suite.package));
}

/**
 * Lists the tasks of `suites` (found once by the gate with findSuites, already
 * narrowed to --package) and selects them with `filters`.
 * @example
 * const inv = await takeInventory('/repo', findSuites('/repo/benchmarks', ['vault']), []);
 */
export async function takeInventory(root: string, suites: readonly SuiteFile[], filters: readonly string[]): Promise<Inventory> {
  const inv: Inventory = { suites, all: new Map(), tasks: [], files: new Map(), problems: [] };
  for (const suite of inv.suites) {
    try {
      const listing = await listTasks({ id: 'candidate', cwd: root, files: [] }, suite.path);
      if (listing.package !== suite.package) inv.problems.push(`${suite.relative}: suite says package "${listing.package}", its directory says "${suite.package}"`);
      for (const { name } of listing.tasks) {
        if (!TASK_NAME.test(name) || !name.startsWith(`${suite.package}/`)) inv.problems.push(`${suite.relative}: task "${name}" must be named ${suite.package}/<operation>[/<size>]`);
        const other = inv.files.get(name);
        if (other !== undefined) inv.problems.push(`${suite.relative}: task "${name}" is also defined in ${other}`);
        inv.files.set(name, suite.relative);
        inv.all.set(name, suite.package);
      }
    } catch (error) {
      // listTasks rejects with Error instances only.
      inv.problems.push(`${suite.relative}: cannot be loaded: ${(error as Error).message}`);
    }
  }
  inv.tasks = selectTasks([...inv.all.keys()].sort(), filters);
  return inv;
}
