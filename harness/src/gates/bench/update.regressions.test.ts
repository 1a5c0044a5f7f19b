import { describe, expect, it } from 'vitest';
import type { GateContext } from '../../gate.ts';
import { taskBaseline, type BaselineFile } from '../../bench/baseline.ts';
import { currentFingerprint } from '../../bench/fingerprint.ts';
import type { Inventory } from './inventory.ts';
import { parseBenchOptions } from './options.ts';
import { regressions, runUpdate } from './update.ts';

const old: BaselineFile = {
  package: 'x', commit: 'abc', fingerprint: currentFingerprint(), settings: { rounds: 20, time: 100, warmupTime: 30 },
  tasks: { 'x/a': taskBaseline(Array.from({ length: 20 }, (_, i) => 100 + (i % 5))) },
};
const next = (runs: number[]): BaselineFile => ({ ...old, settings: { ...old.settings, rounds: runs.length }, tasks: { 'x/a': taskBaseline(runs) } });

// Audit: the update's regression check judged fewer than 5 new runs
// `unstable` (too few to judge), and only `regressed` refused the update, so
// `--update --rounds 3` wrote a baseline twice as slow without a word.
describe('regressions (update check)', () => {
  it('refuses a doubling measured with too few runs to be judged', () => {
    const found = regressions(old, next([200, 201, 202]), 0.2);
    expect(found).toEqual(['? unstable   x/a  1.97× [1.94–2.00]  102 ns → 201 ns  ±1.5%/±0.7%  p=0.0064  only 3 runs (need 5)']);
  });

  it('still lets an unchanged task through', () => {
    expect(regressions(old, next([100, 101, 102]), 0.2)).toEqual([]);
  });
});

// Audit: a baseline of fewer than 5 runs makes every later comparison
// against it `unstable` (too few runs), which passes the gate: such a
// baseline can never fail, whatever the code does.
describe('runUpdate with fewer rounds than a verdict needs', () => {
  it('refuses before measuring anything', async () => {
    const logs: string[] = [];
    const context = { root: '/nonexistent/rampart-audit', ci: false, argv: [], log: (l: string) => logs.push(l) } as unknown as GateContext;
    const inv: Inventory = { suites: [], all: new Map([['x/a', 'x']]), tasks: ['x/a'], files: new Map([['x/a', 'x/a.bench.ts']]), problems: [] };
    const result = await runUpdate(context, parseBenchOptions(['--update', '--rounds', '3']), inv, 0.2);
    expect(result).toEqual({
      status: 'failed',
      summary: '--update needs at least 5 rounds; baselines not written',
      details: ['a baseline of 3 runs per task is too few for any later comparison to judge, so it could never fail the gate'],
    });
    expect(logs).toEqual([]);
  });
});
