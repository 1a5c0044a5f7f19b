/**
 * Test helpers for harness tests: text sinks that record what the
 * orchestrator prints, and throwaway repository roots.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Gate, GateResult } from '../gate.ts';

export interface RecordingSink {
  isTTY: boolean;
  text: string;
  write(chunk: string): boolean;
  lines(): string[];
}

export function recordingSink(isTTY = false): RecordingSink {
  return {
    isTTY,
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
    lines() {
      return this.text.split('\n').filter((line) => line !== '');
    },
  };
}

/** A temporary directory removed by `using`. */
export function tempRoot(prefix = 'rampart-harness-'): { path: string; [Symbol.dispose](): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

/** A gate that records its calls and returns `result`. */
export function fakeGate(name: string, result: GateResult, calls: string[] = []): Gate {
  return {
    name,
    description: `fake ${name}`,
    run: (context) => {
      calls.push(`${name}(${context.argv.join(' ')})`);
      return Promise.resolve(result);
    },
  };
}
