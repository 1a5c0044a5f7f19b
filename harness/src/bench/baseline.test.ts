import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempRoot } from '../test-support/sinks.ts';
import { readBaselines, round4, taskBaseline, writeBaseline, type BaselineFile } from './baseline.ts';

const fingerprint = { node: 'v24.0.0', v8: '13.6', cpu: 'cpu', cores: 2, os: 'linux' };

function file(pkg: string): BaselineFile {
  return {
    package: pkg, commit: 'abc', fingerprint, settings: { rounds: 3, time: 50, warmupTime: 10 },
    tasks: { [`${pkg}/z`]: taskBaseline([3, 1, 2]), [`${pkg}/a`]: taskBaseline([10, 10, 10]) },
  };
}

describe('taskBaseline', () => {
  it('summarises runs and peers, dropping failed (NaN) runs', () => {
    expect(taskBaseline([100.123456, 102, Number.NaN, 98], { zeta: [50, 51, 49], alpha: [200, 200, 200] })).toEqual({
      median: 100.1, dispersion: 0.02779, samples: 3, runs: [100.1, 102, 98],
      peers: { alpha: { median: 200, dispersion: 0 }, zeta: { median: 50, dispersion: 0.02965 } },
    });
  });

  it('has no peers key without peers', () => {
    expect(Object.keys(taskBaseline([1, 2, 3]))).toEqual(['median', 'dispersion', 'samples', 'runs']);
  });
});

describe('round4', () => {
  it('keeps four significant digits and leaves non-finite values alone', () => {
    expect(round4(123_456)).toBe(123_500);
    expect(round4(0.000123456)).toBe(0.0001235);
    expect(round4(Number.NaN)).toBeNaN();
  });
});

describe('readBaselines / writeBaseline', () => {
  it('round-trips files with tasks sorted by name', () => {
    using dir = tempRoot();
    const path = writeBaseline(join(dir.path, 'baselines'), file('vault'));
    expect(Object.keys((JSON.parse(readFileSync(path, 'utf8')) as BaselineFile).tasks)).toEqual(['vault/a', 'vault/z']);
    expect(readFileSync(path, 'utf8').endsWith('}\n')).toBe(true);
    const set = readBaselines(join(dir.path, 'baselines'));
    expect(set.problems).toEqual([]);
    expect(set.files.map((f) => f.package)).toEqual(['vault']);
  });

  it('reports unreadable and misnamed files as problems', () => {
    using dir = tempRoot();
    writeBaseline(dir.path, file('core'));
    writeFileSync(join(dir.path, 'broken.json'), '{ nope');
    writeFileSync(join(dir.path, 'other.json'), JSON.stringify(file('http')));
    writeFileSync(join(dir.path, 'notes.txt'), 'ignored');
    const set = readBaselines(dir.path);
    expect(set.files.map((f) => f.package)).toEqual(['core']);
    expect(set.problems).toHaveLength(2);
    expect(set.problems[0]).toMatch(/^broken\.json: /);
    expect(set.problems[1]).toBe('other.json: not a baseline file for package other');
  });

  it('returns nothing for a missing directory', () => {
    expect(readBaselines('/nonexistent/rampart/baselines')).toEqual({ files: [], problems: [] });
  });
});
