/**
 * Human formatting of benchmark figures, shared by the verdict table,
 * PERFORMANCE.md and the chart. Locale-free so generated files are identical
 * on every machine.
 */
import type { BenchUnit } from './suite.ts';

/**
 * Orders names by UTF-16 code units, never by the machine's locale:
 * `localeCompare` put `core/chain/3` before `core/di/resolve` under en_US and
 * after it under cs_CZ, so a generated file drifted on another machine.
 * @example
 * ['b', 'B', 'a'].sort(byCodeUnit); // ['B', 'a', 'b']
 */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Nanoseconds per operation as a short duration.
 * @example
 * formatNs(12_345); // '12.3 µs'
 */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return 'n/a';
  const units: Array<[number, string]> = [[1e9, 's'], [1e6, 'ms'], [1e3, 'µs']];
  // Pick the unit from the value as printed: 999.6 ns rounds to 1000, and
  // toPrecision(3) of 1000 is '1.00e+3', so it belongs to the next unit.
  const shown = Number(ns.toPrecision(3));
  for (const [size, unit] of units) {
    if (shown >= size) return `${whole3(ns / size)} ${unit}`;
  }
  return `${ns.toPrecision(3)} ns`;
}

/** Three significant digits, or a whole number where that needs an exponent (1500 s). */
function whole3(value: number): string {
  const digits = value.toPrecision(3);
  return digits.includes('e') ? value.toFixed(0) : digits;
}

/**
 * Bytes per operation, binary units.
 * @example
 * formatBytes(141.4); // '141 B'
 * formatBytes(3_000); // '2.93 KiB'
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'n/a';
  const units: Array<[number, string]> = [[2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];
  // toPrecision(3) of 999.5 … 1023.9 prints an exponent (1.00e+3): those stay whole.
  const short = (value: number): string => {
    const digits = value.toPrecision(3);
    return digits.includes('e') ? value.toFixed(0) : digits;
  };
  for (const [size, unit] of units) {
    if (Math.abs(bytes) >= size) return `${short(bytes / size)} ${unit}`;
  }
  return `${short(bytes)} B`;
}

/**
 * A median in its task's unit: a duration for ns, a size for bytes.
 * @example
 * formatMedian(12_345); // '12.3 µs'
 * formatMedian(12_345, 'bytes'); // '12.1 KiB'
 */
export function formatMedian(value: number, unit: BenchUnit = 'ns'): string {
  return unit === 'bytes' ? formatBytes(value) : formatNs(value);
}

/**
 * Operations per second from ns/op, three significant digits, grouped.
 * @example
 * formatOps(12_345); // '81,000'
 */
export function formatOps(ns: number): string {
  if (!Number.isFinite(ns) || ns <= 0) return 'n/a';
  const ops = 1e9 / ns;
  const rounded = ops >= 100 ? Number(ops.toPrecision(3)) : Number(ops.toFixed(1));
  const [int = '0', frac] = String(rounded).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/**
 * The ops/s cell of a median: '—' for a bytes task, which has no rate.
 * @example
 * formatRate(12_345, 'bytes'); // '—'
 */
export function formatRate(value: number, unit: BenchUnit = 'ns'): string {
  return unit === 'bytes' ? '—' : formatOps(value);
}

/**
 * A relative spread as `±x.y%`.
 * @example
 * formatPct(0.0123); // '±1.2%'
 */
export function formatPct(fraction: number): string {
  return `±${(fraction * 100).toFixed(1)}%`;
}

/**
 * A ratio as `1.23×`.
 * @example
 * formatRatio(1.2345); // '1.23×'
 */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a';
}
