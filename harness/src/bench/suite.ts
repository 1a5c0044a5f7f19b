/**
 * The shape of a benchmark file: `benchmarks/<package>/<topic>.bench.ts`
 * default-exports `defineBenchSuite({...})`. The bench gate imports it in
 * fresh processes, measures every task with tinybench (or the task's own
 * `sample` for throughput work such as HTTP load) and compares with baselines.
 */

export interface BenchTask {
  /** `<package>/<operation>[/<size>]`, unique across the repository. */
  name: string;
  /** One operation; measured by tinybench. Exactly one of `fn` or `sample` is given. */
  fn?: () => unknown;
  /**
   * For work that tinybench cannot time per call (an HTTP load run): performs
   * one bounded measurement and returns the mean cost of one operation in
   * nanoseconds (e.g. 1e9 / requests per second), or in `unit`. Called once
   * per fresh process, so it should include its own short warm-up.
   */
  sample?: () => Promise<number>;
  /**
   * Unit of what `sample` (and each peer) returns per operation. Default
   * `'ns'`; `'bytes'` only with `sample` (tinybench measures time).
   * @example
   * { name: 'throttler/memory/1M-keys', unit: 'bytes', sample: async () => heapDelta / 1e6 }
   */
  unit?: BenchUnit;
  /**
   * The same operation done by peers (another library, or the raw platform
   * primitive), measured side by side in the same run; the report shows
   * `task / peer` ratios. Key = peer label, e.g. `node:crypto`, `inversify`.
   * For a `sample` task each peer is itself a sample function (resolves to
   * ns, or the task's `unit`, per operation).
   */
  peers?: Record<string, () => unknown>;
  /** Runs once before this task's measurements (and its peers'). */
  setup?: () => unknown;
  /** Runs once after this task's measurements. */
  teardown?: () => unknown;
}

/**
 * What a task's figure counts per operation: nanoseconds (the default) or
 * bytes (e.g. heap bytes per tracked key). Reports print bytes as B / KiB /
 * MiB and leave ops/s blank; the gate rule is the same (higher is worse).
 */
export type BenchUnit = 'ns' | 'bytes';

/**
 * A `unit` field to spread into a result, baseline or judgement: empty for ns
 * (the default), so everything measured in time stays byte-for-byte as it was.
 * @example
 * ({ task: 'x', ...unitField('bytes') }); // { task: 'x', unit: 'bytes' }
 */
export function unitField(unit: BenchUnit | undefined): { unit?: Exclude<BenchUnit, 'ns'> } {
  return unit === undefined || unit === 'ns' ? {} : { unit };
}

export interface BenchSuite {
  /** Workspace short name: `vault`, `throttler`, `harness`, ... */
  package: string;
  tasks: BenchTask[];
  /** Runs once before any task of the suite (start a server, open a connection). */
  setup?: () => unknown;
  /** Runs once after all tasks (close what `setup` opened). */
  teardown?: () => unknown;
}

/**
 * Identity helper that types a benchmark file.
 * @example
 * export default defineBenchSuite({
 *   package: 'vault',
 *   tasks: [{ name: 'vault/encrypt/1KiB', fn: () => vault.encrypt(kib), peers: { 'node:crypto': () => raw(kib) } }],
 * });
 */
export function defineBenchSuite(suite: BenchSuite): BenchSuite {
  return suite;
}
