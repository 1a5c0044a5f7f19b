import { describe, expect, it } from 'vitest';
import { buildReport, closingLine, summaryTable } from './report.ts';

describe('report', () => {
  const report = buildReport(
    [
      { name: 'lint', status: 'passed', summary: 'clean', durationMs: 1200 },
      { name: 'bench', status: 'skipped', summary: 'skipped (--skip)', durationMs: 0 },
    ],
    { startedAt: new Date(0), durationMs: 1200, ci: false },
  );

  it('renders the summary table with plain status words by default', () => {
    expect(summaryTable(report)).toEqual([
      'Gate   Status   Key figure        Duration',
      'lint   passed   clean             1.2s',
      'bench  skipped  skipped (--skip)  -',
    ]);
  });

  it('counts skipped gates apart from the closing line', () => {
    expect(report.totals).toEqual({ passed: 1, failed: 0, skipped: 1 });
    expect(closingLine(report)).toBe('gates: 1 passed, 0 failed');
  });
});
