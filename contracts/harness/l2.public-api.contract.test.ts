// L2 contract of @rampart/harness: the documented behaviour of the public
// helpers a repository builds on besides runGates: the benchmark statistics
// (quantile, relativeMad, Mann–Whitney U, Wilcoxon signed-rank, Holm, the
// seeded bootstrap), the chart, config discovery and loading, the built-in gate
// registry and commandGate, the error registry and its brand, workspace short
// names and the coverage floors with their reporter.
// Locked: these tests are never modified, only added to.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FloorReporter,
  HarnessError,
  bootstrapRatio,
  builtinGates,
  commandGate,
  coverageFloors,
  coverageThresholds,
  defineConfig,
  findBreaches,
  findConfig,
  floorReporterPath,
  formatBreaches,
  harnessErrors,
  holm,
  isHarnessError,
  loadConfig,
  mannWhitneyU,
  metricFloors,
  quantile,
  relativeMad,
  renderChartSvg,
  runGates,
  shortName,
  wilcoxonSignedRank,
} from '@rampart/harness';
import type { BaselineFile, WorkspaceFloor } from '@rampart/harness';

function sink(): { write(text: string): boolean; text: string } {
  const out = { text: '', write: (chunk: string) => ((out.text += chunk), true) };
  return out;
}

/** Coverage counters of one file: `lines`/`statements` as given, branches and functions fully covered. */
function counts(covered: number, total: number) {
  return {
    lines: { total, covered },
    branches: { total: 2, covered: 2 },
    functions: { total: 1, covered: 1 },
    statements: { total, covered },
  };
}

/** The slice of istanbul's report context FloorReporter reads: a flat tree of file nodes. */
function reportContext(files: ReadonlyArray<readonly [string, ReturnType<typeof counts>]>) {
  return {
    getTree: (summarizer: 'flat') => {
      expect(summarizer).toBe('flat');
      return {
        visit: (visitor: { onDetail(node: { getFileCoverage(): { path: string }; getCoverageSummary(filesOnly: boolean): ReturnType<typeof counts> }): void }) => {
          for (const [path, summary] of files) visitor.onDetail({ getFileCoverage: () => ({ path }), getCoverageSummary: () => summary });
        },
      };
    },
  };
}

const CORE_FLOOR: WorkspaceFloor = { name: 'core', dir: 'packages/core', floor: 95 };

const baselines: BaselineFile[] = [
  {
    package: 'vault',
    commit: 'abc1234',
    fingerprint: { node: 'v24.0.0', v8: '13.6', cpu: 'cpu', cores: 2, os: 'linux' },
    settings: { rounds: 20, time: 100, warmupTime: 30 },
    tasks: {
      'vault/encrypt/1KiB': { median: 10_200, dispersion: 0.01, samples: 20, runs: [10_200], peers: { 'node:crypto': { median: 8_000, dispersion: 0.01 } } },
      'vault/memory/keys': { median: 141.4, unit: 'bytes', dispersion: 0.001, samples: 20, runs: [141.4] },
    },
  },
  {
    package: 'core',
    commit: 'abc1234',
    fingerprint: { node: 'v24.0.0', v8: '13.6', cpu: 'cpu', cores: 2, os: 'linux' },
    settings: { rounds: 20, time: 100, warmupTime: 30 },
    tasks: { 'core/a&b<c>': { median: 250, dispersion: 0.02, samples: 20, runs: [250] } },
  },
];

