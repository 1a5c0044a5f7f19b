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
  const problem = floorProblem(thresholds.coverage);
  if (problem !== undefined) throw fail(problem);
  return value as HarnessConfig;
}

/**
 * A floor vitest can never miss is no floor: NaN compares false with every
 * percentage, and `Math.max('100', 95)` is NaN, so either would pass any coverage.
 */
function floorProblem(coverage: { floor: number; workspaces?: unknown }): string | undefined {
  const valid = (floor: unknown) => typeof floor === 'number' && floor >= 0 && floor <= 100;
  if (!valid(coverage.floor)) return '`thresholds.coverage.floor` must be a number from 0 to 100';
  const { workspaces } = coverage;
  if (workspaces === undefined) return undefined;
  if (typeof workspaces !== 'object' || workspaces === null || Array.isArray(workspaces)) {
    return '`thresholds.coverage.workspaces` must be an object of workspace name to floor';
  }
  const bad = Object.entries(workspaces).find(([, floor]) => !valid(floor));
  return bad === undefined ? undefined : `\`thresholds.coverage.workspaces.${bad[0]}\` must be a number from 0 to 100`;
}

function gateName(gate: unknown, index: number, fail: (why: string) => Error): string {
  if (typeof gate === 'string' && gate !== '') return gate;
  const candidate = gate as { name?: unknown; run?: unknown } | null;
  if (typeof candidate === 'object' && candidate !== null && typeof candidate.name === 'string' && typeof candidate.run === 'function') {
    return candidate.name;
  }
  throw fail(`gates[${index}] must be a gate name or an object with \`name\` and \`run\``);
}
