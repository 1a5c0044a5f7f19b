/**
 * Proof that the gate neither cries wolf nor sleeps through a regression:
 * runs the gate's own decision procedure (evaluate + sideBySide) on a
 * workload whose cost is set by a parameter, many times, and counts verdicts.
 */
import { fileURLToPath } from 'node:url';
import { sideBySide, type CodeVersion, type MeasureSettings } from './compare.ts';
import { evaluate, type Evaluation } from './evaluate.ts';
import type { Verdict } from './verdict.ts';

export const CALIBRATION_TARGET = 'calibration/target';
export const CALIBRATION_STEADY = 'calibration/steady';

export interface CalibrationOptions {
  /** Injected slowdown of the target task, as a fraction (0.25 = 25% more work). */
  slowdown: number;
  /** Repeated gate runs. */
  runs: number;
  rounds: number;
  time: number;
  warmupTime: number;
  threshold?: number;
  /** Multiplies the workload's size (smaller = faster calibration, noisier tasks). */
  scale?: number;
  /** Judge only these calibration tasks (default: target and steady). */
  tasks?: readonly string[];
  log?: (line: string) => void;
}

export interface CalibrationResult {
  slowdown: number;
  runs: number;
  /** Gate runs that failed (a regression was confirmed on any task). */
  gateFailures: number;
  /** Verdict counts of the target and the steady task. */
  target: Partial<Record<Verdict, number>>;
  steady: Partial<Record<Verdict, number>>;
  /** Median ratio of the target task across runs. */
  ratios: number[];
  wallMs: number[];
  /** Verdict and ratio of the target in the latest run, for progress lines. */
  lastTarget?: string;
}

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));

function versions(slowdown: number, scale: number): [CodeVersion, CodeVersion] {
  const env = (s: number) => ({ RAMPART_CALIBRATION_SLOWDOWN: String(s), RAMPART_CALIBRATION_SCALE: String(scale) });
  return [
    { id: 'base', benchDir: fixtures, cwd: fixtures, env: env(0) },
    { id: 'candidate', benchDir: fixtures, cwd: fixtures, env: env(slowdown) },
  ];
}

function count(into: Partial<Record<Verdict, number>>, verdict: Verdict | undefined): void {
  if (verdict !== undefined) into[verdict] = (into[verdict] ?? 0) + 1;
}

/**
 * Adds one gate run to the result; a run with errors or missing results
 * stops the calibration (its figures would be meaningless).
 */
export function tally(result: CalibrationResult, e: Evaluation, wallMs: number): void {
  if (e.errors.length > 0 || e.missing.length > 0) throw new Error(`calibration run failed: ${[...e.errors, ...e.missing].join('; ')}`);
  const target = e.judgements.find((j) => j.task === CALIBRATION_TARGET);
  count(result.target, target?.verdict);
  count(result.steady, e.judgements.find((j) => j.task === CALIBRATION_STEADY)?.verdict);
  result.ratios.push(target?.ratio ?? Number.NaN);
  result.wallMs.push(wallMs);
  result.lastTarget = target ? `${target.verdict} ${target.ratio.toFixed(3)}` : 'not judged';
  if (e.judgements.some((j) => j.verdict === 'regressed')) result.gateFailures++;
}

/**
 * @example
 * const r = await calibrate({ slowdown: 0.25, runs: 20, rounds: 10, time: 50, warmupTime: 20 });
 * console.log(`${r.gateFailures}/${r.runs} detected`);
 */
export async function calibrate(options: CalibrationOptions): Promise<CalibrationResult> {
  const o = { scale: 1, threshold: 0.2, tasks: [CALIBRATION_TARGET, CALIBRATION_STEADY], ...options };
  const [base, candidate] = versions(o.slowdown, o.scale);
  const files = new Map([[CALIBRATION_TARGET, 'calibration.bench.ts'], [CALIBRATION_STEADY, 'calibration.bench.ts']]);
  const settings: MeasureSettings = { time: options.time, warmupTime: options.warmupTime };
  const compare = sideBySide(base, candidate, files, settings);
  const result: CalibrationResult = { slowdown: options.slowdown, runs: options.runs, gateFailures: 0, target: {}, steady: {}, ratios: [], wallMs: [] };
  for (let run = 0; run < options.runs; run++) {
    const started = performance.now();
    const e = await evaluate(o.tasks, compare, compare, { threshold: o.threshold, rounds: o.rounds });
    tally(result, e, performance.now() - started);
    options.log?.(`  slowdown ${o.slowdown}: run ${run + 1}/${o.runs} target ${String(result.lastTarget)}`);
  }
  return result;
}