describe('quantile', () => {
  it('interpolates linearly between order statistics, whatever the input order', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 0.25)).toBe(1.75);
    expect(quantile([10, 20, 30, 40, 50], 0.5)).toBe(30);
    expect(quantile([10, 20, 30, 40, 50], 0.9)).toBe(46);
  });

  it('gives the minimum at q = 0 and the maximum at q = 1, without reordering the input', () => {
    const values = [7, 3, 9, 1];
    expect(quantile(values, 0)).toBe(1);
    expect(quantile(values, 1)).toBe(9);
    expect(values).toEqual([7, 3, 9, 1]);
  });

  it('is NaN for no values', () => {
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('relativeMad', () => {
  it('is the scaled median absolute deviation over the median (the documented example)', () => {
    // median 100, absolute deviations [0, 2, 2, 1, 1] -> MAD 1 -> 1.4826 / 100
    expect(relativeMad([100, 102, 98, 101, 99])).toBeCloseTo(0.014826, 9);
    expect(relativeMad([10, 10, 10, 10])).toBe(0);
  });

  it('is 0 for fewer than two values or a zero median', () => {
    expect(relativeMad([])).toBe(0);
    expect(relativeMad([42])).toBe(0);
    expect(relativeMad([-1, 0, 1])).toBe(0);
  });
});

describe('mannWhitneyU', () => {
  it('gives the exact two-sided p-value for small samples without ties', () => {
    // Complete separation: 2 of the C(6,3) = 20 orderings are as extreme.
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6])).toBeCloseTo(0.1, 12);
    // 2 of C(10,5) = 252.
    expect(mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toBeCloseTo(2 / 252, 12);
    // U = 3, mean 4.5: 14 of the 20 orderings are at least as far from the mean.
    expect(mannWhitneyU([1, 3, 5], [2, 4, 6])).toBeCloseTo(0.7, 12);
  });

  it('is two-sided: swapping the samples gives the same p-value', () => {
    expect(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5])).toBeCloseTo(2 / 252, 12);
    expect(mannWhitneyU([2, 4, 6], [1, 3, 5])).toBeCloseTo(0.7, 12);
  });

  it('uses the normal approximation with tie and continuity correction when values tie', () => {
    // ranks 1.5,1.5,3.5,3.5 | 5.5,5.5,7.5,7.5; U = 0; var = 16/12 * (9 - 24/56); z = 7.5 / sqrt(var) ≈ 2.2185
    expect(mannWhitneyU([1, 1, 2, 2], [3, 3, 4, 4])).toBeCloseTo(0.0265, 3);
  });

  it('returns 1 when either side is empty or every value ties', () => {
    expect(mannWhitneyU([], [1, 2, 3])).toBe(1);
    expect(mannWhitneyU([1, 2, 3], [])).toBe(1);
    expect(mannWhitneyU([5, 5], [5, 5])).toBe(1);
  });
});

describe('wilcoxonSignedRank', () => {
  it('gives the exact two-sided p-value for small samples without ties', () => {
    // All 5 differences positive: 2 of 2^5 sign assignments are as extreme.
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5])).toBeCloseTo(0.0625, 12);
    expect(wilcoxonSignedRank([-1, -2, -3, -4, -5, -6])).toBeCloseTo(2 / 64, 12);
    // W+ = 4, mean 3: 6 of the 8 assignments are at least as far from the mean.
    expect(wilcoxonSignedRank([1, -2, 3])).toBeCloseTo(0.75, 12);
  });

  it('drops zero differences, and returns 1 when nothing is left', () => {
    expect(wilcoxonSignedRank([0, 1, 2, 3, 4, 5, 0])).toBeCloseTo(0.0625, 12);
    expect(wilcoxonSignedRank([0, 0, 0])).toBe(1);
    expect(wilcoxonSignedRank([])).toBe(1);
  });

  it('uses the normal approximation with tie and continuity correction when magnitudes tie', () => {
    // n = 6, W+ = 21, mean 10.5, var = 22.75 - 210/48; z = 10 / sqrt(var) ≈ 2.333
    expect(wilcoxonSignedRank([1, 1, 1, 1, 1, 1])).toBeCloseTo(0.0197, 3);
    expect(wilcoxonSignedRank([0.1, 0.2, 0.15, 0.3, 0.25, 0.2, 0.1, 0.22])).toBeLessThan(0.05);
  });
});

describe('holm', () => {
  it('adjusts step-down and returns the values in input order (the documented example)', () => {
    const adjusted = holm([0.01, 0.04, 0.03]);
    expect(adjusted).toHaveLength(3);
    expect(adjusted[0]).toBeCloseTo(0.03, 12);
    expect(adjusted[1]).toBeCloseTo(0.06, 12);
    expect(adjusted[2]).toBeCloseTo(0.06, 12);
  });

  it('keeps the adjusted values monotone in the raw order', () => {
    // sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 -> max(0.06, 0.04) = 0.06
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    expect(adjusted.map((p) => Number(p.toFixed(12)))).toEqual([0.03, 0.06, 0.06, 0.02]);
  });

  it('caps adjusted values at 1 and leaves a single p-value as it is', () => {
    expect(holm([0.5, 0.6])).toEqual([1, 1]);
    expect(holm([0.2])).toEqual([0.2]);
    expect(holm([])).toEqual([]);
  });
});

