import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempRoot } from '../test-support/sinks.ts';
import { readBaselines, taskBaseline, type BaselineFile } from './baseline.ts';

const fingerprint = { node: 'v24.0.0', v8: '13.6', cpu: 'cpu', cores: 2, os: 'linux' };
const good: BaselineFile = {
  package: 'vault', commit: 'abc', fingerprint, settings: { rounds: 3, time: 50, warmupTime: 10 },
  tasks: { 'vault/a': taskBaseline([10, 11, 12]) },
};

// only the file's outline was checked. A task entry without runs
// (hand-edited, or a bad merge) was accepted; the gate then found no base
// runs, listed the task as "new" and passed it uncompared, while the coverage
// check counted it as baselined. A null fingerprint crashed the gate with a
// raw TypeError instead of being reported as a problem with the file.
describe('readBaselines with malformed content', () => {
  it('reports a task entry without runs to compare with as a problem', () => {
    using dir = tempRoot();
    const { runs: _runs, ...noRuns } = taskBaseline([10, 11, 12]);
    writeFileSync(join(dir.path, 'vault.json'), JSON.stringify({ ...good, tasks: { 'vault/a': noRuns } }));
    writeFileSync(join(dir.path, 'core.json'), JSON.stringify({ ...good, package: 'core', tasks: { 'core/a': { ...taskBaseline([1]), runs: [] } } }));
    writeFileSync(join(dir.path, 'http.json'), JSON.stringify({ ...good, package: 'http', tasks: { 'http/a': { ...taskBaseline([1]), runs: [1, 'x'] } } }));
    const set = readBaselines(dir.path);
    expect(set.files).toEqual([]);
    expect(set.problems).toEqual([
      'core.json: task core/a has no runs to compare with',
      'http.json: task http/a has no runs to compare with',
      'vault.json: task vault/a has no runs to compare with',
    ]);
  });

  it('reports a null fingerprint as a problem, and still reads good files', () => {
    using dir = tempRoot();
    writeFileSync(join(dir.path, 'core.json'), JSON.stringify({ ...good, package: 'core', fingerprint: null }));
    writeFileSync(join(dir.path, 'vault.json'), JSON.stringify(good));
    const set = readBaselines(dir.path);
    expect(set.files.map((f) => f.package)).toEqual(['vault']);
    expect(set.problems).toEqual(['core.json: not a baseline file for package core']);
  });
});
