import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GateContext } from '../../gate.ts';
import { taskBaseline, type BaselineFile } from '../../bench/baseline.ts';
import { currentFingerprint } from '../../bench/fingerprint.ts';
import { tempRoot } from '../../test-support/sinks.ts';
import { runComparison } from './compare-mode.ts';
import type { Inventory } from './inventory.ts';
import { parseBenchOptions } from './options.ts';

const tiny = fileURLToPath(new URL('../../bench/__fixtures__/tiny.bench.ts', import.meta.url));

// the failure line printed `threshold * 100` raw, so a configured
// benchRegression of 0.07 read "(> 7.000000000000001%)".
describe('runComparison failure line', () => {
  it('prints the threshold as a plain percentage', async () => {
    using root = tempRoot();
    mkdirSync(join(root.path, 'benchmarks', 'tiny'), { recursive: true });
    copyFileSync(tiny, join(root.path, 'benchmarks', 'tiny', 'tiny.bench.ts'));
    const context = { root: root.path, ci: false, argv: [], log: () => undefined } as unknown as GateContext;
    const inv: Inventory = {
      suites: [], all: new Map([['tiny/sample', 'tiny']]), tasks: ['tiny/sample'],
      files: new Map([['tiny/sample', 'tiny/tiny.bench.ts']]), problems: [],
    };
    // The fixture's sample task costs 1000 ns on every run: twice the stored 500 ns.
    const stored: BaselineFile = {
      package: 'tiny', commit: 'abc+dirty', fingerprint: currentFingerprint(), settings: { rounds: 20, time: 5, warmupTime: 1 },
      tasks: { 'tiny/sample': taskBaseline(Array.from({ length: 20 }, () => 500)) },
    };
    const options = parseBenchOptions(['--rounds', '5', '--time', '5', '--warmup', '1', '--no-build']);
    const r = await runComparison({ context, options, inv, baselines: { files: [stored], problems: [] }, threshold: 0.07, problems: [] });
    expect(r.status).toBe('failed');
    expect(r.details?.[0]).toBe('FAIL tiny/sample: 100% slower (> 7%), confirmed by re-run (first run 2.00×)');
  }, 60_000);
});
