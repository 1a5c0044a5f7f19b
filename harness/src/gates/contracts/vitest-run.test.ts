import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateContext } from '../../../test/contracts/gate-context.ts';
import { tempRoot } from '../../test-support/sinks.ts';
import { freshVitestEnv, readRunReport, RUN_ARGS, runContractSuites } from './vitest-run.ts';

describe('readRunReport', () => {
  it('reads each test with its repository-relative file, describe path and status', () => {
    using root = tempRoot();
    const report = join(root.path, 'report.json');
    writeFileSync(report, JSON.stringify({
      testResults: [
        { name: join(root.path, 'contracts/p/l1.contract.test.ts'), assertionResults: [{ ancestorTitles: ['a', 'b'], title: 'c', status: 'todo' }] },
        { assertionResults: [{}] },
        { name: join(root.path, 'contracts/p/l2.contract.test.ts') },
      ],
    }));
    expect(readRunReport(report, root.path)).toEqual([
      { file: 'contracts/p/l1.contract.test.ts', titles: ['a', 'b', 'c'], status: 'todo' },
      { file: '(unknown file)', titles: [''], status: 'unknown' },
    ]);
  });

  it('is undefined for a missing, truncated or foreign report', () => {
    using root = tempRoot();
    const report = join(root.path, 'report.json');
    expect(readRunReport(report, root.path)).toBeUndefined();
    writeFileSync(report, '{"testResults": [');
    expect(readRunReport(report, root.path)).toBeUndefined();
    writeFileSync(report, '{"numPassedTests": 3}');
    expect(readRunReport(report, root.path)).toBeUndefined();
  });
});

describe('runContractSuites', () => {
  it('runs the contracts project through the repository config, coverage off, JSON report', () => {
    expect(RUN_ARGS).toEqual(['--project', 'contracts', '--coverage.enabled=false', '--reporter=json']);
  });

  it('returns no entries, with the exit code and output, when vitest cannot start', async () => {
    using root = tempRoot();
    mkdirSync(join(root.path, 'node_modules'));
    const run = await runContractSuites(gateContext(root.path));
    expect(run.code).toBe(1);
    expect(run.entries).toBeUndefined();
    expect(run.output).toMatch(/^node:internal.* \| .*Error: Cannot find module '.*vitest\.mjs'/);
  });
});

describe('freshVitestEnv', () => {
  it("unsets vitest's own variables and keeps the rest", () => {
    expect(freshVitestEnv({ PATH: '/bin', VITEST: 'true', VITEST_POOL_ID: '1', CI: 'true' })).toEqual({ PATH: '/bin', VITEST: undefined, VITEST_POOL_ID: undefined, CI: 'true' });
  });
});
