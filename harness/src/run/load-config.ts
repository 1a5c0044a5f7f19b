/**
 * Finds and loads `harness.config.ts`: the nearest one upward from the
 * working directory, like eslint and vitest find theirs. Its directory is the
 * repository root every gate runs in.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HarnessConfig } from '../config.ts';
import { HarnessError, messageOf } from '../errors.ts';

export const CONFIG_FILES = ['harness.config.ts', 'harness.config.mts', 'harness.config.js', 'harness.config.mjs'] as const;

export interface LoadedConfig {
  root: string;
  file: string;
  config: HarnessConfig;
}

/**
 * The nearest config file at or above `cwd`, or undefined.
 * @example
 * findConfig('/repo/packages/vault'); // '/repo/harness.config.ts'
 */
export function findConfig(cwd: string): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const file = CONFIG_FILES.map((name) => join(dir, name)).find((path) => existsSync(path));
    if (file !== undefined) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * @example
 * const { root, config } = await loadConfig(process.cwd());
 */
export async function loadConfig(cwd: string): Promise<LoadedConfig> {
  const file = findConfig(cwd);
  if (file === undefined) {
    throw new HarnessError('HARNESS_ERR_CONFIG_NOT_FOUND', `looked for ${CONFIG_FILES.join(', ')} in ${cwd} and above`);
  }
  let loaded: unknown;
  try {
    loaded = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  } catch (error) {
    throw new HarnessError('HARNESS_ERR_CONFIG_INVALID', `${file} failed to load: ${messageOf(error)}`, { cause: error });
  }
  return { root: dirname(file), file, config: validateConfig(loaded, file) };
}

/**
 * Checks the shape a config must have; the error says what is wrong and where.
 * @example
 * validateConfig({ gates: ['lint'], thresholds: { coverage: { floor: 95 } } }, 'harness.config.ts');
 */
export function validateConfig(value: unknown, file: string): HarnessConfig {
  const fail = (why: string) => new HarnessError('HARNESS_ERR_CONFIG_INVALID', `${file}: ${why}`);
  if (typeof value !== 'object' || value === null) throw fail('the default export must be an object (use defineConfig)');
  const { gates, thresholds } = value as Partial<HarnessConfig>;
  if (!Array.isArray(gates)) throw fail('`gates` must be an array of gate names or gate objects');
  const names = gates.map((gate, i) => gateName(gate, i, fail));
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw fail(`gate "${duplicate}" is listed twice`);
  if (typeof thresholds?.coverage?.floor !== 'number') throw fail('`thresholds.coverage.floor` must be a number');
  const problem = floorProblem(thresholds.coverage) ?? mutationProblem(thresholds.mutation) ?? benchProblem(thresholds);
  if (problem !== undefined) throw fail(problem);
  return value as HarnessConfig;
}

/**
 * Why a percentage floor is unusable, if it is: NaN compares false with every
 * percentage, and `Math.max('100', 95)` is NaN, so either would pass anything;
 * 0.9 is a fraction written where a percentage goes (a 0.9% floor passes
 * everything but nothing at all).
 */
function percentProblem(floor: unknown, where: string): string | undefined {
  if (typeof floor !== 'number' || !(floor >= 0 && floor <= 100)) return `\`${where}\` must be a number from 0 to 100`;
  if (floor > 0 && floor < 1) return `\`${where}\` is ${String(floor)}: floors are percentages (write ${String(floor * 100)}, not ${String(floor)})`;
  return undefined;
}

function floorProblem(coverage: { floor: number; workspaces?: unknown }): string | undefined {
  const problem = percentProblem(coverage.floor, 'thresholds.coverage.floor');
  if (problem !== undefined) return problem;
  const { workspaces } = coverage;
  if (workspaces === undefined) return undefined;
  if (typeof workspaces !== 'object' || workspaces === null || Array.isArray(workspaces)) {
    return '`thresholds.coverage.workspaces` must be an object of workspace name to floor';
  }
  return firstProblem(Object.entries(workspaces), (name, floor) => percentProblem(floor, `thresholds.coverage.workspaces.${name}`));
}

function mutationProblem(mutation: unknown): string | undefined {
  if (mutation === undefined) return undefined;
  if (typeof mutation !== 'object' || mutation === null || Array.isArray(mutation)) {
    return '`thresholds.mutation` must be an object of workspace name (or `default`) to score floor';
  }
  return firstProblem(Object.entries(mutation), (name, floor) => percentProblem(floor, `thresholds.mutation.${name}`));
}

/** A limit the gate can never exceed (20 for 20%, a string, NaN) would pass any regression. */
function benchProblem(thresholds: object): string | undefined {
  if (!Object.hasOwn(thresholds, 'benchRegression')) return undefined;
  const limit = (thresholds as { benchRegression?: unknown }).benchRegression;
  if (typeof limit === 'number' && limit > 0 && limit <= 1) return undefined;
  return `\`thresholds.benchRegression\` must be a fraction greater than 0 and at most 1 (0.2 = 20% slower), got ${typeof limit === 'string' ? `'${limit}'` : String(limit)}`;
}

function firstProblem(entries: Array<[string, unknown]>, check: (name: string, value: unknown) => string | undefined): string | undefined {
  for (const [name, value] of entries) {
    const problem = check(name, value);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function gateName(gate: unknown, index: number, fail: (why: string) => Error): string {
  if (typeof gate === 'string' && gate !== '') return gate;
  const candidate = gate as { name?: unknown; run?: unknown } | null;
  if (typeof candidate === 'object' && candidate !== null && typeof candidate.name === 'string' && typeof candidate.run === 'function') {
    return candidate.name;
  }
  throw fail(`gates[${index}] must be a gate name or an object with \`name\` and \`run\``);
}
