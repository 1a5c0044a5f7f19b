/**
 * Hot paths of the bench gate itself: the statistics it runs on every task
 * of every comparison, and the PERFORMANCE.md renderer. The peer for the
 * median is the textbook copy-and-sort with a comparator.
 */
import { bootstrapRatio, defineBenchSuite, holm, median, renderPerformanceMarkdown, wilcoxonSignedRank } from '@rampart/harness';
import type { BaselineFile } from '@rampart/harness';

// Deterministic inputs: the same numbers in every run and on every machine.
function series(n: number, seed: number, scale: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return scale * (1 + (x / 2147483648 - 0.5) * 0.1);
  });
}

const thousand = series(1000, 7, 1000);
const base20 = series(20, 11, 1000);
const candidate20 = series(20, 13, 1100);
const logRatios = candidate20.map((c, i) => Math.log(c / (base20[i] ?? c)));
const pValues = series(30, 17, 0.05);
const baseline: BaselineFile = {
  package: 'demo', commit: '0000000', settings: { rounds: 20, time: 100, warmupTime: 30 },
  fingerprint: { node: 'v24.0.0', v8: '13.6', cpu: 'cpu', cores: 2, os: 'linux' },
  tasks: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`demo/op-${i}`, { median: 1000 + i, dispersion: 0.02, samples: 20, runs: [], peers: { peer: { median: 900, dispersion: 0.01 } } }])),
};

function sortMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2 : (sorted[Math.floor(mid)] ?? 0);
}

export default defineBenchSuite({
  package: 'harness',
  tasks: [
    { name: 'harness/median/1000', fn: () => median(thousand), peers: { 'copy + Array#sort(comparator)': () => sortMedian(thousand) } },
    { name: 'harness/wilcoxon/20', fn: () => wilcoxonSignedRank(logRatios) },
    { name: 'harness/holm/30', fn: () => holm(pValues) },
    { name: 'harness/bootstrap/20x20x200', fn: () => bootstrapRatio(base20, candidate20, { paired: true, resamples: 200 }) },
    { name: 'harness/performance-md/20-tasks', fn: () => renderPerformanceMarkdown([baseline], 'chart.svg') },
  ],
});
