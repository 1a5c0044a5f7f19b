import { describe, expect, it } from 'vitest';
import type { TaskJudgement } from '../../bench/verdict.ts';
import { countVerdicts, evaluationLines, formatJudgement } from './report.ts';

const j: TaskJudgement = {
  task: 'vault/encrypt/1KiB', verdict: 'regressed', ratio: 1.3123, low: 1.26, high: 1.37, level: 0.95, p: 0.001, pAdjusted: 0.002,
  baseMedian: 10_200, candidateMedian: 13_400, baseSpread: 0.011, candidateSpread: 0.009, runs: { base: 12, candidate: 12 },
  note: 'confirmed by re-run (first run 1.30×)',
};

describe('report', () => {
  it('prints one row per task', () => {
    expect(formatJudgement(j)).toBe('✗ regressed  vault/encrypt/1KiB  1.31× [1.26–1.37]  10.2 µs → 13.4 µs  ±1.1%/±0.9%  p=0.0020  confirmed by re-run (first run 1.30×)');
    const { note: _note, ...plain } = j;
    expect(formatJudgement({ ...plain, verdict: 'faster' }, 20)).toBe('+ faster     vault/encrypt/1KiB    1.31× [1.26–1.37]  10.2 µs → 13.4 µs  ±1.1%/±0.9%  p=0.0020');
  });

  it('prints the medians of a bytes task as sizes, and says so in the legend', () => {
    const heap: TaskJudgement = { ...j, task: 'throttler/memory/1M-keys', unit: 'bytes', baseMedian: 141.4, candidateMedian: 185.6 };
    expect(formatJudgement(heap)).toBe('✗ regressed  throttler/memory/1M-keys  1.31× [1.26–1.37]  141 B → 186 B  ±1.1%/±0.9%  p=0.0020  confirmed by re-run (first run 1.30×)');
    const lines = evaluationLines({ judgements: [heap], missing: [], unmatched: [], errors: [], wallMs: 1, confirmed: [], extended: [] }, 'HEAD~1');
    expect(lines[0]).toBe('ratio = candidate / HEAD~1 (median ns/op, or bytes/op where shown in B; > 1 is slower or bigger), [95% bootstrap CI], medians, run-to-run spread, Holm-corrected p');
  });

  it('counts verdicts and lists new, missing and failing tasks', () => {
    expect(countVerdicts([j, { ...j, verdict: 'same' }, { ...j, verdict: 'same' }])).toEqual({ faster: 0, same: 2, slower: 0, regressed: 1, unstable: 0 });
    const lines = evaluationLines({ judgements: [], missing: ['x/gone'], unmatched: ['x/new'], errors: ['candidate: x/gone failed: boom'], wallMs: 1, confirmed: [], extended: [] }, 'HEAD~1');
    expect(lines).toEqual([
      'ratio = candidate / HEAD~1 (median ns/op; > 1 is slower), [95% bootstrap CI], medians, run-to-run spread, Holm-corrected p',
      '· new        x/new: nothing to compare with in HEAD~1',
      '✗ missing    x/gone: no result (see errors)',
      '✗ error      candidate: x/gone failed: boom',
    ]);
  });
});