describe('bootstrapRatio', () => {
  it('reports median(candidate) / median(base) with a 95% interval by default (the documented example)', () => {
    const ci = bootstrapRatio([100, 101, 99], [125, 126, 124], { paired: true });
    expect(ci.ratio).toBeCloseTo(1.25, 12);
    expect(ci.level).toBe(0.95);
    expect(ci.low).toBeGreaterThan(1);
    expect(ci.low).toBeGreaterThanOrEqual(124 / 99 - 0.01);
    expect(ci.high).toBeLessThanOrEqual(126 / 101 + 0.01);
    expect(ci.low).toBeLessThanOrEqual(ci.high);
  });

  it('is seeded: the same samples and options always give the same interval', () => {
    const base = [100, 104, 97, 101, 99, 103, 98, 102];
    const candidate = [110, 108, 115, 109, 112, 107, 111, 113];
    for (const paired of [true, false]) {
      const first = bootstrapRatio(base, candidate, { paired, seed: 7 });
      expect(bootstrapRatio(base, candidate, { paired, seed: 7 })).toEqual(first);
      expect(first.low).toBeLessThanOrEqual(first.high);
      expect(first.ratio).toBeCloseTo(110.5 / 100.5, 12);
    }
  });

  it('echoes `level`, and a lower level gives an interval inside the wider one', () => {
    const base = [100, 104, 97, 101, 99, 103, 98, 102];
    const candidate = [110, 108, 115, 109, 112, 107, 111, 113];
    const wide = bootstrapRatio(base, candidate, { paired: false, level: 0.95, seed: 3, resamples: 500 });
    const narrow = bootstrapRatio(base, candidate, { paired: false, level: 0.5, seed: 3, resamples: 500 });
    expect(narrow.level).toBe(0.5);
    expect(narrow.low).toBeGreaterThanOrEqual(wide.low);
    expect(narrow.high).toBeLessThanOrEqual(wide.high);
  });

  it('gives the degenerate interval [1, 1] for identical paired samples', () => {
    const runs = [5, 9, 2, 7, 4];
    expect(bootstrapRatio(runs, runs, { paired: true, seed: 11 })).toEqual({ ratio: 1, low: 1, high: 1, level: 0.95 });
  });

  it('rejects a paired bootstrap of unequal sample counts with a RangeError', () => {
    expect(() => bootstrapRatio([1, 2, 3], [1, 2], { paired: true })).toThrow(RangeError);
  });
});

describe('renderChartSvg', () => {
  it('renders one SVG document naming every package, time task and peer', () => {
    const svg = renderChartSvg(baselines);
    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const text of ['vault', 'core', 'vault/encrypt/1KiB', 'node:crypto']) expect(svg).toContain(text);
  });

  it('leaves out bytes tasks and escapes names as XML', () => {
    const svg = renderChartSvg(baselines);
    expect(svg).not.toContain('vault/memory/keys');
    expect(svg).toContain('core/a&amp;b&lt;c&gt;');
    expect(svg).not.toContain('a&b<c>');
  });

  it('is deterministic, so the drift check can compare bytes', () => {
    expect(renderChartSvg(baselines)).toBe(renderChartSvg(baselines));
    expect(renderChartSvg([])).toContain('</svg>');
  });
});

