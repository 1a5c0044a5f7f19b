/**
 * Test support for the contracts, api and changeset gates: a real GateContext
 * over a scratch directory (real files, real git, real child processes) that
 * records what the gate logs, and stand-ins for the vitest run of the contract
 * suites where a scratch directory has no vitest project to run.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecOptions, ExecResult, GateContext } from '../../src/gate.ts';
import { scanContracts } from '../../src/gates/contracts/scan.ts';
import type { ContractRun, RunEntry } from '../../src/gates/contracts/vitest-run.ts';

/** A scratch directory holding `files` (path → text), removed on dispose (`using dir = project({...})`). */
export function project(files: Record<string, string>): { root: string; [Symbol.dispose](): void } {
  const root = mkdtempSync(join(tmpdir(), 'rampart-contracts-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { root, [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }) };
}

export interface TestContext extends GateContext {
  lines: string[];
}

export function exec(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export function gateContext(root: string, ci = false): TestContext {
  const lines: string[] = [];
  return {
    root,
    ci,
    config: { gates: [], thresholds: { coverage: { floor: 95 } } },
    argv: [],
    lines,
    log: (line) => lines.push(line),
    exec: (command, args, options) => exec(command, args, { cwd: root, ...options }),
  };
}

/** A scratch copy of a fixture directory, removed by `using`. */
export function scratchCopy(fixture: string): { root: string; [Symbol.dispose](): void } {
  const root = mkdtempSync(join(tmpdir(), 'rampart-gate-'));
  cpSync(fixture, root, { recursive: true });
  return { root, [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }) };
}

/** Rewrites a file with `edit`, failing loudly when the edit changes nothing. */
export function editFile(path: string, edit: (text: string) => string): void {
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`edit of ${path} changed nothing: the tampering would not be tested`);
  writeFileSync(path, after);
}

/**
 * Makes `root` a git repository whose `main` holds everything in it, so the
 * gates that compare with a base commit have one (HEAD is the base).
 */
export function commitAll(root: string, message = 'base'): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', message);
}

/**
 * A scratch copy that vitest can run: the repository's node_modules linked in,
 * so the copy's own vitest.config.ts and test files resolve `vitest`.
 */
export function runnableCopy(fixture: string): { root: string; [Symbol.dispose](): void } {
  const copy = scratchCopy(fixture);
  symlinkSync(join(import.meta.dirname, '../../../node_modules'), join(copy.root, 'node_modules'), 'dir');
  return copy;
}

/**
 * A stand-in for the vitest run: every contract test on disk reported with the
 * status `statusOf` gives it (passed unless told), named as vitest would name
 * one row of it (a wildcard of its name filled with `1`).
 */
export function reportedRun(statusOf: (id: string) => string | undefined = () => 'passed', code = 0) {
  return (context: GateContext): Promise<ContractRun> => {
    const entries: RunEntry[] = [];
    for (const file of scanContracts(context.root)) {
      for (const test of file.tests) {
        const status = statusOf(test.id);
        if (status !== undefined) entries.push({ file: test.file, titles: test.titles.map((shape) => shape.join('1')), status });
      }
    }
    return Promise.resolve({ code, entries, output: '' });
  };
}

/** Every contract test on disk reported passed. */
export const passedRun = reportedRun();
