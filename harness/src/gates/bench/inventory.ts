/**
 * What there is to measure: suite files, their tasks (listed in a fresh
 * process, exactly as they will be run), and the selection made by
 * `--package` / `--filter`. Naming mistakes are problems, not surprises later.
 */
import { join } from 'node:path';
import { findSuites, selectTasks, type SuiteFile } from '../../bench/discover.ts';
import { listTasks } from '../../bench/measure.ts';

export interface Inventory {
  suites: SuiteFile[];
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
 * @example
 * const inv = await takeInventory('/repo', ['vault'], []);
 */
export async function takeInventory(root: string, packages: readonly string[], filters: readonly string[]): Promise<Inventory> {
  const benchDir = join(root, 'benchmarks');
  const inv: Inventory = { suites: findSuites(benchDir, packages), all: new Map(), tasks: [], files: new Map(), problems: [] };
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
