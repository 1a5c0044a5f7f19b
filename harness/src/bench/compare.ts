/**
 * Two ways to get base and candidate samples for a set of tasks: side by
 * side (both measured now, interleaved, paired by round) or against stored
 * baseline runs (candidate measured now, unpaired). evaluate.ts drives either.
 */
import { join } from 'node:path';
import type { TaskBaseline } from './baseline.ts';
import { measure, mergeMeasurements, type Measurement, type Side } from './measure.ts';
import { unitField } from './suite.ts';
import type { TaskSamples } from './verdict.ts';

export interface Comparison {
  paired: boolean;
  samples: TaskSamples[];
  /** Tasks the candidate produced no result for (a failure). */
  missing: string[];
  /** Tasks with no base to compare with (new in the candidate). */
  unmatched: string[];
  errors: string[];
  rounds: number;
  wallMs: number;
}

export type Comparator = (tasks: readonly string[], rounds: number) => Promise<Comparison>;

/** Where one version of the code keeps its suites. */
export interface CodeVersion {
  id: string;
  /** The `benchmarks/` directory to load suite files from. */
  benchDir: string;
  cwd: string;
  env?: Record<string, string>;
}

export interface MeasureSettings {
  time: number;
  warmupTime: number;
  /** Wall-time budget (ms) for one measurement; rounds shrink to fit, never below `minRounds`. */
  budgetMs?: number;
  minRounds?: number;
  log?: (line: string) => void;
}

/** Suite file (relative to benchmarks/) of every known task. */
export type TaskFiles = ReadonlyMap<string, string>;

function sidesFor(versions: readonly CodeVersion[], tasks: readonly string[], files: TaskFiles): Side[] {
  const rel = [...new Set(tasks.map((t) => files.get(t)).filter((f): f is string => f !== undefined))].sort();
  return versions.map((v) => ({ id: v.id, cwd: v.cwd, files: rel.map((f) => join(v.benchDir, f)), ...(v.env ? { env: v.env } : {}) }));
}

/** Runs `rounds` rounds, or fewer when the first round shows the budget cannot hold them. */
async function measureRounds(sides: Side[], tasks: readonly string[], rounds: number, s: MeasureSettings): Promise<Measurement> {
  const base = { time: s.time, warmupTime: s.warmupTime, tasks, ...(s.log ? { log: s.log } : {}) };
  if (s.budgetMs === undefined || rounds <= 1) return measure(sides, { ...base, rounds });
  const first = await measure(sides, { ...base, rounds: 1 });
  const fit = Math.floor(s.budgetMs / Math.max(1, first.wallMs));
  const total = Math.max(Math.min(rounds, fit), Math.min(rounds, s.minRounds ?? 8));
  if (total < rounds) s.log?.(`  budget: ${total} rounds instead of ${rounds} (one round takes ${Math.round(first.wallMs)} ms)`);
  const rest = await measure(sides, { ...base, rounds: total - 1, startRound: 1 });
  return mergeMeasurements(first, rest);
}

function finitePairs(base: readonly number[], candidate: readonly number[]): { base: number[]; candidate: number[] } {
  const keep = base.map((b, i) => Number.isFinite(b) && Number.isFinite(candidate[i]));
  return { base: base.filter((_, i) => keep[i]), candidate: candidate.filter((_, i) => keep[i]) };
}

function dedupe(errors: readonly string[]): string[] {
  return [...new Set(errors)];
}

/**
 * Base and candidate measured now, interleaved; samples paired by round.
 * @example
 * const compare = sideBySide(base, candidate, files, { time: 100, warmupTime: 30 });
 * const { samples } = await compare(['vault/encrypt/1KiB'], 12);
 */
export function sideBySide(base: CodeVersion, candidate: CodeVersion, files: TaskFiles, settings: MeasureSettings): Comparator {
  return async (tasks, rounds) => {
    const m = await measureRounds(sidesFor([base, candidate], tasks, files), tasks, rounds, settings);
    const out: Comparison = { paired: true, samples: [], missing: [], unmatched: [], errors: dedupe(m.errors), rounds: m.rounds, wallMs: m.wallMs };
    for (const task of tasks) {
      const c = m.samples[candidate.id]?.[task]?.filter(Number.isFinite) ?? [];
      if (c.length === 0) { out.missing.push(task); continue; }
      const pairs = finitePairs(m.samples[base.id]?.[task] ?? [], m.samples[candidate.id]?.[task] ?? []);
      // A task that measures something else under the same name has nothing to compare with, like a new one.
      const sameUnit = (m.units[base.id]?.[task] ?? 'ns') === (m.units[candidate.id]?.[task] ?? 'ns');
      if (pairs.base.length === 0 || !sameUnit) out.unmatched.push(task);
      else out.samples.push({ task, ...pairs, ...unitField(m.units[candidate.id]?.[task]) });
    }
    return out;
  };
}

/**
 * Candidate measured now; base = the runs stored in the baseline files.
 * @example
 * const compare = againstBaseline(candidate, baselineTasks, files, { time: 100, warmupTime: 30 });
 */
export function againstBaseline(
  candidate: CodeVersion, stored: ReadonlyMap<string, TaskBaseline>, files: TaskFiles, settings: MeasureSettings,
): Comparator {
  return async (tasks, rounds) => {
    const m = await measureRounds(sidesFor([candidate], tasks, files), tasks, rounds, settings);
    const out: Comparison = { paired: false, samples: [], missing: [], unmatched: [], errors: dedupe(m.errors), rounds: m.rounds, wallMs: m.wallMs };
    for (const task of tasks) {
      const c = m.samples[candidate.id]?.[task]?.filter(Number.isFinite) ?? [];
      const b = stored.get(task)?.runs ?? [];
      const was = stored.get(task)?.unit ?? 'ns';
      const now = m.units[candidate.id]?.[task] ?? 'ns';
      if (c.length === 0) out.missing.push(task);
      else if (b.length === 0) out.unmatched.push(task);
      // Bytes judged against stored nanoseconds would pass or fail by accident, and the stale baseline would stay.
      else if (was !== now) out.errors.push(`${task}: measures ${now} per operation, its baseline holds ${was}: run npm run bench -- --update`);
      else out.samples.push({ task, base: b, candidate: c, ...unitField(now) });
    }
    return out;
  };
}
