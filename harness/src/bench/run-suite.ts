/**
 * What one fresh benchmark process does: load a suite file, time the selected
 * tasks (and their peers) once, return nanoseconds (or, for a `unit: 'bytes'`
 * sample task, bytes) per operation. The parent
 * (measure.ts) repeats this in many processes and does the statistics.
 */
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { unitField, type BenchSuite, type BenchTask, type BenchUnit } from './suite.ts';

export interface RunOptions {
  /** Task names to run; all when empty. */
  tasks?: readonly string[];
  /** tinybench time budget per task and per peer, in ms. */
  time: number;
  warmupTime: number;
  /**
   * Time the peers before the task (in reverse order). Whatever runs first in
   * a process meets a colder JIT and CPU caches, so measure.ts alternates this
   * by round (ABBA within the process, as it does across sides).
   */
  peersFirst?: boolean;
}

export interface TaskRun {
  name: string;
  /** Cost per operation, in ns unless `unit` says otherwise (task and peers alike). */
  nsPerOp: number;
  peers: Record<string, number>;
  /** Present only when not ns, so time results stay as they were. */
  unit?: Exclude<BenchUnit, 'ns'>;
}

export interface SuiteRun {
  package: string;
  tasks: TaskRun[];
  errors: Array<{ task: string; message: string }>;
}

export interface SuiteListing {
  package: string;
  tasks: Array<{ name: string; peers: string[] }>;
}

function isSuite(value: unknown): value is BenchSuite {
  const v = value as Partial<BenchSuite> | null;
  return typeof v === 'object' && v !== null && typeof v.package === 'string' && Array.isArray(v.tasks);
}

/**
 * Imports a `*.bench.ts` file and returns its default-exported suite.
 * @example
 * const suite = await loadSuite('/repo/benchmarks/vault/encrypt.bench.ts');
 */
export async function loadSuite(file: string): Promise<BenchSuite> {
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  if (!isSuite(mod.default)) {
    throw new TypeError(`${file} must default-export defineBenchSuite({ package, tasks })`);
  }
  return mod.default;
}

/** Task names and peer labels, without measuring anything. */
export function listSuite(suite: BenchSuite): SuiteListing {
  return { package: suite.package, tasks: suite.tasks.map((t) => ({ name: t.name, peers: Object.keys(t.peers ?? {}) })) };
}

async function timeFns(fns: Array<[string, () => unknown]>, options: RunOptions): Promise<Map<string, number>> {
  // Timer overhead subtracted, or a 50 ns task would hide a 25% change behind ~30 ns of performance.now().
  const bench = new Bench({ time: options.time, warmupTime: options.warmupTime, subtractTimerOverhead: true });
  for (const [label, fn] of fns) bench.add(label, fn);
  await bench.run();
  const out = new Map<string, number>();
  for (const task of bench.tasks) {
    const r = task.result;
    if (r.state === 'errored') throw r.error;
    /* v8 ignore next -- without an AbortSignal tinybench ends every task completed or errored */
    if (r.state !== 'completed') throw new Error(`${task.name} did not complete (${r.state})`);
    // Median iteration, not the mean: on a shared machine a few iterations
    // span a preemption by another process (milliseconds), which would swamp
    // the mean; the median of thousands of iterations does not see them.
    out.set(task.name, r.latency.p50 * 1e6);
  }
  return out;
}

async function sampleNs(label: string, sample: () => unknown, unit: BenchUnit): Promise<number> {
  const ns = await sample();
  if (typeof ns !== 'number' || !Number.isFinite(ns) || ns <= 0) {
    throw new TypeError(`${label}: sample() must resolve to a positive number of ${unit} per operation, got ${String(ns)}`);
  }
  return ns;
}

async function runTask(task: BenchTask, options: RunOptions): Promise<TaskRun> {
  const peers = Object.entries(task.peers ?? {});
  const inOrder = <T>(own: T, others: T[]): T[] => (options.peersFirst === true ? [...[...others].reverse(), own] : [own, ...others]);
  const unit = task.unit ?? 'ns';
  if (task.sample !== undefined) {
    const ns = new Map<string, number>();
    // For a sample task each peer is itself a sample function (same unit).
    const sampled: Array<[string, string, () => unknown]> = inOrder([task.name, task.name, task.sample], peers.map(([l, fn]) => [`peer:${l}`, `${task.name} peer ${l}`, fn]));
    for (const [key, label, fn] of sampled) ns.set(key, await sampleNs(label, fn, unit));
    const run: TaskRun = { name: task.name, nsPerOp: ns.get(task.name)!, peers: Object.fromEntries(peers.map(([l]) => [l, ns.get(`peer:${l}`)!])) };
    return { ...run, ...unitField(unit) };
  }
  if (task.fn === undefined) throw new TypeError(`${task.name}: give exactly one of fn or sample`);
  if (unit !== 'ns') throw new TypeError(`${task.name}: unit '${unit}' needs sample (fn is timed)`);
  const timed = await timeFns(inOrder<[string, () => unknown]>([task.name, task.fn], peers.map(([l, fn]) => [`peer:${l}`, fn])), options);
  // timeFns returns a value for every label it was given, or throws.
  const peerNs = Object.fromEntries(peers.map(([l]) => [l, timed.get(`peer:${l}`)!]));
  return { name: task.name, nsPerOp: timed.get(task.name)!, peers: peerNs };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the selected tasks once; a failing task is reported, the others still run.
 * @example
 * const run = await runSuite(await loadSuite(file), { time: 100, warmupTime: 30 });
 */
export async function runSuite(suite: BenchSuite, options: RunOptions): Promise<SuiteRun> {
  const wanted = options.tasks ?? [];
  const selected = suite.tasks.filter((t) => wanted.length === 0 || wanted.includes(t.name));
  const out: SuiteRun = { package: suite.package, tasks: [], errors: [] };
  await suite.setup?.();
  try {
    for (const task of selected) {
      try {
        await task.setup?.();
        out.tasks.push(await runTask(task, options));
      } catch (error) {
        out.errors.push({ task: task.name, message: messageOf(error) });
      }
      // Outside the catch above: a throwing teardown would otherwise crash the
      // process and lose every other task's result of this round.
      try {
        await task.teardown?.();
      } catch (error) {
        out.errors.push({ task: task.name, message: `teardown failed: ${messageOf(error)}` });
      }
    }
  } finally {
    await suite.teardown?.();
  }
  return out;
}
