import { describe, expect, it } from 'vitest';
import { calibrate, CALIBRATION_TARGET } from './calibration.ts';

// The fast calibration: one gate run (screen + confirmation re-run, 24 fresh
// processes) on the parameterised workload with a large injected slowdown. The full one (20+ runs, 25%, a sweep) is
// `npm run bench:calibrate`; its figures are in benchmarks/README.md.
describe('calibration (fast)', () => {
  it('flags a task slowed by 60% as regressed, confirmed by a re-run', async () => {
    const logs: string[] = [];
    const r = await calibrate({ slowdown: 0.6, runs: 1, rounds: 6, time: 10, warmupTime: 3, scale: 0.25, tasks: [CALIBRATION_TARGET], log: (l) => logs.push(l) });
    expect(r.target).toEqual({ regressed: 1 });
    expect(r.steady).toEqual({});
    expect(r.gateFailures).toBe(1);
    expect(r.ratios[0]).toBeGreaterThan(1.4);
    expect(r.ratios[0]).toBeLessThan(1.8);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^ {2}slowdown 0\.6: run 1\/1 target regressed 1\.\d{3}$/);
  }, 120_000);
});
