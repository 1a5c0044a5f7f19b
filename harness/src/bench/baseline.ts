/**
 * Stored baselines, `benchmarks/baselines/<package>.json`: per task the
 * median, dispersion and runs of ns/op (bytes/op for a `unit: 'bytes'` task), plus the environment fingerprint
 * they were measured in. The runs themselves are kept so a later comparison
 * can use a rank test, not just two medians.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fingerprint } from './fingerprint.ts';
import { byCodeUnit } from './format.ts';
import { median, relativeMad } from './stats.ts';
import { unitField, type BenchUnit } from './suite.ts';

export interface PeerBaseline {
  median: number;
  dispersion: number;
}

export interface TaskBaseline {
  /** Median ns (or `unit`) per operation across runs. */
  median: number;
  /** Unit of median, runs and peers; absent = ns. */
  unit?: BenchUnit;
  /** Relative MAD (0.02 = ±2%). */
  dispersion: number;
  samples: number;
  runs: number[];
  peers?: Record<string, PeerBaseline>;
}

export interface BaselineFile {
  package: string;
  /** Commit the numbers were measured on (`+dirty` when the tree had changes). */
  commit: string;
  fingerprint: Fingerprint;
  settings: { rounds: number; time: number; warmupTime: number };
  tasks: Record<string, TaskBaseline>;
}

/** Four significant digits: enough for a 20% gate, and diffs stay readable. */
export function round4(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(4)) : value;
}

function finite(values: readonly number[]): number[] {
  return values.filter((v) => Number.isFinite(v));
}

/**
 * Summarises one task's runs (and its peers') into a baseline entry.
 * @example
 * taskBaseline([100, 102, 98], { 'node:crypto': [80, 81, 79] }).median; // 100
 * taskBaseline([141, 141], {}, 'bytes').unit; // 'bytes'
 */
export function taskBaseline(runs: readonly number[], peers: Record<string, readonly number[]> = {}, unit: BenchUnit = 'ns'): TaskBaseline {
  const ok = finite(runs);
  const entry: TaskBaseline = {
    median: round4(median(ok)),
    // Only when not ns: baselines of time tasks keep their exact bytes.
    ...unitField(unit),
    dispersion: round4(relativeMad(ok)),
    samples: ok.length,
    runs: ok.map(round4),
  };
  const peerEntries = Object.entries(peers).map(([label, values]): [string, PeerBaseline] => {
    const p = finite(values);
    return [label, { median: round4(median(p)), dispersion: round4(relativeMad(p)) }];
  });
  if (peerEntries.length > 0) entry.peers = Object.fromEntries(peerEntries.sort(([a], [b]) => byCodeUnit(a, b)));
  return entry;
}

function isBaselineFile(value: unknown): value is BaselineFile {
  const v = value as Partial<BaselineFile> | null;
  // typeof null is 'object': a null fingerprint would crash fingerprintDifferences() later.
  return typeof v === 'object' && v !== null && typeof v.package === 'string' && typeof v.commit === 'string'
    && typeof v.fingerprint === 'object' && v.fingerprint !== null && typeof v.tasks === 'object' && v.tasks !== null;
}

/**
 * The first task without finite runs. Without runs the gate has no base to
 * compare with and would list the task as new (uncompared, passing), while the
 * coverage check counts it as baselined: nothing would ever flag it.
 */
function taskWithoutRuns(file: BaselineFile): string | undefined {
  const ok = (t: unknown): boolean => {
    const runs = (t as Partial<TaskBaseline> | null)?.runs;
    return Array.isArray(runs) && runs.length > 0 && runs.every((r) => typeof r === 'number' && Number.isFinite(r));
  };
  return Object.entries(file.tasks).find(([, t]) => !ok(t))?.[0];
}

export interface BaselineSet {
  files: BaselineFile[];
  /** Files that could not be read, as human-readable problems. */
  problems: string[];
}

/**
 * Reads every `<package>.json` in the baselines directory (sorted by package).
 * @example
 * const { files, problems } = readBaselines('/repo/benchmarks/baselines');
 */
export function readBaselines(dir: string): BaselineSet {
  const out: BaselineSet = { files: [], problems: [] };
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      if (!isBaselineFile(parsed) || `${parsed.package}.json` !== name) {
        out.problems.push(`${name}: not a baseline file for package ${name.slice(0, -5)}`);
        continue;
      }
      const bad = taskWithoutRuns(parsed);
      if (bad === undefined) out.files.push(parsed);
      else out.problems.push(`${name}: task ${bad} has no runs to compare with`);
    } catch (error) {
      // JSON.parse and readFileSync throw Error instances.
      out.problems.push(`${name}: ${(error as Error).message}`);
    }
  }
  return out;
}

/** Writes one baseline file, tasks sorted by name so rewrites diff cleanly. */
export function writeBaseline(dir: string, file: BaselineFile): string {
  mkdirSync(dir, { recursive: true });
  const tasks = Object.fromEntries(Object.entries(file.tasks).sort(([a], [b]) => byCodeUnit(a, b)));
  const path = join(dir, `${file.package}.json`);
  writeFileSync(path, `${JSON.stringify({ ...file, tasks }, null, 2)}\n`);
  return path;
}
