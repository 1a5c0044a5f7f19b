import { describe, expect, it } from 'vitest';
import { judge, trimOutlierRounds } from './verdict.ts';

const base = [100, 102, 98, 101, 99, 100, 103, 97, 100, 101];
const scaled = (k: number): number[] => base.map((b, i) => b * k * (1 + i * 0.001));

describe('judge', () => {
  it('calls a significant slowdown above the threshold regressed', () => {
    const [j] = judge([{ task: 'x/op', base, candidate: scaled(1.3) }], { threshold: 0.2, paired: true });
    expect(j?.verdict).toBe('regressed');
    expect(j?.ratio).toBeCloseTo(1.3, 1);
    expect(j?.runs).toEqual({ base: 10, candidate: 10 });
    expect(j?.pAdjusted).toBe(2 / 1024);
    expect(j?.note).toBeUndefined();
  });

  it('calls a significant slowdown below the threshold slower, and a speed-up faster', () => {
    const [slow, fast] = judge(
      [{ task: 'x/slow', base, candidate: scaled(1.1) }, { task: 'x/fast', base, candidate: scaled(0.8) }],
      { threshold: 0.2, paired: true },
    );
    expect(slow?.verdict).toBe('slower');
    expect(fast?.verdict).toBe('faster');
    // Holm: the two p-values (2/1024 each) are adjusted ×2 then ×1, monotone.
    expect(slow?.pAdjusted).toBe(4 / 1024);
    expect(fast?.pAdjusted).toBe(4 / 1024);
  });

  it('judges a bytes task by the same rule (30% bigger is regressed) and keeps its unit', () => {
    const [j, t] = judge([{ task: 'x/heap', base, candidate: scaled(1.3), unit: 'bytes' }, { task: 'x/time', base, candidate: base, unit: 'ns' }], { threshold: 0.2, paired: true });
    expect([j?.verdict, j?.unit]).toEqual(['regressed', 'bytes']);
    expect(t).not.toHaveProperty('unit');
    const noisy = [60, 140, 80, 150, 70, 130, 90, 160, 65, 145];
    const [wide] = judge([{ task: 'x/heap', base, candidate: noisy, unit: 'bytes' }], { threshold: 0.2, paired: true });
    expect(wide?.note).toBe('noise too high to judge 20%: interval 0.70–1.46 straddles 1.20× and the fastest run is 0.60× the base median 100 B');
  });

  it('calls unchanged code same', () => {
    const [j] = judge([{ task: 'x/op', base, candidate: [...base].reverse() }], { threshold: 0.2, paired: false });
    expect(j?.verdict).toBe('same');
    expect(j?.ratio).toBe(1);
  });

  it('refuses to judge a task whose noise straddles the threshold', () => {
    const noisy = [60, 140, 80, 150, 70, 130, 90, 160, 65, 145];
    const [j] = judge([{ task: 'x/noisy', base, candidate: noisy }], { threshold: 0.2, paired: true });
    expect(j?.verdict).toBe('unstable');
    expect(j?.note).toBe('noise too high to judge 20%: interval 0.70–1.46 straddles 1.20× and the fastest run is 0.60× the base median 100 ns');
    expect(j?.low).toBeLessThan(1.2);
    expect(j?.high).toBeGreaterThan(1.2);
  });

  // Regression: `unstable` masked a regression. Stored runs from a loaded day
  // (four of ten runs 1.5× slower) stretch the interval below 1.2 although the
  // candidate never comes within 20% of the base median.
  const loadedDay = [100, 101, 99, 102, 98, 100, 150, 155, 148, 152];
  const steadyRegression = [130, 131, 129, 132, 128, 130, 133, 127, 130, 131];

  it.each([false, true])('calls a task regressed when even its fastest run is over the limit, however wide the interval (paired: %s)', (paired) => {
    const [j] = judge([{ task: 'x/op', base: loadedDay, candidate: steadyRegression }], { threshold: 0.2, paired });
    expect(j?.verdict).toBe('regressed');
    expect(j?.low).toBeLessThan(1.2);
    expect((j?.high ?? 0) / (j?.low ?? 1)).toBeGreaterThan(1.2);
    expect(j?.note).toBe(`every run over the limit: the fastest is 1.25× the base median 102 ns (> 1.20×), though the interval 0.87–${paired ? '1.30' : '1.31'} is too wide to judge the median`);
  });

  it('keeps a wide interval unstable when one run comes within the limit', () => {
    const oneFast = steadyRegression.map((c, i) => (i === 7 ? 118 : c));
    const [j] = judge([{ task: 'x/op', base: loadedDay, candidate: oneFast }], { threshold: 0.2, paired: false });
    expect(j?.verdict).toBe('unstable');
    expect(j?.note).toBe('noise too high to judge 20%: interval 0.87–1.31 straddles 1.20× and the fastest run is 1.16× the base median 102 ns');
  });

  it('refuses to judge too few runs', () => {
    const [j] = judge([{ task: 'x/few', base: [1, 2, 3], candidate: [4, 5, 6] }], { threshold: 0.2, paired: true });
    expect(j?.verdict).toBe('unstable');
    expect(j?.note).toBe('only 3 runs (need 5)');
  });

  it('needs more evidence when more tasks are judged (Holm)', () => {
    const one = scaled(1.3).slice(0, 6);
    const tasks = Array.from({ length: 4 }, (_, i) => ({ task: `x/t${i}`, base: base.slice(0, 6), candidate: i === 0 ? one : base.slice(0, 6) }));
    expect(judge([tasks[0]!], { threshold: 0.2, paired: true })[0]?.verdict).toBe('regressed');
    // 6 paired runs: exact p = 2/64 = 0.031, ×4 tasks = 0.125: not significant.
    expect(judge(tasks, { threshold: 0.2, paired: true })[0]?.verdict).toBe('same');
  });
});

describe('trimOutlierRounds', () => {
  it('drops a round far from the others, beyond both 5 MADs and half the threshold', () => {
    const rounds = [0.47, 0.468, 0.472, 0.471, 0.469, 0.47, -0.8, 0.473].map((x) => x);
    expect(trimOutlierRounds(rounds, 0.2)).toEqual([0.47, 0.468, 0.472, 0.471, 0.469, 0.47, 0.473]);
  });

  it('keeps rounds within half the threshold even when the MAD is tiny', () => {
    const rounds = [0, 0.001, -0.001, 0.0005, 0.09];
    expect(trimOutlierRounds(rounds, 0.2)).toEqual(rounds);
  });

  it('keeps a regression significant despite one burst of load on the base side', () => {
    const candidate = scaled(1.6);
    const burst = [...base];
    burst[6] = 400;
    const [j] = judge([{ task: 'x/op', base: burst, candidate }], { threshold: 0.2, paired: true });
    expect(j?.verdict).toBe('regressed');
    expect(j?.p).toBe(2 / 512);
  });
});
