import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listTasks, measure, mergeMeasurements, reasonOf, runArgs, type Measurement } from './measure.ts';

const dir = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const tiny = `${dir}tiny.bench.ts`;
const fast = { time: 5, warmupTime: 1 };

describe('measure (fresh processes)', () => {
  it('runs every side once per round and records ns/op per task and peer', async () => {
    const lines: string[] = [];
    const m = await measure(
      [{ id: 'base', cwd: dir, files: [tiny] }, { id: 'candidate', cwd: dir, files: [tiny], env: { TINY_COST: '1500', TINY_FAIL: '1' } }],
      { ...fast, rounds: 2, tasks: ['tiny/sample', 'tiny/fails'], log: (l) => lines.push(l) },
    );
    expect(m.samples.base?.['tiny/sample']).toEqual([1000, 1000]);
    expect(m.samples.candidate?.['tiny/sample']).toEqual([1500, 1500]);
    expect(m.peers.candidate?.['tiny/sample']).toEqual({ fixed: [750, 750] });
    expect(m.samples.base?.['tiny/fails']).toHaveLength(2);
    expect(m.samples.candidate?.['tiny/fails']).toBeUndefined();
    expect(m.samples.base?.['tiny/fn']).toBeUndefined();
    expect(m.errors).toEqual(['candidate: tiny/fails failed: boom', 'candidate: tiny/fails failed: boom']);
    expect(lines).toEqual(['  round 1/2 done', '  round 2/2 done']);
    expect(m.wallMs).toBeGreaterThan(0);
  });

  it('records the unit of a bytes task, and none for time tasks', async () => {
    const m = await measure([{ id: 'candidate', cwd: dir, files: [tiny], env: { TINY_BYTES: '1' } }], { ...fast, rounds: 1, tasks: ['tiny/sample', 'tiny/bytes'] });
    expect(m.samples.candidate).toEqual({ 'tiny/sample': [1000], 'tiny/bytes': [96] });
    expect(m.peers.candidate?.['tiny/bytes']).toEqual({ other: [192] });
    expect(m.units).toEqual({ candidate: { 'tiny/bytes': 'bytes' } });
  });

  it('turns a crashing process into an error, not a result', async () => {
    const m = await measure([{ id: 'candidate', cwd: dir, files: [tiny], env: { TINY_CRASH: '1' } }], { ...fast, rounds: 1 });
    expect(m.samples).toEqual({});
    expect(m.errors).toHaveLength(1);
    expect(m.errors[0]).toMatch(/^candidate: .*tiny\.bench\.ts exited with 1: .*tiny suite crashed on load/);
  });

  it('lists the tasks of a suite in a fresh process', async () => {
    const listing = await listTasks({ id: 'candidate', cwd: dir, files: [], env: { TINY_EXTRA: '1' } }, tiny);
    expect(listing.tasks.map((t) => t.name)).toEqual(['tiny/fn', 'tiny/sample', 'tiny/fails', 'tiny/extra']);
  });
});

describe('runArgs', () => {
  it('passes time, warm-up and tasks, and asks for peers first on odd rounds (counting from startRound)', () => {
    const options = { rounds: 4, time: 60, warmupTime: 20, tasks: ['x/a'] };
    expect(runArgs(options, 0)).toEqual(['--time', '60', '--warmup', '20', '--task', 'x/a']);
    expect(runArgs(options, 1)).toEqual(['--time', '60', '--warmup', '20', '--task', 'x/a', '--peers-first']);
    expect(runArgs(options, 2)).not.toContain('--peers-first');
    expect(runArgs({ ...options, startRound: 1 }, 0)).toContain('--peers-first');
    expect(runArgs({ ...options, startRound: 1 }, 1)).not.toContain('--peers-first');
  });
});

describe('reasonOf', () => {
  it('picks the error line of a crash, or the last lines when there is none', () => {
    expect(reasonOf('file:///x.ts:3\n  throw new Error("boom")\n\nError: boom\n    at x (file:///x.ts:3:9)')).toBe('Error: boom');
    expect(reasonOf('TypeError [ERR_X]: bad\n    at y')).toBe('TypeError [ERR_X]: bad');
    expect(reasonOf('a\nb\nc\nd\n')).toBe('b | c | d');
    expect(reasonOf('')).toBe('');
  });
});

describe('measure (preconditions)', () => {
  it('refuses sides with different suite files', async () => {
    await expect(measure([{ id: 'a', cwd: dir, files: [tiny] }, { id: 'b', cwd: dir, files: [] }], { ...fast, rounds: 1 }))
      .rejects.toThrow(new RangeError('every side must run the same suite files'));
    expect((await measure([], { ...fast, rounds: 1 })).samples).toEqual({});
  });
});

describe('mergeMeasurements', () => {
  it('appends rounds and pads tasks missing from one part with NaN', () => {
    const a: Measurement = { rounds: 2, samples: { c: { 'x/a': [1, 2] } }, peers: { c: { 'x/a': { p: [5, 6] } } }, units: { c: { 'x/a': 'bytes' } }, errors: ['e1'], wallMs: 10 };
    const b: Measurement = { rounds: 1, samples: { c: { 'x/a': [3], 'x/b': [9] }, d: { 'x/a': [4] } }, peers: { d: { 'x/a': { p: [7] } } }, units: { d: { 'x/a': 'bytes' } }, errors: [], wallMs: 5 };
    expect(mergeMeasurements(a, b)).toEqual({
      rounds: 3,
      samples: { c: { 'x/a': [1, 2, 3], 'x/b': [Number.NaN, Number.NaN, 9] }, d: { 'x/a': [Number.NaN, Number.NaN, 4] } },
      peers: { c: { 'x/a': { p: [5, 6, Number.NaN] } }, d: { 'x/a': { p: [Number.NaN, Number.NaN, 7] } } },
      units: { c: { 'x/a': 'bytes' }, d: { 'x/a': 'bytes' } },
      errors: ['e1'],
      wallMs: 15,
    });
  });
});
