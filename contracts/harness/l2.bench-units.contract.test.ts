// L2 contract of @rampart/harness: the `unit` option of a bench task. A
// `unit: 'bytes'` sample task (memory per operation) is accepted, judged by the
// same rule as time (higher is worse) and reported in bytes, never as a time.
// Locked: add, never edit.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineBenchSuite, judge, renderPerformanceMarkdown } from '@rampart/harness';
import type { BaselineFile, BenchSuite, BenchUnit } from '@rampart/harness';

const memory: BaselineFile = {
  package: 'demo',
  commit: 'abc1234',
  fingerprint: { node: 'v24.0.0', v8: '13.6', cpu: 'cpu', cores: 2, os: 'linux' },
  settings: { rounds: 20, time: 100, warmupTime: 30 },
  tasks: {
    'demo/memory/1M-keys': { median: 141.4, unit: 'bytes', dispersion: 0.001, samples: 20, runs: [141.4], peers: { other: { median: 3072, dispersion: 0.01 } } },
    'demo/op': { median: 250, dispersion: 0.02, samples: 20, runs: [250] },
  },
};

describe('bench task unit', () => {
  it("accepts unit 'bytes' on a sample task, with peers returning bytes too", async () => {
    const suite: BenchSuite = defineBenchSuite({
      package: 'demo',
      tasks: [{ name: 'demo/memory/1M-keys', unit: 'bytes', sample: () => Promise.resolve(141.4), peers: { other: () => Promise.resolve(3072) } }],
    });
    expect(suite.tasks[0]?.unit).toBe('bytes');
    expect(await suite.tasks[0]?.sample?.()).toBe(141.4);
    expectTypeOf<BenchUnit>().toEqualTypeOf<'ns' | 'bytes'>();
  });

  it('reports a bytes baseline in B / KiB with no ops/s in PERFORMANCE.md, and time tasks as before', () => {
    const lines = renderPerformanceMarkdown([memory], 'chart.svg').split('\n');
    expect(lines).toContain('| `demo/memory/1M-keys` | 141 B | — | ±0.1% | 20 | 0.05× other (3.00 KiB) |');
    expect(lines).toContain('| `demo/op` | 250 ns | 4,000,000 | ±2.0% | 20 | – |');
  });

  it('judges bytes like time: more than 20% bigger, significant, is regressed, and the unit is kept', () => {
    const base = [100, 102, 98, 101, 99, 100, 103, 97, 100, 101];
    const [j] = judge([{ task: 'demo/memory/1M-keys', base, candidate: base.map((b) => b * 1.3), unit: 'bytes' }], { threshold: 0.2, paired: true });
    expect(j?.verdict).toBe('regressed');
    expect(j?.unit).toBe('bytes');
    expect(j?.ratio).toBeCloseTo(1.3, 5);
  });
});