describe('findConfig', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-l2-find-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns the nearest harness.config file at or above the directory', () => {
    const deep = join(dir, 'packages', 'vault', 'src');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(dir, 'harness.config.ts'), 'export default {};\n');
    expect(findConfig(dir)).toBe(join(dir, 'harness.config.ts'));
    expect(findConfig(deep)).toBe(join(dir, 'harness.config.ts'));
    writeFileSync(join(dir, 'packages', 'harness.config.mjs'), 'export default {};\n');
    expect(findConfig(deep)).toBe(join(dir, 'packages', 'harness.config.mjs'));
  });

  it('finds the .mts and .js variants too', () => {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'harness.config.mts'), 'export default {};\n');
    writeFileSync(join(dir, 'b', 'harness.config.js'), 'export default {};\n');
    expect(findConfig(join(dir, 'a'))).toBe(join(dir, 'a', 'harness.config.mts'));
    expect(findConfig(join(dir, 'b'))).toBe(join(dir, 'b', 'harness.config.js'));
  });

  it('returns undefined when there is none up to the filesystem root', () => {
    expect(findConfig(dir)).toBeUndefined();
  });
});

describe('loadConfig', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-l2-load-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a TypeScript config found upward and uses its directory as the root', async () => {
    const deep = join(dir, 'packages', 'core');
    mkdirSync(deep, { recursive: true });
    writeFileSync(
      join(dir, 'harness.config.ts'),
      "const floor: number = 90;\nexport default { gates: ['lint', 'test'], thresholds: { coverage: { floor, workspaces: { core: 100 } } } };\n",
    );
    expect(await loadConfig(deep)).toEqual({
      root: dir,
      file: join(dir, 'harness.config.ts'),
      config: { gates: ['lint', 'test'], thresholds: { coverage: { floor: 90, workspaces: { core: 100 } } } },
    });
  });

  it('loads a .mjs config', async () => {
    writeFileSync(join(dir, 'harness.config.mjs'), "export default { gates: ['build'], thresholds: { coverage: { floor: 80 } } };\n");
    const loaded = await loadConfig(dir);
    expect(loaded.root).toBe(dir);
    expect(loaded.config).toEqual({ gates: ['build'], thresholds: { coverage: { floor: 80 } } });
  });

  it('fails with HARNESS_ERR_CONFIG_NOT_FOUND when there is no config', async () => {
    const error: unknown = await loadConfig(dir).catch((e: unknown) => e);
    expect(isHarnessError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'HARNESS_ERR_CONFIG_NOT_FOUND', category: 'config' });
  });

  it('fails with HARNESS_ERR_CONFIG_INVALID when the config does not import', async () => {
    writeFileSync(join(dir, 'harness.config.mjs'), "throw new Error('broken config');\n");
    const error: unknown = await loadConfig(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HARNESS_ERR_CONFIG_INVALID', category: 'config' });
    expect((error as Error).message).toContain('broken config');
  });

  it('fails with HARNESS_ERR_CONFIG_INVALID naming the field when the shape is wrong', async () => {
    writeFileSync(join(dir, 'harness.config.mjs'), "export default { gates: 'lint', thresholds: { coverage: { floor: 95 } } };\n");
    const error: unknown = await loadConfig(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HARNESS_ERR_CONFIG_INVALID' });
    expect((error as Error).message).toContain('`gates`');
  });

  it('fails with HARNESS_ERR_CONFIG_INVALID for a coverage floor outside 0..100', async () => {
    writeFileSync(join(dir, 'harness.config.mjs'), "export default { gates: ['lint'], thresholds: { coverage: { floor: 101 } } };\n");
    const error: unknown = await loadConfig(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HARNESS_ERR_CONFIG_INVALID' });
    expect((error as Error).message).toContain('thresholds.coverage.floor');
  });
});

describe('builtinGates', () => {
  const documented = ['typecheck', 'lint', 'build', 'test', 'contracts', 'api', 'bench', 'mutation', 'security', 'changeset'] as const;

  it('registers every documented gate name', () => {
    expect(Object.keys(builtinGates)).toEqual(expect.arrayContaining([...documented]));
  });

  it('loads each gate lazily as a gate object named like its key', async () => {
    for (const name of documented) {
      const loader = builtinGates[name];
      expect(loader).toBeTypeOf('function');
      const gate = await loader?.();
      expect(gate?.name).toBe(name);
      expect(gate?.description).toMatch(/\S/);
      expect(gate?.run).toBeTypeOf('function');
    }
  });
});

describe('commandGate', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rampart-l2-cmd-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  function nodeGate(name: string, script: string, seen: Array<[string, number]>) {
    return commandGate({
      name,
      description: `${name} via node`,
      command: process.execPath,
      args: ['-e', script],
      summarize(output, code) {
        seen.push([output, code]);
        return { summary: `${name} exited ${code}`, figures: { things: 7 } };
      },
    });
  }

  it('builds a gate with the name and description of its spec', () => {
    const gate = nodeGate('demo', '', []);
    expect(gate.name).toBe('demo');
    expect(gate.description).toBe('demo via node');
  });

  it('passes when the command exits 0, with the summary and figures of `summarize`', async () => {
    const seen: Array<[string, number]> = [];
    const stdout = sink();
    const config = defineConfig({ gates: [nodeGate('ok', "process.stdout.write('7 things done\\n')", seen)], thresholds: { coverage: { floor: 95 } } });
    const outcome = await runGates({ root, config, stdout });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.report.gates[0]).toMatchObject({ name: 'ok', status: 'passed', summary: 'ok exited 0', figures: { things: 7 } });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0]).toContain('7 things done');
    expect(seen[0]?.[1]).toBe(0);
    expect(stdout.text).toContain('7 things done');
  });

  it('fails when the command exits non-zero, passing the code and its output to `summarize`', async () => {
    const seen: Array<[string, number]> = [];
    const config = defineConfig({
      gates: [nodeGate('bad', "process.stderr.write('broken line\\n'); process.exit(3)", seen)],
      thresholds: { coverage: { floor: 95 } },
    });
    const outcome = await runGates({ root, config, stdout: sink() });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.report.gates[0]).toMatchObject({ name: 'bad', status: 'failed', summary: 'bad exited 3', figures: { things: 7 } });
    expect(outcome.report.gates[0]?.details).toContain('broken line');
    expect(seen[0]?.[0]).toContain('broken line');
    expect(seen[0]?.[1]).toBe(3);
  });
});

