import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listSuite, loadSuite, runSuite } from './run-suite.ts';
import { defineBenchSuite } from './suite.ts';

const fast = { time: 5, warmupTime: 1 };

describe('runSuite', () => {
  it('times fn tasks and their peers, and takes sample tasks at their word', async () => {
    const events: string[] = [];
    const suite = defineBenchSuite({
      package: 'demo',
      setup: () => { events.push('suite setup'); },
      teardown: () => { events.push('suite teardown'); },
      tasks: [
        { name: 'demo/fn', fn: () => Math.sqrt(2), peers: { raw: () => 2 ** 0.5 }, setup: () => { events.push('fn setup'); }, teardown: () => { events.push('fn teardown'); } },
        { name: 'demo/sample', sample: () => Promise.resolve(1234), peers: { other: () => Promise.resolve(617) } },
      ],
    });
    const run = await runSuite(suite, fast);
    expect(run.errors).toEqual([]);
    expect(run.tasks.map((t) => t.name)).toEqual(['demo/fn', 'demo/sample']);
    expect(run.tasks[0]?.nsPerOp).toBeGreaterThanOrEqual(0);
    expect(Object.keys(run.tasks[0]?.peers ?? {})).toEqual(['raw']);
    expect(run.tasks[1]).toEqual({ name: 'demo/sample', nsPerOp: 1234, peers: { other: 617 } });
    expect(events).toEqual(['suite setup', 'fn setup', 'fn teardown', 'suite teardown']);
  });

  it('times the peers first, in reverse, when asked (odd rounds), and still reports each under its own name', async () => {
    const calls: string[] = [];
    const at = (label: string, ns: number) => () => { calls.push(label); return Promise.resolve(ns); };
    const suite = defineBenchSuite({ package: 'demo', tasks: [{ name: 'demo/s', sample: at('task', 30), peers: { a: at('a', 10), b: at('b', 20) } }] });
    expect((await runSuite(suite, fast)).tasks).toEqual([{ name: 'demo/s', nsPerOp: 30, peers: { a: 10, b: 20 } }]);
    expect(calls.splice(0)).toEqual(['task', 'a', 'b']);
    expect((await runSuite(suite, { ...fast, peersFirst: true })).tasks).toEqual([{ name: 'demo/s', nsPerOp: 30, peers: { a: 10, b: 20 } }]);
    expect(calls).toEqual(['b', 'a', 'task']);

    const order: string[] = [];
    const seen = (label: string) => () => { if (order.at(-1) !== label) order.push(label); };
    const fnSuite = defineBenchSuite({ package: 'demo', tasks: [{ name: 'demo/f', fn: seen('task'), peers: { a: seen('a'), b: seen('b') } }] });
    const run = await runSuite(fnSuite, { ...fast, peersFirst: true });
    expect(Object.keys(run.tasks[0]?.peers ?? {})).toEqual(['a', 'b']);
    expect(order.slice(0, 3)).toEqual(['b', 'a', 'task']);
    expect(new Set(order.slice(3))).toEqual(new Set(['b', 'a', 'task']));
  });

  it('reports a failing task and still runs the others', async () => {
    const suite = defineBenchSuite({
      package: 'demo',
      tasks: [
        { name: 'demo/throws', fn: () => { throw new Error('boom'); } },
        { name: 'demo/bad-sample', sample: () => Promise.resolve(-1) },
        { name: 'demo/neither' },
        { name: 'demo/ok', sample: () => Promise.resolve(10) },
      ],
    });
    const run = await runSuite(suite, fast);
    expect(run.tasks.map((t) => t.name)).toEqual(['demo/ok']);
    expect(run.errors).toEqual([
      { task: 'demo/throws', message: 'boom' },
      { task: 'demo/bad-sample', message: 'demo/bad-sample: sample() must resolve to a positive number of ns per operation, got -1' },
      { task: 'demo/neither', message: 'demo/neither: give exactly one of fn or sample' },
    ]);
  });

  it('reports the unit of a bytes sample task with its peers, and refuses bytes for a timed fn', async () => {
    const suite = defineBenchSuite({
      package: 'demo',
      tasks: [
        { name: 'demo/heap', unit: 'bytes', sample: () => Promise.resolve(141.4), peers: { other: () => Promise.resolve(429.4) } },
        { name: 'demo/timed', unit: 'bytes', fn: () => 1 },
        { name: 'demo/zero', unit: 'bytes', sample: () => Promise.resolve(0) },
        { name: 'demo/time', unit: 'ns', sample: () => Promise.resolve(5) },
      ],
    });
    const run = await runSuite(suite, fast);
    expect(run.tasks).toEqual([
      { name: 'demo/heap', nsPerOp: 141.4, peers: { other: 429.4 }, unit: 'bytes' },
      { name: 'demo/time', nsPerOp: 5, peers: {} },
    ]);
    expect(run.errors).toEqual([
      { task: 'demo/timed', message: "demo/timed: unit 'bytes' needs sample (fn is timed)" },
      { task: 'demo/zero', message: 'demo/zero: sample() must resolve to a positive number of bytes per operation, got 0' },
    ]);
  });

  it('runs only the selected tasks', async () => {
    const suite = defineBenchSuite({ package: 'demo', tasks: [{ name: 'demo/a', sample: () => Promise.resolve(1) }, { name: 'demo/b', sample: () => Promise.resolve(2) }] });
    const run = await runSuite(suite, { ...fast, tasks: ['demo/b'] });
    expect(run.tasks.map((t) => t.name)).toEqual(['demo/b']);
  });

  it('records a non-Error throw by its string form', async () => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the point: a suite may reject with anything
    const suite = defineBenchSuite({ package: 'demo', tasks: [{ name: 'demo/s', sample: () => Promise.reject('plain string') }] });
    expect((await runSuite(suite, fast)).errors).toEqual([{ task: 'demo/s', message: 'plain string' }]);
  });
});

describe('loadSuite / listSuite', () => {
  it('loads a suite file and lists its tasks and peers', async () => {
    const suite = await loadSuite(fileURLToPath(new URL('./__fixtures__/tiny.bench.ts', import.meta.url)));
    expect(listSuite(suite)).toEqual({
      package: 'tiny',
      tasks: [{ name: 'tiny/fn', peers: ['Math.cbrt'] }, { name: 'tiny/sample', peers: ['fixed'] }, { name: 'tiny/fails', peers: [] }],
    });
  });

  it('rejects a file without a suite as its default export', async () => {
    const file = fileURLToPath(new URL('./__fixtures__/not-a-suite.ts', import.meta.url));
    await expect(loadSuite(file)).rejects.toThrow(`${file} must default-export defineBenchSuite({ package, tasks })`);
  });
});
