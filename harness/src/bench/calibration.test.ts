import { describe, expect, it } from 'vitest';
import { calibrate, CALIBRATION_STEADY, CALIBRATION_TARGET, tally, type CalibrationResult } from './calibration.ts';
import type { Evaluation } from './evaluate.ts';
import type { TaskJudgement } from './verdict.ts';

// The fast calibration: one gate run (screen + confirmation re-run, 24 fresh
// processes) on the parameterised workload with a large injected slowdown.
// 20 ms per run, 10 ms warm-up: shorter runs on a loaded machine can end
// before V8's background compiler has tiered the loop up, and the median then
// mixes tiers (seen here: 5 ms runs under load 24 gave 3 of 8 rounds at ~1×). The full one (20+ runs, 25%, a sweep) is
// `npm run bench:calibrate`; its figures are in benchmarks/README.md.
describe('calibration (fast)', () => {
  it('flags a task slowed by 60% as regressed, confirmed by a re-run', async () => {
    const logs: string[] = [];
    const r = await calibrate({ slowdown: 0.6, runs: 1, rounds: 8, time: 20, warmupTime: 10, scale: 0.25, tasks: [CALIBRATION_TARGET], log: (l) => logs.push(l) });
    expect(r.target).toEqual({ regressed: 1 });
    expect(r.steady).toEqual({});
    expect(r.gateFailures).toBe(1);
    expect(r.ratios[0]).toBeGreaterThan(1.4);
    expect(r.ratios[0]).toBeLessThan(1.8);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^ {2}slowdown 0\.6: run 1\/1 target regressed 1\.\d{3}$/);
  }, 120_000);
});

describe('tally', () => {
  const judgement = (task: string, verdict: TaskJudgement['verdict'], ratio: number): TaskJudgement => ({
    task, verdict, ratio, low: ratio, high: ratio, level: 0.95, p: 0.01, pAdjusted: 0.01, baseMedian: 1, candidateMedian: ratio,
    baseSpread: 0, candidateSpread: 0, runs: { base: 8, candidate: 8 },
  });
  const evaluation = (judgements: TaskJudgement[], errors: string[] = []): Evaluation => ({
    judgements, missing: [], unmatched: [], errors, wallMs: 1, confirmed: [], extended: [],
  });
  const empty = (): CalibrationResult => ({ slowdown: 0.25, runs: 2, gateFailures: 0, target: {}, steady: {}, ratios: [], wallMs: [] });

  it('counts verdicts per task and gate failures per run', () => {
    const r = empty();
    tally(r, evaluation([judgement(CALIBRATION_TARGET, 'regressed', 1.25), judgement(CALIBRATION_STEADY, 'same', 1)]), 1000);
    tally(r, evaluation([judgement(CALIBRATION_STEADY, 'same', 1)]), 2000);
    expect(r).toEqual({
      slowdown: 0.25, runs: 2, gateFailures: 1, target: { regressed: 1 }, steady: { same: 2 },
      ratios: [1.25, Number.NaN], wallMs: [1000, 2000], lastTarget: 'not judged',
    });
  });

  it('stops on a run with errors', () => {
    expect(() => tally(empty(), evaluation([], ['candidate: crashed']), 1)).toThrow('calibration run failed: candidate: crashed');
  });
});