describe('harnessErrors', () => {
  const table = [
    ['HARNESS_ERR_CONFIG_NOT_FOUND', 'config'],
    ['HARNESS_ERR_CONFIG_INVALID', 'config'],
    ['HARNESS_ERR_USAGE', 'validation'],
    ['HARNESS_ERR_GATE_MISSING', 'config'],
    ['HARNESS_ERR_GATE_LOAD', 'dependency'],
    ['HARNESS_ERR_GATE_INVALID', 'validation'],
    ['HARNESS_ERR_UNKNOWN_COMMAND', 'validation'],
  ] as const;

  for (const [code, category] of table) {
    it(`lists ${code} in category ${category} with a message`, () => {
      expect(harnessErrors[code].category).toBe(category);
      expect(harnessErrors[code].message).toMatch(/\S/);
    });
  }
});

describe('HarnessError', () => {
  it('carries the stable code, its category and the registry message', () => {
    const error = new HarnessError('HARNESS_ERR_USAGE');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('HarnessError');
    expect(error.code).toBe('HARNESS_ERR_USAGE');
    expect(error.category).toBe('validation');
    expect(error.message).toBe(harnessErrors.HARNESS_ERR_USAGE.message);
  });

  it('appends the detail to the message and keeps the cause', () => {
    const cause = new Error('root cause');
    const error = new HarnessError('HARNESS_ERR_GATE_LOAD', '--only needs a gate name', { cause });
    expect(error.category).toBe('dependency');
    expect(error.message.startsWith(harnessErrors.HARNESS_ERR_GATE_LOAD.message)).toBe(true);
    expect(error.message).toContain('--only needs a gate name');
    expect(error.cause).toBe(cause);
  });
});

describe('isHarnessError', () => {
  it('is true for a HarnessError and for a branded harness error from another copy of the package', () => {
    expect(isHarnessError(new HarnessError('HARNESS_ERR_CONFIG_NOT_FOUND'))).toBe(true);
    expect(isHarnessError({ [Symbol.for('rampart.error')]: true, code: 'HARNESS_ERR_USAGE', message: 'x' })).toBe(true);
  });

  it('is false for anything else', () => {
    expect(isHarnessError(new Error('HARNESS_ERR_USAGE'))).toBe(false);
    expect(isHarnessError({ code: 'HARNESS_ERR_USAGE' })).toBe(false);
    expect(isHarnessError({ [Symbol.for('rampart.error')]: true, code: 'VAULT_ERR_DECRYPT' })).toBe(false);
    expect(isHarnessError(null)).toBe(false);
    expect(isHarnessError(undefined)).toBe(false);
    expect(isHarnessError('HARNESS_ERR_USAGE')).toBe(false);
  });
});

