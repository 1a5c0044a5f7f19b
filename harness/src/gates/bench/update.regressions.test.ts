import { describe, expect, it } from 'vitest';
import { taskBaseline, type BaselineFile } from '../../bench/baseline.ts';
import { currentFingerprint } from '../../bench/fingerprint.ts';
import { regressions } from './update.ts';

const old: BaselineFile = {
  package: 'x', commit: 'abc', fingerprint: currentFingerprint(), settings: { rounds: 20, time: 100, warmupTime: 30 },
  tasks: { 'x/a': taskBaseline(Array.from({ length: 20 }, (_, i) => 100 + (i % 5))) },
};
const next = (runs: number[]): BaselineFile => ({ ...old, settings: { ...old.settings, rounds: runs.length }, tasks: { 'x/a': taskBaseline(runs) } });

// the update's regression check judged fewer than 5 new runs
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
