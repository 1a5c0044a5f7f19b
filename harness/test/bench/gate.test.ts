/**
 * The bench gate end to end, in a throwaway git repository whose one suite
 * has a `sample` task with a cost read from src/cost.json: verdicts are
 * deterministic, and a "regression" is a one-line change to that file.
 * The steps share the repository and run in order.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateContext } from '../../src/gate.ts';
import { benchGate } from '../../src/gates/bench/index.ts';
import { exec } from '../contracts/gate-context.ts';

const SUITE = `
import { readFileSync } from 'node:fs';
const cost = () => JSON.parse(readFileSync(new URL('../../src/cost.json', import.meta.url), 'utf8')).ns;
export default { package: 'demo', tasks: [{ name: 'demo/cost', sample: () => Promise.resolve(cost()) }] };
`;
const fast = ['--no-build', '--rounds', '5', '--time', '5', '--warmup', '1'];

let root = '';
const logs: string[] = [];
const context = (argv: string[], ci = false): GateContext => ({
  root, ci, argv, exec, log: (line) => logs.push(line),
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
const cost = (ns: number): void => write('src/cost.json', JSON.stringify({ ns }));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rampart-bench-gate-'));
  write('package.json', JSON.stringify({ name: 'demo', private: true, type: 'module' }));
  write('benchmarks/demo/cost.bench.ts', SUITE);
  write('.gitignore', 'node_modules\ndist\n');
  cost(1000);
  await git('init', '-q', '-b', 'main');
  await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'empty');
  await git('add', '.');
  await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'suite');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('bench gate', () => {
  it('rejects unknown options and --update with --filter', async () => {
    await expect(benchGate.run(context(['--frobnicate']))).rejects.toMatchObject({ code: 'HARNESS_ERR_USAGE', message: expect.stringContaining("bench: Unknown option '--frobnicate'") });
    const filtered = await benchGate.run(context(['--update', '--filter', 'demo/*', ...fast]));
    expect(filtered).toMatchObject({ status: 'failed', summary: 'use --package with --update, not --filter' });
  });

  it('--update writes the baseline, PERFORMANCE.md and the chart', async () => {
    // A mistyped package is a usage error, alone or beside a real one (it used to shrink the run silently).
    for (const names of [['nope'], ['demo', 'nope']]) {
      await expect(benchGate.run(context(['--update', ...names.flatMap((n) => ['--package', n]), ...fast]))).rejects.toMatchObject({
        code: 'HARNESS_ERR_USAGE',
        message: 'Invalid command line: bench: --package nope: no benchmarks/<name>/*.bench.ts (packages with suites: demo)',
      });
    }
    expect(existsSync(join(root, 'benchmarks/baselines'))).toBe(false);
    const r = await benchGate.run(context(['--update', '--package', 'demo', ...fast]));
    expect(r.status).toBe('passed');
    expect(r.summary).toBe('baselines updated: demo (1 tasks × 5 runs)');
    const baseline = JSON.parse(readFileSync(join(root, 'benchmarks/baselines/demo.json'), 'utf8'));
    expect(baseline.tasks['demo/cost']).toEqual({ median: 1000, dispersion: 0, samples: 5, runs: [1000, 1000, 1000, 1000, 1000] });
    expect(baseline.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(readFileSync(join(root, 'PERFORMANCE.md'), 'utf8')).toContain('| `demo/cost` | 1.00 µs | 1,000,000 | ±0.0% | 5 | – |');
    expect(existsSync(join(root, 'benchmarks/performance.svg'))).toBe(true);
    await git('add', '.');
    await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'baselines');
  });

  it('passes unchanged code against the stored baseline', async () => {
    const r = await benchGate.run(context([...fast, '--package', 'demo', '--budget', '60']));
    expect(r.status).toBe('passed');
    expect(r.summary).toBe('1 tasks vs stored baselines: 0 regressed, 0 slower, 1 same, 0 faster, 0 unstable');
    expect(r.details).toContain('= same       demo/cost  1.00× [1.00–1.00]  1.00 µs → 1.00 µs  ±0.0%/±0.0%  p=1.0000');
  });

  it('in CI, measures nothing when no benchmarked package was touched, but still checks PERFORMANCE.md', async () => {
    // HEAD~1..HEAD wrote only the baseline, PERFORMANCE.md and the chart: the baseline counts as touching demo.
    const baselineOnly = await benchGate.run(context(fast, true));
    expect(baselineOnly.summary).toBe('1 tasks vs stored baselines: 0 regressed, 0 slower, 1 same, 0 faster, 0 unstable');
    expect(baselineOnly.details).toContain('CI: packages touched since HEAD~1: demo');
    // A docs-only commit on top touches nothing.
    write('README.md', 'docs only');
    await git('add', 'README.md');
    await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'docs');
    const clean = await benchGate.run(context(fast, true));
    expect(clean).toMatchObject({ status: 'passed', summary: 'no benchmarked package touched; baselines and PERFORMANCE.md checked' });
    write('PERFORMANCE.md', 'hand-edited');
    const drift = await benchGate.run(context(fast, true));
    expect(drift.status).toBe('failed');
    expect(drift.details).toContain('FAIL PERFORMANCE.md differs from the baselines (generated files are never hand-edited): run npm run bench -- --update');
    rmSync(join(root, 'benchmarks/performance.svg'));
    const missing = await benchGate.run(context(fast, true));
    expect(missing.details).toContain('FAIL benchmarks/performance.svg is missing: run npm run bench -- --update');
    await git('checkout', '--', '.');
  });

  it('fails when a task produces no result, and --update then writes nothing', async () => {
    write('benchmarks/demo/cost.bench.ts', SUITE.replace('Promise.resolve(cost())', 'Promise.reject(new Error("no server"))'));
    const r = await benchGate.run(context(fast));
    expect(r.status).toBe('failed');
    expect(r.details?.slice(0, 3)).toEqual(['FAIL nothing was measured', 'FAIL demo/cost: no result', 'FAIL 1 benchmark error(s)']);
    expect(r.details).toContain('✗ error      candidate: demo/cost failed: no server');
    const update = await benchGate.run(context(['--update', ...fast]));
    expect(update).toMatchObject({ status: 'failed', summary: 'measurement failed; baselines not written' });
    expect(update.details).toEqual(['candidate: demo/cost failed: no server', 'demo/cost: missing runs']);
    write('benchmarks/demo/cost.bench.ts', SUITE.replace("'demo/cost'", "'Demo Cost'"));
    const misnamed = await benchGate.run(context(['--update', ...fast]));
    expect(misnamed).toMatchObject({ status: 'failed', summary: 'suites have problems; baselines not written', details: ['demo/cost.bench.ts: task "Demo Cost" must be named demo/<operation>[/<size>]'] });
    await git('checkout', '--', '.');
  });

  it('fails a 50% regression, confirmed side by side with the baseline commit', async () => {
    cost(1500);
    const r = await benchGate.run(context(fast));
    expect(r.status).toBe('failed');
    expect(r.summary).toBe('1 tasks vs stored baselines: 1 regressed, 0 slower, 0 same, 0 faster, 0 unstable');
    expect(r.details?.[0]).toBe('FAIL demo/cost: 50% slower (> 20%), confirmed by re-run (first run 1.50×)');
    expect(r.figures).toMatchObject({ regressed: 1, tasks: 1, missing: 0, errors: 0 });
    expect(logs).toContain('  1 suspected regression(s), confirming with an independent re-run');
  }, 120_000);

  it('confirms by re-measuring against the baselines when their commit cannot be checked out', async () => {
    cost(1500);
    const path = join(root, 'benchmarks/baselines/demo.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/"commit": "([0-9a-f]{40})"/, '"commit": "$1+dirty"'));
    const r = await benchGate.run(context(fast));
    expect(r.status).toBe('failed');
    expect(r.details).toContain('FAIL demo/cost: 50% slower (> 20%), confirmed by re-run (first run 1.50×)');
    expect(r.details).toContain('suspected regressions are confirmed by re-measuring against the baselines');
    await git('checkout', '--', 'benchmarks');
  }, 120_000);

  it('--update refuses to bake the regression into the baseline unless accepted', async () => {
    const refused = await benchGate.run(context(['--update', ...fast]));
    expect(refused).toMatchObject({ status: 'failed', summary: '1 task(s) regressed against the current baselines; nothing written' });
    expect(JSON.parse(readFileSync(join(root, 'benchmarks/baselines/demo.json'), 'utf8')).tasks['demo/cost'].median).toBe(1000);
    write('benchmarks/baselines/retired.json', readFileSync(join(root, 'benchmarks/baselines/demo.json'), 'utf8').replace('"package": "demo"', '"package": "retired"'));
    const accepted = await benchGate.run(context(['--update', '--accept-regression', ...fast]));
    expect(accepted.status).toBe('passed');
    expect(existsSync(join(root, 'benchmarks/baselines/retired.json'))).toBe(false);
    expect(accepted.details?.some((d) => d.startsWith('ACCEPTED REGRESSION ✗ regressed  demo/cost  1.50×'))).toBe(true);
    await git('checkout', '--', '.');
  });

  it('fails when a baselined task disappeared and a new one has no baseline', async () => {
    write('benchmarks/demo/cost.bench.ts', SUITE.replace("'demo/cost'", "'demo/renamed'"));
    const r = await benchGate.run(context(fast));
    expect(r.status).toBe('failed');
    expect(r.details).toContain('FAIL baselined task demo/cost disappeared (removed or renamed? run npm run bench -- --update if on purpose)');
    expect(r.details).toContain('FAIL task demo/renamed has no baseline: run npm run bench -- --update');
    expect(r.details).toContain('· new        demo/renamed: nothing to compare with in stored baselines');
    await git('checkout', '--', '.');
  });

  it('in CI, measures a touched package within the default budget', async () => {
    write('benchmarks/demo/cost.bench.ts', `${SUITE}// touched\n`);
    const r = await benchGate.run(context(fast, true));
    expect(r.status).toBe('passed');
    expect(r.summary).toBe('1 tasks vs stored baselines: 0 regressed, 0 slower, 1 same, 0 faster, 0 unstable');
    expect(r.details).toContain('CI: packages touched since HEAD~1: demo');
    await git('checkout', '--', '.');
  });

  it('falls back to side by side, and says why, when the environment differs from the baselines', async () => {
    const path = join(root, 'benchmarks/baselines/demo.json');
    const baseline = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...baseline, fingerprint: { ...baseline.fingerprint, node: 'v0.0.1' } }));
    const r = await benchGate.run(context(fast));
    expect(r.summary).toBe('1 tasks vs side by side with HEAD: 0 regressed, 0 slower, 1 same, 0 faster, 0 unstable');
    expect(r.details).toContain(`environment differs from the baselines (demo: node: v0.0.1 → ${process.version}): comparing side by side with HEAD instead`);
    // PERFORMANCE.md names the old environment: regenerated files drift, and that alone fails.
    expect(r.status).toBe('failed');
    expect(r.details?.[0]).toBe('FAIL PERFORMANCE.md differs from the baselines (generated files are never hand-edited): run npm run bench -- --update');
    await git('checkout', '--', '.');
  }, 120_000);

  it('fails before measuring when the build fails', async () => {
    const r = await benchGate.run(context(['--rounds', '5']));
    expect(r.status).toBe('failed');
    expect(r.summary).toBe('build failed; benchmarks run against dist/');
  });

  it('fails when there is nothing to measure or no task matches the filter', async () => {
    const none = await benchGate.run(context(['--filter', 'nope/*', ...fast]));
    expect(none).toMatchObject({ status: 'failed', summary: 'no task matches nope/*' });
    rmSync(join(root, 'benchmarks/demo'), { recursive: true });
    const empty = await benchGate.run(context(fast));
    expect(empty).toMatchObject({ status: 'failed', summary: 'nothing to measure: no benchmarks/<package>/*.bench.ts' });
    await git('checkout', '--', '.');
  });

  it('compares side by side with a git ref, without the baseline bookkeeping', async () => {
    write('PERFORMANCE.md', 'stale, but --against does not judge it');
    const r = await benchGate.run(context(['--against', 'HEAD~1', ...fast]));
    expect(r.status).toBe('passed');
    expect(r.summary).toBe('1 tasks vs side by side with HEAD~1: 0 regressed, 0 slower, 1 same, 0 faster, 0 unstable');
    await git('checkout', '--', '.');
  }, 120_000);

  it('removes base worktrees left by a killed run on this machine, and only those', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const add = async (reason: string): Promise<string> => {
      const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-base-'));
      await git('worktree', 'add', '--detach', '--force', '--lock', '--reason', reason, dir, 'HEAD');
      return dir;
    };
    const abandoned = await add(`rampart-harness bench pid ${String(dead)} on ${hostname()}`);
    const running = await add(`rampart-harness bench pid ${String(process.pid)} on ${hostname()}`);
    const elsewhere = await add(`rampart-harness bench pid ${String(dead)} on another-host`);
    const foreign = await add('kept by hand');
    const vanished = await add(`rampart-harness bench pid ${String(dead)} on ${hostname()}`);
    rmSync(vanished, { recursive: true, force: true });
    logs.length = 0;
    const r = await benchGate.run(context(['--against', 'HEAD', ...fast]));
    expect(r.status).toBe('passed');
    expect(logs).toContain(`bench: removed ${abandoned}, a base worktree left by an interrupted run (pid ${String(dead)})`);
    expect(existsSync(abandoned)).toBe(false);
    const listed = (await exec('git', ['worktree', 'list', '--porcelain'], { cwd: root })).stdout;
    const paths = [...listed.matchAll(/^worktree (.+)$/gm)].map((m) => m[1]);
    // The run's own worktree is gone too: only the main checkout and the three that are not abandoned remain.
    expect(paths.slice(1).sort()).toEqual([running, elsewhere, foreign].sort());
    for (const dir of [running, elsewhere, foreign]) {
      await git('worktree', 'remove', '--force', '--force', dir);
    }
  }, 120_000);

  it('fails with the reason when the ref cannot be checked out', async () => {
    const r = await benchGate.run(context(['--against', 'no-such-ref', ...fast]));
    expect(r.status).toBe('failed');
    expect(r.summary).toBe('bench gate could not run');
    expect(r.details?.[0]).toMatch(/^git rev-parse --verify no-such-ref\^\{commit\} failed: /);
  });

  it('builds before measuring', async () => {
    symlinkSync(join(process.cwd(), 'node_modules'), join(root, 'node_modules'));
    write('src/x.ts', 'export const x = 1;\n');
    write('tsconfig.build.json', JSON.stringify({ compilerOptions: { rootDir: 'src', outDir: 'dist', types: [] }, files: ['src/x.ts'] }));
    const r = await benchGate.run(context(fast.filter((a) => a !== '--no-build')));
    expect(r.status).toBe('passed');
    expect(existsSync(join(root, 'dist/x.js'))).toBe(true);
  }, 120_000);

  it('fails with the reason when the base does not build, and removes its worktree', async () => {
    write('tsconfig.build.json', JSON.stringify({ files: ['src/missing.ts'] }));
    await git('add', '.');
    await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'build config');
    const r = await benchGate.run(context(['--against', 'HEAD', ...fast]));
    expect(r).toMatchObject({ status: 'failed', summary: 'bench gate could not run' });
    expect(r.details?.[0]).toMatch(/^build of HEAD failed: /);
    const worktrees = await exec('git', ['worktree', 'list', '--porcelain'], { cwd: root });
    expect(worktrees.stdout.match(/^worktree /gm)).toHaveLength(1);
  }, 120_000);
});
