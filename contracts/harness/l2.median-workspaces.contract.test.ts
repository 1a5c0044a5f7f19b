// L2 contract of @rampart/harness: median() of the bench statistics, and
// workspaces(), the list of workspaces that per-workspace coverage floors,
// the bench gate and the changeset gate all read.
// Locked: these tests are never modified, only added to.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { median, workspaces } from '@rampart/harness';

describe('@rampart/harness L2: median', () => {
  it('is the middle value of an odd count, the mean of the two middle values of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('does not reorder its input, and is NaN for no values', () => {
    const values = [9, 1, 5];
    expect(median(values)).toBe(5);
    expect(values).toEqual([9, 1, 5]);
    expect(median([])).toBeNaN();
  });
});

describe('@rampart/harness L2: workspaces', () => {
  let root: string;
  const write = (path: string, content: object): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), JSON.stringify(content));
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rampart-l2-workspaces-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('lists declared workspaces with their short names; a /* entry expands to the folders holding a package.json', () => {
    write('package.json', { name: 'repo', workspaces: ['packages/*', 'harness', 'examples/*'] });
    write('packages/core/package.json', { name: '@x/core' });
    write('packages/vault/package.json', { name: '@x/vault' });
    mkdirSync(join(root, 'packages', 'notes'), { recursive: true });
    write('harness/package.json', { name: '@x/harness' });
    write('examples/hello/package.json', { name: 'hello' });
    const found = workspaces(root);
    expect([...found].sort((a, b) => a.dir.localeCompare(b.dir))).toEqual([
      { dir: 'examples/hello', name: 'example-hello' },
      { dir: 'harness', name: 'harness' },
      { dir: 'packages/core', name: 'core' },
      { dir: 'packages/vault', name: 'vault' },
    ]);
  });

  it('is empty for a package.json without workspaces', () => {
    write('package.json', { name: 'single' });
    expect(workspaces(root)).toEqual([]);
  });
});
