// L2 contract of @rampart/harness: workspaces() reads a `./`-prefixed entry
// (`./packages/*`, as npm's own examples write it) as the same root-relative
// directories git and coverage name, and the built-in `test` gate fails a run
// in which no test ran, even when vitest exits 0 (`passWithNoTests`).
// Locked: add, never edit.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinGates, workspaces } from '@rampart/harness';
import type { GateContext } from '@rampart/harness';

describe('@rampart/harness L2: empty runs and ./ workspace entries', () => {
  let root: string;
  const write = (path: string, content: string): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rampart-l2-empty-dot-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('lists a ./dir/* or ./dir workspace entry under the directory git names, without the ./', () => {
    write('package.json', JSON.stringify({ name: 'repo', workspaces: ['./packages/*', './examples/hello/'] }));
    write('packages/core/package.json', JSON.stringify({ name: '@x/core' }));
    write('examples/hello/package.json', JSON.stringify({ name: 'hello' }));
    expect(workspaces(root)).toEqual([
      { dir: 'packages/core', name: 'core' },
      { dir: 'examples/hello', name: 'example-hello' },
    ]);
  });

  it('fails the test gate when vitest exits 0 having run no test', async () => {
    write('package.json', JSON.stringify({ name: 'repo', workspaces: [] }));
    const context: GateContext = {
      root,
      ci: false,
      config: { gates: ['test'], thresholds: { coverage: { floor: 0 } } },
      argv: [],
      log: () => undefined,
      exec: () => {
        write('reports/vitest.json', JSON.stringify({ numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, testResults: [] }));
        write('coverage/coverage-summary.json', JSON.stringify({ total: {} }));
        return Promise.resolve({ code: 0, stdout: '', stderr: '' });
      },
    };
    const gate = await builtinGates.test!();
    const result = await gate.run(context);
    expect(result.status).toBe('failed');
    expect(result.summary).toBe('0 passed, 0 failed · lines 100%');
  });
});
