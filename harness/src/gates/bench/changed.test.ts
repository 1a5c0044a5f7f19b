import { describe, expect, it } from 'vitest';
import { touchedPackages } from './changed.ts';

const benchmarked = ['harness', 'throttler', 'vault'];

describe('touchedPackages', () => {
  it('maps package sources and suites to their package', () => {
    expect(touchedPackages(['packages/vault/src/keyring.ts', 'benchmarks/throttler/limit.bench.ts'], benchmarked)).toEqual(['throttler', 'vault']);
    expect(touchedPackages(['harness/src/gates/lint.ts'], benchmarked)).toEqual(['harness']);
  });

  it('measures nothing for docs, baselines, tests of other areas or unbenchmarked packages', () => {
    expect(touchedPackages(['README.md', 'PERFORMANCE.md', 'benchmarks/baselines/vault.json', 'packages/core/src/x.ts', 'docs/a.md', 'harness/README.md'], benchmarked)).toEqual([]);
  });

  it('measures everything when shared build inputs or the bench engine change', () => {
    for (const path of ['package-lock.json', 'package.json', 'tsconfig.base.json', 'harness/src/bench/measure.ts']) {
      expect(touchedPackages([path], benchmarked)).toEqual(benchmarked);
    }
  });
});
