/**
 * Full calibration of the bench gate (minutes, not seconds; not part of `npm test`):
 *   npm run bench:calibrate [-- --runs 20 --rounds 10 --out reports/bench-calibration.json]
 * Measures false alarms on unchanged code, detections of an injected 25%
 * slowdown, a sweep for the smallest slowdown detected reliably, and the
 * gate's wall time. Prints a Markdown table for benchmarks/README.md.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { calibrate, type CalibrationResult } from './calibration.ts';
import { median } from './stats.ts';

/* v8 ignore start -- a long-running script; calibration.test.ts runs the same calibrate() briefly */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    'sweep-runs': { type: 'string', default: '10' },
    sweep: { type: 'string', default: '0.05,0.1,0.15,0.2,0.3' },
    rounds: { type: 'string', default: '10' },
    time: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '20' },
    out: { type: 'string' },
  },
});
const base = { rounds: Number(values.rounds), time: Number(values.time), warmupTime: Number(values.warmup), log: (l: string) => console.error(l) };
const started = Date.now();
const loads: number[] = [];
const results: CalibrationResult[] = [];
const plan: Array<[number, number]> = [
  [0, Number(values.runs)],
  [0.25, Number(values.runs)],
  ...values.sweep.split(',').map((s): [number, number] => [Number(s), Number(values['sweep-runs'])]),
];
for (const [slowdown, runs] of plan) {
  loads.push(loadavg()[0] ?? 0);
  results.push(await calibrate({ ...base, slowdown, runs }));
}
const significant = (r: CalibrationResult): number => (r.target.slower ?? 0) + (r.target.regressed ?? 0);
const rows = results.map((r) => {
  const wall = r.wallMs.map((ms) => ms / 1000);
  return `| ${Math.round(r.slowdown * 100)}% | ${r.runs} | ${r.gateFailures}/${r.runs} | ${significant(r)}/${r.runs} | ${r.target.unstable ?? 0} | ${(r.steady.regressed ?? 0)} | ${median(r.ratios).toFixed(3)} (${Math.min(...r.ratios).toFixed(3)}–${Math.max(...r.ratios).toFixed(3)}) | ${median(wall).toFixed(1)} s (max ${Math.max(...wall).toFixed(1)} s) |`;
});
const reliable = results.filter((r) => r.slowdown > 0 && significant(r) === r.runs).map((r) => r.slowdown).sort((a, b) => a - b)[0];
console.log([
  `Calibration: ${values.rounds} interleaved rounds × ${values.time} ms per task per run, threshold 20%, ${cpus().length} cores, load average at start of each series: ${loads.map((l) => l.toFixed(1)).join(', ')}; total ${((Date.now() - started) / 60000).toFixed(1)} min.`,
  '',
  '| Injected slowdown | Gate runs | Gate failed (regressed, confirmed) | Target significantly slower | Target unstable | Steady task flagged | Target ratio median (min–max) | Gate wall time per run, median |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ...rows,
  '',
  `Smallest slowdown detected as significant in every run: ${reliable === undefined ? 'none of the sweep' : `${Math.round(reliable * 100)}%`}.`,
].join('\n'));
if (values.out !== undefined) writeFileSync(values.out, `${JSON.stringify({ loads, results }, null, 2)}\n`);
/* v8 ignore stop */
