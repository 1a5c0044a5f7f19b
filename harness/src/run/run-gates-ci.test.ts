import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Gate } from '../gate.ts';
import { recordingSink, tempRoot } from '../test-support/sinks.ts';
import { runGates } from './run-gates.ts';

function probe(seen: boolean[]): Gate {
  return {
    name: 'probe',
    description: 'records the ci flag it was given',
    run: (context) => {
      seen.push(context.ci);
      return Promise.resolve({ status: 'passed', summary: 'ok' });
    },
  };
}

async function ciSeen(options: { env?: NodeJS.ProcessEnv; ci?: boolean }): Promise<{ gate: boolean; report: boolean }> {
  using root = tempRoot();
  const seen: boolean[] = [];
  const outcome = await runGates({
    root: root.path,
    config: { gates: [probe(seen)], thresholds: { coverage: { floor: 95 } } },
    stdout: recordingSink(),
    stderr: recordingSink(),
    ...options,
  });
  return { gate: seen[0] ?? false, report: outcome.report.ci };
}

describe('runGates CI mode', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is read from env only when env is passed (as the CLI does), never from the surrounding process', async () => {
    vi.stubEnv('CI', 'true');
    expect(await ciSeen({})).toEqual({ gate: false, report: false });
    expect(await ciSeen({ env: { CI: 'true' } })).toEqual({ gate: true, report: true });
    expect(await ciSeen({ env: { CI: '1' } })).toEqual({ gate: true, report: true });
    expect(await ciSeen({ env: { CI: 'false' } })).toEqual({ gate: false, report: false });
    expect(await ciSeen({ env: {} })).toEqual({ gate: false, report: false });
  });

  it('can be forced either way with `ci`', async () => {
    expect(await ciSeen({ ci: true })).toEqual({ gate: true, report: true });
    expect(await ciSeen({ env: { CI: 'true' }, ci: false })).toEqual({ gate: false, report: false });
  });
});
