import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import FloorReporter, { floorReporterPath } from './floor-reporter.ts';
import type { ReportContext, ReportNode } from './floor-reporter.ts';

function node(path: string, covered: number, total: number): ReportNode {
  const counter = { covered, total, skipped: 0, pct: 0 };
  return {
    getFileCoverage: () => ({ path }),
    getCoverageSummary: () => ({ lines: counter, statements: counter, branches: counter, functions: counter }),
  };
}

function contextOf(nodes: ReportNode[]): ReportContext {
  return {
    getTree: (summarizer) => ({
      visit: (visitor, state) => {
        expect(summarizer).toBe('flat');
        expect(state).toBeDefined();
        for (const n of nodes) visitor.onDetail(n);
      },
    }),
  };
}

const floors = [{ name: 'bad', dir: 'pkgs/bad', floor: 95 }];

describe('FloorReporter', () => {
  it('is importable by path, as vitest loads custom coverage reporters', () => {
    expect(floorReporterPath).toBe(join(import.meta.dirname, 'floor-reporter.ts'));
  });

  it('writes the workspace under its floor and its files, paths relative to the project root', () => {
    const out: string[] = [];
    const reporter = new FloorReporter({ floors, projectRoot: '/repo', write: (t) => out.push(t) });
    reporter.execute(contextOf([node('/repo/pkgs/bad/src/half.ts', 15, 16), node('/repo/pkgs/bad/src/full.ts', 1, 1)]));
    expect(out).toHaveLength(1);
    expect(out.join('')).toBe(
      [
        'Coverage floor missed by workspace "bad" (pkgs/bad/src, floor 95%): lines 94.11%, branches 94.11%, functions 94.11%, statements 94.11%',
        '  pkgs/bad/src/half.ts: lines 93.75%, branches 93.75%, functions 93.75%, statements 93.75%',
        '',
      ].join('\n'),
    );
  });

  it('writes nothing when every workspace meets its floor', () => {
    const out: string[] = [];
    new FloorReporter({ floors, projectRoot: '/repo', write: (t) => out.push(t) }).execute(contextOf([node('/repo/pkgs/bad/src/a.ts', 1, 1)]));
    expect(out).toEqual([]);
  });

  it('defaults to the working directory as root', () => {
    const out: string[] = [];
    new FloorReporter({ floors, write: (t) => out.push(t) }).execute(contextOf([node(join(process.cwd(), 'pkgs/bad/src/a.ts'), 0, 1)]));
    expect(out.join('')).toContain('  pkgs/bad/src/a.ts: lines 0%');
  });

  it('writes to standard error by default', () => {
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
    try {
      new FloorReporter({ floors, projectRoot: '/repo' }).execute(contextOf([node('/repo/pkgs/bad/src/a.ts', 0, 1)]));
    } finally {
      spy.mockRestore();
    }
    expect(err.join('')).toContain('Coverage floor missed by workspace "bad"');
  });
});
