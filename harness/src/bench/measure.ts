/**
 * Many short runs in fresh processes, base and candidate interleaved. Each
 * round runs every suite file once per side, alternating which side goes
 * first (ABBA), so slow drift of the machine's load hits both sides equally
 * and round i of one side can be paired with round i of the other.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SuiteListing, SuiteRun } from './run-suite.ts';
import type { BenchUnit } from './suite.ts';

/** One version of the code: its suite files and how to run them. */
export interface Side {
  id: string;
  /** Absolute paths of `*.bench.ts` files. */
  files: readonly string[];
  cwd: string;
  env?: Record<string, string>;
}

export interface MeasureOptions {
  rounds: number;
  /** tinybench time per task per run (ms). */
  time: number;
  warmupTime: number;
  /** Only these task names (all when absent). */
  tasks?: readonly string[];
  /** Kill a run that takes longer (ms). */
  timeout?: number;
  /** Index of the first round, so a continued measurement keeps alternating ABBA. */
  startRound?: number;
  log?: (line: string) => void;
}

/** samples[side][task] = ns/op (or bytes/op, see `units`) per round (NaN where that run failed). */
export interface Measurement {
  rounds: number;
  samples: Record<string, Record<string, number[]>>;
  peers: Record<string, Record<string, Record<string, number[]>>>;
  /** units[side][task], for tasks whose runs reported a unit other than ns. */
  units: Record<string, Record<string, BenchUnit>>;
  errors: string[];
  wallMs: number;
}

const runnerFile = fileURLToPath(new URL(`./runner${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

interface ChildOutcome { code: number | null; stderr: string }

function runChild(args: readonly string[], cwd: string, env: Record<string, string> | undefined, timeout: number): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [runnerFile, ...args], {
      cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], timeout,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
    child.on('error', (error) => resolve({ code: -1, stderr: error.message }));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The error line of a crashed child (not the stack frames after it). */
export function reasonOf(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.find((l) => /^\w*(Error|Exception)\b/.test(l)) ?? lines.slice(-3).join(' | ');
}

/** Runs one suite file in a fresh process and returns its JSON answer. */
export async function runOnce<T extends SuiteRun | SuiteListing>(
  side: Side, file: string, args: readonly string[], timeout = 300_000,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-'));
  const out = join(dir, 'result.json');
  try {
    const { code, stderr } = await runChild(['--file', file, '--out', out, ...args], side.cwd, side.env, timeout);
    if (code !== 0) throw new Error(`${side.id}: ${file} exited with ${String(code)}: ${reasonOf(stderr)}`);
    return JSON.parse(readFileSync(out, 'utf8')) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Lists the tasks of one suite file (in a fresh process, like a measurement).
 * @example
 * const { tasks } = await listTasks(side, file);
 */
export function listTasks(side: Side, file: string): Promise<SuiteListing> {
  return runOnce<SuiteListing>(side, file, ['--list']);
}

function record(m: Measurement, side: string, run: SuiteRun, round: number): void {
  const bySide = (m.samples[side] ??= {});
  const peersBySide = (m.peers[side] ??= {});
  for (const t of run.tasks) {
    if (t.unit !== undefined) (m.units[side] ??= {})[t.name] = t.unit;
    (bySide[t.name] ??= new Array<number>(m.rounds).fill(Number.NaN))[round] = t.nsPerOp;
    const taskPeers = (peersBySide[t.name] ??= {});
    for (const [label, ns] of Object.entries(t.peers)) {
      (taskPeers[label] ??= new Array<number>(m.rounds).fill(Number.NaN))[round] = ns;
    }
  }
  for (const e of run.errors) m.errors.push(`${side}: ${e.task} failed: ${e.message}`);
}

/**
 * Arguments of one fresh process. Odd rounds time each task's peers before
 * the task, so neither is always the one that meets a cold JIT.
 * @example
 * runArgs({ rounds: 2, time: 60, warmupTime: 20 }, 1); // [..., '--peers-first']
 */
export function runArgs(options: MeasureOptions, round: number): string[] {
  const args = ['--time', String(options.time), '--warmup', String(options.warmupTime)];
  for (const t of options.tasks ?? []) args.push('--task', t);
  if ((round + (options.startRound ?? 0)) % 2 === 1) args.push('--peers-first');
  return args;
}

/**
 * Appends the rounds of `b` after those of `a` (same sides), e.g. an
 * extension run for tasks too noisy to judge the first time.
 * @example
 * const pooled = mergeMeasurements(first, extension);
 */
export function mergeMeasurements(a: Measurement, b: Measurement): Measurement {
  const pad = (values: number[] | undefined, n: number): number[] => values ?? new Array<number>(n).fill(Number.NaN);
  const merge = <T>(x: Record<string, T>, y: Record<string, T>, join: (p: T | undefined, q: T | undefined) => T): Record<string, T> =>
    Object.fromEntries([...new Set([...Object.keys(x), ...Object.keys(y)])].sort().map((k) => [k, join(x[k], y[k])]));
  const series = (p: number[] | undefined, q: number[] | undefined): number[] => [...pad(p, a.rounds), ...pad(q, b.rounds)];
  const bySide = (p: Record<string, number[]> | undefined, q: Record<string, number[]> | undefined) => merge(p ?? {}, q ?? {}, series);
  return {
    rounds: a.rounds + b.rounds,
    samples: merge(a.samples, b.samples, bySide),
    peers: merge(a.peers, b.peers, (p, q) => merge(p ?? {}, q ?? {}, (r, s) => bySide(r, s))),
    units: merge(a.units, b.units, (p, q) => ({ ...p, ...q })),
    errors: [...a.errors, ...b.errors],
    wallMs: a.wallMs + b.wallMs,
  };
}

/**
 * Measures every side `rounds` times, interleaved.
 * @example
 * const m = await measure([base, candidate], { rounds: 10, time: 60, warmupTime: 20 });
 * m.samples.candidate?.['vault/encrypt/1KiB']; // 10 ns/op values
 */
export async function measure(sides: readonly Side[], options: MeasureOptions): Promise<Measurement> {
  const started = performance.now();
  const m: Measurement = { rounds: options.rounds, samples: {}, peers: {}, units: {}, errors: [], wallMs: 0 };
  const fileCount = sides[0]?.files.length ?? 0;
  if (sides.some((s) => s.files.length !== fileCount)) throw new RangeError('every side must run the same suite files');
  for (let round = 0; round < options.rounds; round++) {
    const order = (round + (options.startRound ?? 0)) % 2 === 0 ? sides : [...sides].reverse();
    const args = runArgs(options, round);
    for (let f = 0; f < fileCount; f++) {
      for (const side of order) {
        const file = side.files[f]!;
        try {
          record(m, side.id, await runOnce<SuiteRun>(side, file, args, options.timeout), round);
        } catch (error) {
          // runOnce rejects with Error instances only.
          m.errors.push((error as Error).message);
        }
      }
    }
    options.log?.(`  round ${round + 1}/${options.rounds} done`);
  }
  m.wallMs = performance.now() - started;
  return m;
}