describe('shortName', () => {
  it('is the last path segment, and example-<name> under examples/', () => {
    expect(shortName('packages/core')).toBe('core');
    expect(shortName('harness')).toBe('harness');
    expect(shortName('tools/deep/vault')).toBe('vault');
    expect(shortName('examples/hello')).toBe('example-hello');
  });
});

describe('metricFloors', () => {
  it('gives the same floor for lines, branches, functions and statements', () => {
    expect(metricFloors(95)).toEqual({ lines: 95, branches: 95, functions: 95, statements: 95 });
    expect(metricFloors(0)).toEqual({ lines: 0, branches: 0, functions: 0, statements: 0 });
  });
});

describe('coverageFloors', () => {
  it('gives each workspace its stricter configured floor, else the global floor (the documented example)', () => {
    expect(coverageFloors({ floor: 95, workspaces: { vault: 100 } }, [{ name: 'vault', dir: 'packages/vault' }])).toEqual([
      { name: 'vault', dir: 'packages/vault', floor: 100 },
    ]);
    expect(coverageFloors({ floor: 95 }, [{ name: 'core', dir: 'packages/core' }, { name: 'example-hello', dir: 'examples/hello' }])).toEqual([
      { name: 'core', dir: 'packages/core', floor: 95 },
      { name: 'example-hello', dir: 'examples/hello', floor: 95 },
    ]);
  });

  it('never lowers a workspace below the global floor', () => {
    const list = [{ name: 'low', dir: 'packages/low' }, { name: 'constructor', dir: 'packages/constructor' }];
    expect(coverageFloors({ floor: 95, workspaces: { low: 80 } }, list)).toEqual([
      { name: 'low', dir: 'packages/low', floor: 95 },
      { name: 'constructor', dir: 'packages/constructor', floor: 95 },
    ]);
  });
});

describe('coverageThresholds', () => {
  it('gives the global floor plus one <dir>/src/** glob per workspace (the documented example)', () => {
    expect(coverageThresholds({ floor: 95 }, [{ name: 'core', dir: 'packages/core' }])).toEqual({
      lines: 95,
      branches: 95,
      functions: 95,
      statements: 95,
      'packages/core/src/**': { lines: 95, branches: 95, functions: 95, statements: 95 },
    });
  });

  it('uses the stricter per-workspace floor in that workspace glob only', () => {
    const thresholds = coverageThresholds({ floor: 90, workspaces: { vault: 100 } }, [
      { name: 'vault', dir: 'packages/vault' },
      { name: 'core', dir: 'packages/core' },
    ]);
    expect(thresholds.lines).toBe(90);
    expect(thresholds['packages/vault/src/**']).toEqual(metricFloors(100));
    expect(thresholds['packages/core/src/**']).toEqual(metricFloors(90));
  });
});

describe('findBreaches', () => {
  const files = new Map([
    ['packages/core/src/c.ts', counts(9, 10)],
    ['packages/core/src/b.ts', counts(14, 14)],
    ['packages/core/src/a.ts', counts(7, 8)],
    ['packages/core/test/untested.ts', counts(0, 50)],
    ['packages/http/src/h1.ts', counts(94, 100)],
    ['packages/http/src/h2.ts', counts(100, 100)],
    ['packages/vault/src/v.ts', counts(10, 10)],
  ]);

  it('names each workspace under its floor, with its aggregate and its files under the floor, worst lines first', () => {
    const floors: WorkspaceFloor[] = [CORE_FLOOR, { name: 'vault', dir: 'packages/vault', floor: 100 }];
    expect(findBreaches(files, floors)).toEqual([
      {
        workspace: 'core',
        dir: 'packages/core',
        floor: 95,
        pct: { lines: 93.75, branches: 100, functions: 100, statements: 93.75 },
        files: [
          { file: 'packages/core/src/a.ts', pct: { lines: 87.5, branches: 100, functions: 100, statements: 87.5 } },
          { file: 'packages/core/src/c.ts', pct: { lines: 90, branches: 100, functions: 100, statements: 90 } },
        ],
      },
    ]);
  });

  it('reports nothing for a workspace whose aggregate meets the floor, even with a file below it', () => {
    expect(findBreaches(files, [{ name: 'http', dir: 'packages/http', floor: 95 }])).toEqual([]);
    expect(findBreaches(new Map(), [])).toEqual([]);
  });
});

