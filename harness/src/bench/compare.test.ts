import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { taskBaseline } from './baseline.ts';
import { againstBaseline, sideBySide, type CodeVersion } from './compare.ts';

const dir = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const files = new Map([['tiny/sample', 'tiny.bench.ts'], ['tiny/extra', 'tiny.bench.ts'], ['tiny/fails', 'tiny.bench.ts']]);
const fast = { time: 5, warmupTime: 1 };
const base: CodeVersion = { id: 'base', benchDir: dir, cwd: dir };

describe('sideBySide', () => {
  it('pairs rounds, and separates new and missing tasks', async () => {
    const candidate: CodeVersion = { id: 'candidate', benchDir: dir, cwd: dir, env: { TINY_COST: '1300', TINY_EXTRA: '1', TINY_FAIL: '1' } };
    const c = await sideBySide(base, candidate, files, fast)(['tiny/sample', 'tiny/extra', 'tiny/fails'], 2);
    expect(c.paired).toBe(true);
    expect(c.samples).toEqual([{ task: 'tiny/sample', base: [1000, 1000], candidate: [1300, 1300] }]);
    expect(c.unmatched).toEqual(['tiny/extra']);
    expect(c.missing).toEqual(['tiny/fails']);
    expect(c.errors).toEqual(['candidate: tiny/fails failed: boom']);
    expect(c.rounds).toBe(2);
  });

  it('shrinks the rounds to the budget, never below the minimum', async () => {
    const logs: string[] = [];
    const compare = sideBySide(base, { ...base, id: 'candidate' }, files, { ...fast, budgetMs: 1, minRounds: 2, log: (l) => logs.push(l) });
    const c = await compare(['tiny/sample'], 4);
    expect(c.rounds).toBe(2);
    expect(c.samples[0]?.base).toEqual([1000, 1000]);
    expect(logs.some((l) => /^ {2}budget: 2 rounds instead of 4 \(one round takes \d+ ms\)$/.test(l))).toBe(true);
  });
});

describe('againstBaseline', () => {
  it('compares fresh candidate runs with stored runs, unpaired', async () => {
    const stored = new Map([['tiny/sample', taskBaseline([900, 1000, 1100])]]);
    const compare = againstBaseline({ id: 'candidate', benchDir: dir, cwd: dir, env: { TINY_EXTRA: '1' } }, stored, files, fast);
    const c = await compare(['tiny/sample', 'tiny/extra'], 2);
    expect(c.paired).toBe(false);
    expect(c.samples).toEqual([{ task: 'tiny/sample', base: [900, 1000, 1100], candidate: [1000, 1000] }]);
    expect(c.unmatched).toEqual(['tiny/extra']);
    expect(c.missing).toEqual([]);
  });
});

describe('unit of a bytes task', () => {
  const withBytes = new Map([...files, ['tiny/bytes', 'tiny.bench.ts']]);
  const bytes: CodeVersion = { ...base, env: { TINY_BYTES: '1' } };

  it('travels from the candidate runs into the paired samples', async () => {
    const c = await sideBySide(bytes, { ...bytes, id: 'candidate' }, withBytes, fast)(['tiny/sample', 'tiny/bytes'], 1);
    expect(c.samples).toEqual([{ task: 'tiny/sample', base: [1000], candidate: [1000] }, { task: 'tiny/bytes', base: [96], candidate: [96], unit: 'bytes' }]);
  });

  it('travels into samples compared with stored runs', async () => {
    const stored = new Map([['tiny/bytes', taskBaseline([90, 96, 100], {}, 'bytes')]]);
    const c = await againstBaseline({ ...bytes, id: 'candidate' }, stored, withBytes, fast)(['tiny/bytes'], 1);
    expect(c.samples).toEqual([{ task: 'tiny/bytes', base: [90, 96, 100], candidate: [96], unit: 'bytes' }]);
  });
});

// A task that changed unit under the same name was judged bytes against stored
// nanoseconds (1001 "B" -> 400 B: faster, passed) and its stale baseline stayed.
describe('a task whose unit changed', () => {
  const withBytes = new Map([...files, ['tiny/bytes', 'tiny.bench.ts']]);
  const bytes: CodeVersion = { ...base, env: { TINY_BYTES: '1' } };

  it('is an error against a stored baseline in the other unit, asking for --update', async () => {
    const stored = new Map([['tiny/bytes', taskBaseline([1000, 1001, 1002])]]);
    const c = await againstBaseline({ ...bytes, id: 'candidate' }, stored, withBytes, fast)(['tiny/bytes'], 1);
    expect(c.samples).toEqual([]);
    expect(c.errors).toEqual(['tiny/bytes: measures bytes per operation, its baseline holds ns: run npm run bench -- --update']);
  });

  it('has no base to compare with side by side, like a new task', async () => {
    const timed: CodeVersion = { ...base, env: { TINY_BYTES: '1', TINY_BYTES_UNIT: 'ns' } };
    const c = await sideBySide(timed, { ...bytes, id: 'candidate' }, withBytes, fast)(['tiny/sample', 'tiny/bytes'], 1);
    expect(c.samples).toEqual([{ task: 'tiny/sample', base: [1000], candidate: [1000] }]);
    expect(c.unmatched).toEqual(['tiny/bytes']);
  });
});

describe('sideBySide with a base that crashes', () => {
  it('has nothing to compare and reports why', async () => {
    const crashing: CodeVersion = { ...base, env: { TINY_CRASH: '1' } };
    const c = await sideBySide(crashing, { ...base, id: 'candidate' }, files, fast)(['tiny/sample'], 1);
    expect(c.samples).toEqual([]);
    expect(c.unmatched).toEqual(['tiny/sample']);
    expect(c.errors).toHaveLength(1);
    expect(c.errors[0]).toMatch(/^base: .* exited with 1: Error: tiny suite crashed on load$/);
  });
});
