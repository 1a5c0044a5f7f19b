/**
 * Runs the vitest project `contracts` through the repository's own vitest
 * config and reads what it reports for each test. Going through the config is
 * the point: an `exclude`, a `testNamePattern` or a setup file that skips
 * tests there changes what runs without touching a contract file or the lock.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { GateContext } from '../../gate.ts';

/** One test as vitest reported it. */
export interface RunEntry {
  /** Repository-relative, `/`-separated: `contracts/vault/l1.contract.test.ts`. */
  file: string;
  /** Describe names, outermost first, then the test's own name, as vitest ran them. */
  titles: string[];
  /** vitest's word: `passed`, `failed`, `skipped`, `pending`, `todo`, `disabled`. */
  status: string;
}

export interface ContractRun {
  /** vitest's exit code. */
  code: number;
  /** Undefined when vitest wrote no readable report (it crashed, or the project is gone). */
  entries: RunEntry[] | undefined;
  /** The first lines vitest printed (where its error is), on one line, to explain a run that went wrong. */
  output: string;
}

/** Runs the contract suites; injected in unit tests, where no real vitest project exists. */
export type ContractRunner = (context: GateContext) => Promise<ContractRun>;

/** The vitest arguments after `run`, before the report path. */
export const RUN_ARGS: readonly string[] = ['--project', 'contracts', '--coverage.enabled=false', '--reporter=json'];

/**
 * Runs `vitest run --project contracts` with a JSON report in a fresh
 * temporary directory, so a stale or planted report can never stand in for
 * this run.
 * @example
 * const run = await runContractSuites(context); // { code: 0, entries: [...], output: '' }
 */
export async function runContractSuites(context: GateContext): Promise<ContractRun> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-contracts-run-'));
  const report = join(dir, 'contracts.json');
  try {
    const vitest = join(context.root, 'node_modules', 'vitest', 'vitest.mjs');
    const result = await context.exec(process.execPath, [vitest, 'run', ...RUN_ARGS, `--outputFile=${report}`], {
      cwd: context.root,
      env: freshVitestEnv(process.env),
    });
    return { code: result.code, entries: readRunReport(report, context.root), output: firstLines(result.stderr.trim() === '' ? result.stdout : result.stderr) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function firstLines(text: string): string {
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '').slice(0, 5).join(' | ');
}

/**
 * The environment with vitest's own variables unset: a harness started from
 * inside a vitest worker (the harness's tests) must not hand the child that
 * worker's identity, or the child behaves as a worker instead of a fresh run.
 * Unset as `undefined`, which child_process drops, so it also overrides a
 * parent environment that an exec merges this into.
 */
export function freshVitestEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const unset = Object.fromEntries(Object.keys(env).filter((key) => key.startsWith('VITEST')).map((key) => [key, undefined]));
  return { ...env, ...unset };
}

interface VitestJson {
  testResults?: Array<{
    name?: string;
    assertionResults?: Array<{ ancestorTitles?: string[]; title?: string; status?: string }>;
  }>;
}

/**
 * The entries of vitest's JSON report; undefined when the file is missing or
 * not a vitest report.
 * @example
 * readRunReport('/tmp/x/contracts.json', '/repo')?.[0]; // { file: 'contracts/core/l1.contract.test.ts', titles: [...], status: 'passed' }
 */
export function readRunReport(path: string, root: string): RunEntry[] | undefined {
  let data: VitestJson;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as VitestJson;
  } catch {
    // No file or a truncated one: vitest died before reporting. Handled by the
    // caller, which fails the gate with vitest's exit code and its own output.
    return undefined;
  }
  if (!Array.isArray(data.testResults)) return undefined;
  // vitest reports real paths; the root may be reached through a symlink (macOS /tmp).
  const base = realpathSync(root);
  return data.testResults.flatMap((file) => {
    const path = file.name === undefined ? '(unknown file)' : relative(base, file.name).split(sep).join('/');
    return (file.assertionResults ?? []).map((test) => ({
      file: path,
      titles: [...(test.ancestorTitles ?? []), test.title ?? ''],
      status: test.status ?? 'unknown',
    }));
  });
}
