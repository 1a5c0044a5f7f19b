import { describe, expect, it } from 'vitest';
import { findBreaches, formatBreaches } from './breaches.ts';
import type { CoverageCounts } from './metrics.ts';

function file(lines: number, total = 100, branches = [4, 4]): CoverageCounts {
  return {
    lines: { covered: lines, total },
    statements: { covered: lines, total },
    branches: { covered: branches[0] ?? 0, total: branches[1] ?? 0 },
    functions: { covered: 2, total: 2 },
  };
}

const floors = [
  { name: 'good', dir: 'packages/good', floor: 95 },
  { name: 'bad', dir: 'packages/bad', floor: 95 },
  { name: 'strict', dir: 'packages/strict', floor: 100 },
  { name: 'empty', dir: 'packages/empty', floor: 95 },
];

describe('findBreaches', () => {
  const files = new Map([
    ['packages/good/src/a.ts', file(100)],
    ['packages/good/src/b.ts', file(94)], // the package average (97%) still passes
    ['packages/bad/src/ok.ts', file(20, 20)],
    ['packages/bad/src/worse.ts', file(80, 100)],
    ['packages/bad/src/branchy.ts', file(20, 20, [1, 4])],
    ['packages/strict/src/s.ts', file(99)],
    ['packages/badly-named/src/x.ts', file(0)], // not under any workspace's src/
  ]);

  it('names each workspace under its floor and its files under the floor, worst lines first', () => {
    expect(findBreaches(files, floors)).toEqual([
      {
        workspace: 'bad',
        dir: 'packages/bad',
        floor: 95,
        pct: { lines: 85.71, branches: 75, functions: 100, statements: 85.71 },
        files: [
          { file: 'packages/bad/src/worse.ts', pct: { lines: 80, branches: 100, functions: 100, statements: 80 } },
          { file: 'packages/bad/src/branchy.ts', pct: { lines: 100, branches: 25, functions: 100, statements: 100 } },
        ],
      },
      {
        workspace: 'strict',
        dir: 'packages/strict',
        floor: 100,
        pct: { lines: 99, branches: 100, functions: 100, statements: 99 },
        files: [{ file: 'packages/strict/src/s.ts', pct: { lines: 99, branches: 100, functions: 100, statements: 99 } }],
      },
    ]);
  });

  it('orders files with equal line coverage by name', () => {
    const same = new Map([
      ['packages/bad/src/z.ts', file(50)],
      ['packages/bad/src/a.ts', file(50)],
    ]);
    expect(findBreaches(same, floors)[0]?.files.map((f) => f.file)).toEqual(['packages/bad/src/a.ts', 'packages/bad/src/z.ts']);
  });

  it('formats one header per workspace and one indented line per file', () => {
    expect(formatBreaches(findBreaches(files, floors))).toEqual([
      'Coverage floor missed by workspace "bad" (packages/bad/src, floor 95%): lines 85.71%, branches 75%, functions 100%, statements 85.71%',
      '  packages/bad/src/worse.ts: lines 80%, branches 100%, functions 100%, statements 80%',
      '  packages/bad/src/branchy.ts: lines 100%, branches 25%, functions 100%, statements 100%',
      'Coverage floor missed by workspace "strict" (packages/strict/src, floor 100%): lines 99%, branches 100%, functions 100%, statements 99%',
      '  packages/strict/src/s.ts: lines 99%, branches 100%, functions 100%, statements 99%',
    ]);
  });
});
