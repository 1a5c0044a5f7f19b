/**
 * A fast suite for measure/compare tests. TINY_COST sets the sample task's
 * fixed cost (deterministic verdicts); TINY_FAIL makes one task throw;
 * TINY_ONLY_BASE_TASK adds a task only one side has; TINY_CRASH crashes the process;
 * TINY_BYTES adds a `unit: 'bytes'` sample task (TINY_BYTES_UNIT=ns: the same task timed instead).
 */
if (process.env.TINY_CRASH === '1') throw new Error('tiny suite crashed on load');
const cost = Number(process.env.TINY_COST ?? '1000');
let sink = 0;

export default {
  package: 'tiny',
  tasks: [
    { name: 'tiny/fn', fn: () => { sink += Math.sqrt(sink + 1); }, peers: { 'Math.cbrt': () => { sink += Math.cbrt(sink + 1); } } },
    { name: 'tiny/sample', sample: () => Promise.resolve(cost), peers: { fixed: () => Promise.resolve(cost / 2) } },
    { name: 'tiny/fails', fn: () => { if (process.env.TINY_FAIL === '1') throw new Error('boom'); sink++; } },
    ...(process.env.TINY_EXTRA === '1' ? [{ name: 'tiny/extra', sample: () => Promise.resolve(5) }] : []),
    ...(process.env.TINY_BYTES === '1' ? [{ name: 'tiny/bytes', unit: process.env.TINY_BYTES_UNIT ?? 'bytes', sample: () => Promise.resolve(96), peers: { other: () => Promise.resolve(192) } }] : []),
  ],
};
