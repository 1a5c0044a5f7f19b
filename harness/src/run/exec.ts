/**
 * `GateContext.exec`: spawns a child with the repository's node_modules/.bin
 * first on PATH, so `node`, `tsc`, `vitest` are the pinned versions (the
 * `node` dev dependency brings Node 24 even where the system node is older).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { delimiter, join } from 'node:path';
import type { ExecOptions, ExecResult } from '../gate.ts';

export interface ExecSetup {
  root: string;
  env: NodeJS.ProcessEnv;
  /** Receives each line of a streamed child's output. */
  onLine: (line: string) => void;
}

export type Exec = (command: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

/**
 * @example
 * const exec = createExec({ root, env: process.env, onLine: console.log });
 * const { code, stdout } = await exec('tsc', ['--version']);
 */
export function createExec(setup: ExecSetup): Exec {
  return (command, args, options = {}) =>
    new Promise((resolve) => {
      const env = { ...setup.env, ...options.env };
      env.PATH = [join(setup.root, 'node_modules', '.bin'), env.PATH].filter(Boolean).join(delimiter);
      const child = spawn(command, args, { cwd: options.cwd ?? setup.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const out = collect(child.stdout, options.stream === true, setup.onLine);
      const err = collect(child.stderr, options.stream === true, setup.onLine);
      child.on('error', (error) => {
        // Spawn failures (command not found) are data for the gate, not a crash.
        resolve({ code: 127, stdout: out.text(), stderr: `${err.text()}${error.message}\n` });
      });
      child.on('close', (code, signal) => {
        out.flush();
        err.flush();
        resolve({ code: code ?? exitCodeOf(signal), stdout: out.text(), stderr: err.text() });
      });
    });
}

function collect(stream: NodeJS.ReadableStream, live: boolean, onLine: (line: string) => void) {
  let text = '';
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text += chunk;
    if (!live) return;
    const buffered = pending + chunk;
    const end = buffered.lastIndexOf('\n') + 1;
    pending = buffered.slice(end);
    for (const line of buffered.slice(0, end).split(/\r?\n/).slice(0, -1)) onLine(line);
  });
  return {
    text: () => text,
    flush: () => {
      if (live && pending !== '') onLine(pending);
      pending = '';
    },
  };
}

/** A child killed by a signal exits 128 + signal number, as shells report it. */
function exitCodeOf(signal: NodeJS.Signals | null): number {
  // Node reports either an exit code or a signal; the fallback keeps the type total.
  /* v8 ignore next */
  return signal === null ? 1 : 128 + constants.signals[signal];
}
