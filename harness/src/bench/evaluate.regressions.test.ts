import { describe, expect, it } from 'vitest';
import type { Comparator, Comparison } from './compare.ts';
import { evaluate } from './evaluate.ts';

const steady = [100, 101, 99, 102, 98, 100, 103, 97];
const times = (k: number, jitter = 0.001): number[] => steady.map((v, i) => v * k * (1 + i * jitter));

function scripted(passes: Array<Record<string, number[]>>, calls: string[][]): Comparator {
  let pass = 0;
  return (tasks) => {
    calls.push([...tasks]);
    const script = passes[Math.min(pass++, passes.length - 1)] ?? {};
    const c: Comparison = { paired: true, samples: [], missing: [], unmatched: [], errors: [], rounds: 8, wallMs: 1 };
    for (const task of tasks) {
      const series = script[task];
      if (series === undefined) c.unmatched.push(task);
      else c.samples.push({ task, base: steady, candidate: series });
    }
    return Promise.resolve(c);
  };
}

// 8 paired rounds (the CI budget's floor) give at best p = 2/256 with
// the exact signed-rank test; Holm over 7 tasks makes that 0.055 ≥ 0.05. A
// steady 50% regression, its whole interval above 1.2×, was judged `same` and
// never re-measured: the gate passed it. `same` with the interval wholly over
// the limit is not evidence of no change, only of too few runs.
describe('evaluate with too few rounds for the number of tasks', () => {
  it('re-measures a task whose whole interval is over the limit but not yet significant, and fails it when confirmed', async () => {
    const calls: string[][] = [];
    const tasks = ['x/a', 'x/b', 'x/c', 'x/d', 'x/e', 'x/f', 'x/g'];
    const first = Object.fromEntries(tasks.map((t) => [t, t === 'x/a' ? times(1.5) : times(1, 0)]));
    const screen = scripted([first, { 'x/a': times(1.5) }], calls);
    const confirm = scripted([{ 'x/a': times(1.5) }], calls);
    const e = await evaluate(tasks, screen, confirm, { threshold: 0.2, rounds: 8 });
    expect(calls).toEqual([tasks, ['x/a'], ['x/a']]);
    expect(e.extended).toEqual(['x/a']);
    expect(e.confirmed).toEqual(['x/a']);
    const a = e.judgements.find((j) => j.task === 'x/a');
    expect(a?.verdict).toBe('regressed');
    expect(a?.note).toBe('confirmed by re-run (first run 1.50×)');
    expect(e.judgements.filter((j) => j.verdict === 'same').map((j) => j.task)).toEqual(['x/b', 'x/c', 'x/d', 'x/e', 'x/f', 'x/g']);
  });
});
