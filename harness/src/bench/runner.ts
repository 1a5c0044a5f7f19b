/**
 * Entry point of one fresh benchmark process, spawned by measure.ts:
 *   node runner.ts --file <suite> --out <json> [--list] [--task <name>]... [--time ms] [--warmup ms] [--peers-first]
 * Results go to a file, not stdout, so a suite that logs cannot corrupt them.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { listSuite, loadSuite, runSuite } from './run-suite.ts';

/* v8 ignore start -- runs only as a child process; measure.test.ts drives it end to end */
const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    out: { type: 'string' },
    list: { type: 'boolean', default: false },
    task: { type: 'string', multiple: true, default: [] },
    time: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '30' },
    'peers-first': { type: 'boolean', default: false },
  },
});
if (values.file === undefined || values.out === undefined) {
  throw new Error('runner.ts needs --file and --out');
}
const suite = await loadSuite(values.file);
const result = values.list
  ? listSuite(suite)
  : await runSuite(suite, { tasks: values.task, time: Number(values.time), warmupTime: Number(values.warmup), peersFirst: values['peers-first'] });
writeFileSync(values.out, JSON.stringify(result));
/* v8 ignore stop */