describe('formatBreaches', () => {
  it('prints one header per workspace and one indented line per file, with the four percentages', () => {
    const lines = formatBreaches([
      {
        workspace: 'core',
        dir: 'packages/core',
        floor: 95,
        pct: { lines: 93.75, branches: 100, functions: 100, statements: 93.75 },
        files: [{ file: 'packages/core/src/a.ts', pct: { lines: 87.5, branches: 100, functions: 90, statements: 87.5 } }],
      },
    ]);
    expect(lines).toHaveLength(2);
    for (const part of ['"core"', 'packages/core/src', '95%', 'lines 93.75%', 'branches 100%', 'functions 100%', 'statements 93.75%']) {
      expect(lines[0]).toContain(part);
    }
    expect(lines[1]?.startsWith('  packages/core/src/a.ts')).toBe(true);
    for (const part of ['lines 87.5%', 'branches 100%', 'functions 90%', 'statements 87.5%']) expect(lines[1]).toContain(part);
  });

  it('prints nothing for no breaches', () => {
    expect(formatBreaches([])).toEqual([]);
  });
});

describe('FloorReporter', () => {
  const projectRoot = join(tmpdir(), 'rampart-l2-project');
  const tree = reportContext([
    [join(projectRoot, 'packages/core/src/a.ts'), counts(7, 8)],
    [join(projectRoot, 'packages/core/src/b.ts'), counts(14, 14)],
    [join(projectRoot, 'packages/core/src/c.ts'), counts(9, 10)],
  ]);

  it('writes the breaches of the floors, with paths relative to projectRoot, through `write`', () => {
    const written: string[] = [];
    new FloorReporter({ floors: [CORE_FLOOR], projectRoot, write: (text) => written.push(text) }).execute(tree);
    expect(written).toHaveLength(1);
    const lines = written[0]?.split('\n') ?? [];
    expect(lines.slice(0, 3)).toEqual(
      formatBreaches([
        {
          workspace: 'core',
          dir: 'packages/core',
          floor: 95,
          pct: { lines: 93.75, branches: 100, functions: 100, statements: 93.75 },
          files: [
            { file: 'packages/core/src/a.ts', pct: { lines: 87.5, branches: 100, functions: 100, statements: 87.5 } },
            { file: 'packages/core/src/c.ts', pct: { lines: 90, branches: 100, functions: 100, statements: 90 } },
          ],
        },
      ]),
    );
    expect(written[0]?.endsWith('\n')).toBe(true);
  });

  it('writes nothing when every workspace meets its floor', () => {
    const written: string[] = [];
    new FloorReporter({ floors: [{ ...CORE_FLOOR, floor: 90 }], projectRoot, write: (text) => written.push(text) }).execute(tree);
    expect(written).toEqual([]);
  });
});

describe('floorReporterPath', () => {
  it('is the absolute path of a module whose default export is the floor reporter', async () => {
    expect(isAbsolute(floorReporterPath)).toBe(true);
    expect(existsSync(floorReporterPath)).toBe(true);
    const mod = (await import(pathToFileURL(floorReporterPath).href)) as { default: typeof FloorReporter };
    const written: string[] = [];
    const projectRoot = join(tmpdir(), 'rampart-l2-project');
    new mod.default({ floors: [CORE_FLOOR], projectRoot, write: (text) => written.push(text) }).execute(
      reportContext([[join(projectRoot, 'packages/core/src/a.ts'), counts(1, 2)]]),
    );
    expect(written.join('')).toContain('packages/core/src/a.ts');
    expect(written.join('')).toContain('"core"');
  });
});
