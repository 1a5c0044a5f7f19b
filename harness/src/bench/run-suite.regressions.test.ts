import { describe, expect, it } from 'vitest';
import { runSuite } from './run-suite.ts';
import { defineBenchSuite } from './suite.ts';

const fast = { time: 5, warmupTime: 1 };

// a task whose teardown throws escaped runSuite's per-task catch, so
// the whole process crashed: the other tasks' results of that round were lost
// and the report named the suite file, not the task.
describe('runSuite with a failing teardown', () => {
  it('reports the task and still runs (and returns) the others', async () => {
    const events: string[] = [];
    const suite = defineBenchSuite({
      package: 'demo',
      teardown: () => { events.push('suite teardown'); },
      tasks: [
        { name: 'demo/a', sample: () => Promise.resolve(10), teardown: () => { throw new Error('teardown boom'); } },
        { name: 'demo/b', sample: () => Promise.resolve(20) },
      ],
    });
    const run = await runSuite(suite, fast);
    expect(run.tasks).toEqual([{ name: 'demo/a', nsPerOp: 10, peers: {} }, { name: 'demo/b', nsPerOp: 20, peers: {} }]);
    expect(run.errors).toEqual([{ task: 'demo/a', message: 'teardown failed: teardown boom' }]);
    expect(events).toEqual(['suite teardown']);
  });
});
