/**
 * Calibration workload for the bench gate: a task whose cost is set by a
 * parameter. RAMPART_CALIBRATION_SLOWDOWN=0.25 makes `calibration/target`
 * do 25% more work, the way a real regression would; `calibration/steady`
 * never changes and must never be flagged. Plain object (no harness import)
 * so it runs without a build.
 */
const slowdown = Number(process.env.RAMPART_CALIBRATION_SLOWDOWN ?? '0');
const scale = Number(process.env.RAMPART_CALIBRATION_SCALE ?? '1');
const targetIterations = Math.round(20_000 * scale * (1 + slowdown));
let sink = 0;

function xorshift(iterations: number): number {
  let x = 2463534242;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x;
}

function allocateAndSort(count: number): number {
  const items = Array.from({ length: count }, (_, i) => ({ key: (i * 7919) % count, label: `item-${i}` }));
  items.sort((a, b) => a.key - b.key);
  return items[0]?.key ?? 0;
}

export default {
  package: 'calibration',
  tasks: [
    { name: 'calibration/target', fn: () => { sink ^= xorshift(targetIterations); } },
    { name: 'calibration/steady', fn: () => { sink ^= allocateAndSort(Math.round(300 * scale)); } },
  ],
  teardown: () => { if (sink === 0.5) console.log(sink); },
};
