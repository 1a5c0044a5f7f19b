import { describe, expect, it } from 'vitest';
import type { Comparator, Comparison } from './compare.ts';
import { evaluate } from './evaluate.ts';

const steady = [100, 101, 99, 102, 98, 100, 103, 97];
const times = (k: number, jitter = 0.001): number[] => steady.map((v, i) => v * k * (1 + i * jitter));
const noisy = [60, 140, 80, 150, 70, 130, 90, 160];

/** A comparator that serves scripted candidate series, pass after pass, and logs its calls. */
function scripted(passes: Array<Record<string, number[] | 'missing'>>, calls: string[][]): Comparator {
  let pass = 0;
  return (tasks) => {
    calls.push([...tasks]);
    const script = passes[Math.min(pass++, passes.length - 1)] ?? {};
    const c: Comparison = { paired: true, samples: [], missing: [], unmatched: [], errors: [], rounds: 8, wallMs: 100 };
    for (const task of tasks) {
      const series = script[task];
      if (series === 'missing') c.missing.push(task);
      else if (series === undefined) c.unmatched.push(task);
      else c.samples.push({ task, base: steady, candidate: series });
    }
    return Promise.resolve(c);
  };
}

describe('evaluate', () => {
  it('fails only a regression that the confirmation re-run sees again', async () => {
    const calls: string[][] = [];
    const screen = scripted([{ 'x/a': times(1.3), 'x/b': times(1.3), 'x/c': times(1.0, 0) }], calls);
    const confirm = scripted([{ 'x/a': times(1.3), 'x/b': times(1.0, 0) }], calls);
    const e = await evaluate(['x/a', 'x/b', 'x/c'], screen, confirm, { threshold: 0.2, rounds: 8 });
    expect(calls).toEqual([['x/a', 'x/b', 'x/c'], ['x/a', 'x/b']]);
    expect(e.judgements.map((j) => [j.task, j.verdict])).toEqual([['x/a', 'regressed'], ['x/b', 'same'], ['x/c', 'same']]);
    expect(e.judgements[0]?.note).toMatch(/^confirmed by re-run \(first run 1\.3\d×\)$/);
    expect(e.judgements[1]?.note).toMatch(/^suspected regression not confirmed by re-run \(first run 1\.3\d×\)$/);
    expect(e.confirmed).toEqual(['x/a', 'x/b']);
    expect(e.wallMs).toBe(200);
  });

  it('re-measures a noisy task and pools the runs before judging it', async () => {
    const calls: string[][] = [];
    const logs: string[] = [];
    const screen = scripted([{ 'x/noisy': noisy, 'x/ok': times(1, 0) }, { 'x/noisy': times(1, 0) }], calls);
    const e = await evaluate(['x/noisy', 'x/ok'], screen, screen, { threshold: 0.2, rounds: 8, log: (l) => logs.push(l) });
    expect(calls).toEqual([['x/noisy', 'x/ok'], ['x/noisy']]);
    expect(e.extended).toEqual(['x/noisy']);
    expect(e.judgements.find((j) => j.task === 'x/noisy')?.runs).toEqual({ base: 16, candidate: 16 });
    expect(logs[0]).toBe('  1 task(s) too noisy to judge, measuring them again: x/noisy');
  });

  it('keeps the unit of a bytes task when its runs are pooled', async () => {
    const bytes = (c: Comparator): Comparator => async (tasks, rounds) => {
      const out = await c(tasks, rounds);
      return { ...out, samples: out.samples.map((s) => ({ ...s, unit: 'bytes' as const })) };
    };
    const screen = bytes(scripted([{ 'x/heap': noisy }, { 'x/heap': times(1, 0) }], []));
    const e = await evaluate(['x/heap'], screen, screen, { threshold: 0.2, rounds: 8 });
    expect(e.extended).toEqual(['x/heap']);
    expect(e.judgements.map((j) => [j.task, j.unit, j.runs.candidate])).toEqual([['x/heap', 'bytes', 16]]);
  });

  it('keeps a suspected regression that has no result in the re-run, and reports missing and new tasks', async () => {
    const calls: string[][] = [];
    const screen = scripted([{ 'x/a': times(1.5), 'x/gone': 'missing' }], calls);
    const confirm = scripted([{ 'x/a': 'missing' }], calls);
    const e = await evaluate(['x/a', 'x/gone', 'x/new'], screen, confirm, { threshold: 0.2, rounds: 8, alpha: 0.01 });
    expect(e.judgements.map((j) => [j.task, j.verdict, j.note])).toEqual([['x/a', 'regressed', 'no result in the confirmation re-run']]);
    expect(e.missing).toEqual(['x/gone']);
    expect(e.unmatched).toEqual(['x/new']);
  });

  // Regression: `unstable` masked a regression. Stored runs with a slow tail
  // keep the interval wide on every pass (they are not re-measured), so the
  // task stayed unstable after re-measuring and the gate passed.
  it('confirms, rather than re-measures as noisy, a regression that every run shows against slow-tailed stored runs', async () => {
    const calls: string[][] = [];
    const loadedDay = [100, 101, 99, 102, 98, 100, 150, 155, 148, 152];
    const storedRuns: Comparator = (tasks) => {
      calls.push([...tasks]);
      return Promise.resolve({
        paired: false, missing: [], unmatched: [], errors: [], rounds: 10, wallMs: 1,
        samples: tasks.map((task) => ({ task, base: loadedDay, candidate: [130, 131, 129, 132, 128, 130, 133, 127, 130, 131] })),
      });
    };
    const e = await evaluate(['x/a'], storedRuns, storedRuns, { threshold: 0.2, rounds: 10 });
    expect(calls).toEqual([['x/a'], ['x/a']]);
    expect(e.extended).toEqual([]);
    expect(e.confirmed).toEqual(['x/a']);
    expect(e.judgements.map((j) => [j.task, j.verdict])).toEqual([['x/a', 'regressed']]);
    expect(e.judgements[0]?.note).toBe('confirmed by re-run (first run 1.28×); every run over the limit: the fastest is 1.25× the base median 102 ns (> 1.20×), though the interval 0.87–1.31 is too wide to judge the median');
  });

  it('keeps the re-run verdict and says why when the re-run sees one run within the limit', async () => {
    const loadedDay = [100, 101, 99, 102, 98, 100, 150, 155, 148, 152];
    const storedRuns = (fastest: number): Comparator => (tasks) => Promise.resolve({
      paired: false, missing: [], unmatched: [], errors: [], rounds: 10, wallMs: 1,
      samples: tasks.map((task) => ({ task, base: loadedDay, candidate: [130, 131, 129, 132, 128, 130, 133, fastest, 130, 131] })),
    });
    const e = await evaluate(['x/a'], storedRuns(127), storedRuns(118), { threshold: 0.2, rounds: 10 });
    expect(e.judgements.map((j) => [j.task, j.verdict])).toEqual([['x/a', 'unstable']]);
    expect(e.judgements[0]?.note).toBe('suspected regression not confirmed by re-run (first run 1.28×); noise too high to judge 20%: interval 0.87–1.31 straddles 1.20× and the fastest run is 1.16× the base median 102 ns');
  });

  it('does not pool stored baseline runs twice in unpaired mode', async () => {
    let pass = 0;
    const screen: Comparator = (tasks) => Promise.resolve({
      paired: false, missing: [], unmatched: [], errors: [], rounds: 8, wallMs: 1,
      samples: tasks.map((task) => ({ task, base: steady, candidate: pass++ === 0 ? noisy : times(1, 0) })),
    });
    const e = await evaluate(['x/n'], screen, screen, { threshold: 0.2, rounds: 8 });
    expect(e.judgements[0]?.runs).toEqual({ base: 8, candidate: 16 });
  });
});
