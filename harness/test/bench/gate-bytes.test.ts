/**
 * The bench gate end to end with a `unit: 'bytes'` task, in a throwaway git
 * repository (like gate.test.ts): the baseline records the unit, PERFORMANCE.md
 * and the verdicts print sizes, and a confirmed 50% growth fails as "bigger".
 * The steps share the repository and run in order.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateContext } from '../../src/gate.ts';
import { benchGate } from '../../src/gates/bench/index.ts';
import { exec } from '../contracts/gate-context.ts';

const SUITE = `
import { readFileSync } from 'node:fs';
const bytes = () => JSON.parse(readFileSync(new URL('../../src/bytes.json', import.meta.url), 'utf8')).bytes;
export default { package: 'demo', tasks: [{ name: 'demo/heap', unit: 'bytes', sample: () => Promise.resolve(bytes()) }] };
`;
const fast = ['--no-build', '--rounds', '5', '--time', '5', '--warmup', '1'];

let root = '';
const context = (argv: string[]): GateContext => ({
  root, ci: false, argv, exec, log: () => undefined,
  config: { gates: ['bench'], thresholds: { coverage: { floor: 95 }, benchRegression: 0.2 } },
});
const write = (path: string, text: string): void => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};
const git = async (...args: string[]): Promise<void> => {
  const r = await exec('git', args, { cwd: root });
  if (r.code !== 0) throw new Error(r.stderr);
};
const commit = (message: string): Promise<void> => git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', message);
const bytes = (value: number): void => write('src/bytes.json', JSON.stringify({ bytes: value }));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rampart-bench-bytes-'));
  write('package.json', JSON.stringify({ name: 'demo', private: true, type: 'module' }));
  write('benchmarks/demo/heap.bench.ts', SUITE);
  write('.gitignore', 'node_modules\ndist\n');
  bytes(1000);
  await git('init', '-q', '-b', 'main');
  await git('add', '.');
  await commit('suite');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('bench gate with a bytes task', () => {
  it('--update records the unit in the baseline and prints sizes in PERFORMANCE.md', async () => {
    const r = await benchGate.run(context(['--update', '--package', 'demo', ...fast]));
    expect(r.status).toBe('passed');
    const baseline = JSON.parse(readFileSync(join(root, 'benchmarks/baselines/demo.json'), 'utf8'));
    expect(baseline.tasks['demo/heap']).toEqual({ median: 1000, unit: 'bytes', dispersion: 0, samples: 5, runs: [1000, 1000, 1000, 1000, 1000] });
    expect(readFileSync(join(root, 'PERFORMANCE.md'), 'utf8')).toContain('| `demo/heap` | 1000 B | — | ±0.0% | 5 | – |');
    expect(readFileSync(join(root, 'benchmarks/performance.svg'), 'utf8')).not.toContain('demo/heap');
    await git('add', '.');
    await commit('baselines');
  });

  it('passes the same size and prints it in bytes', async () => {
    const r = await benchGate.run(context(fast));
    expect(r.status).toBe('passed');
    expect(r.details).toContain('= same       demo/heap  1.00× [1.00–1.00]  1000 B → 1000 B  ±0.0%/±0.0%  p=1.0000');
  });

  it('fails a confirmed 50% growth as bigger, with both medians in bytes', async () => {
    bytes(1500);
    const r = await benchGate.run(context(fast));
    expect(r.status).toBe('failed');
    expect(r.details?.[0]).toBe('FAIL demo/heap: 50% bigger (> 20%), confirmed by re-run (first run 1.50×)');
    expect(r.details?.some((d) => d.startsWith('✗ regressed  demo/heap  1.50× [1.50–1.50]  1000 B → 1.46 KiB'))).toBe(true);
    expect(r.details).toContain('ratio = candidate / stored baselines (median ns/op, or bytes/op where shown in B; > 1 is slower or bigger), [95% bootstrap CI], medians, run-to-run spread, Holm-corrected p');
    const refused = await benchGate.run(context(['--update', ...fast]));
    expect(refused.status).toBe('failed');
    expect(refused.details?.[0]).toMatch(/^✗ regressed {2}demo\/heap {2}1\.50× \[1\.50–1\.50\] {2}1000 B → 1\.46 KiB {2}/);
    await git('checkout', '--', '.');
  }, 120_000);
});
