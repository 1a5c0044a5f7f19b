import { describe, expect, it } from 'vitest';
import type { GateContext } from '../gate.ts';
import { isHarnessError } from '../errors.ts';
import { tempRoot } from '../test-support/sinks.ts';
import { commandGate } from './command/command-gate.ts';
import { builtinGates } from './registry.ts';

/** A context whose exec records what would have run. */
function contextWith(root: string, argv: readonly string[], calls: string[]): GateContext {
  return {
    root,
    ci: false,
    config: { gates: [], thresholds: { coverage: { floor: 95 } } },
    argv,
    log: () => {},
    exec: (command, args) => {
      calls.push(`${command} ${args.join(' ')}`);
      return Promise.resolve({ code: 0, stdout: '', stderr: '' });
    },
  };
}

async function refusal(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const WITHOUT_ARGUMENTS = ['typecheck', 'lint', 'build', 'test', 'security', 'contracts', 'api', 'changeset'];

describe('gates that take no arguments', () => {
  it('are every built-in gate but bench and mutation (which parse their own options)', () => {
    expect(Object.keys(builtinGates).sort()).toEqual([...WITHOUT_ARGUMENTS, 'bench', 'mutation'].sort());
  });

  it.each(WITHOUT_ARGUMENTS)('%s refuses arguments with a usage error naming them, before it runs anything', async (name) => {
    using root = tempRoot();
    const calls: string[] = [];
    const gate = await builtinGates[name]!();
    const error = await refusal(() => gate.run(contextWith(root.path, ['--package', 'core'], calls)));
    expect(isHarnessError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'HARNESS_ERR_USAGE', message: `Invalid command line: ${name} accepts no arguments, got: --package core` });
    expect(calls).toEqual([]);
  });

  it.each([
    ['contracts', 'contracts:lock'],
    ['api', 'api:update'],
  ])('%s offers %s, which refuses arguments too', async (name, command) => {
    using root = tempRoot();
    const gate = await builtinGates[name]!();
    const error = await refusal(() => gate.commands![command]!(contextWith(root.path, ['core'], [])));
    expect(error).toMatchObject({ code: 'HARNESS_ERR_USAGE', message: `Invalid command line: ${command} accepts no arguments, got: core` });
  });

  it('quotes an argument that would not read back as one word', async () => {
    using root = tempRoot();
    const gate = await builtinGates.lint!();
    const error = await refusal(() => gate.run(contextWith(root.path, ['--fix', 'a b', ''], [])));
    expect(error).toMatchObject({ message: 'Invalid command line: lint accepts no arguments, got: --fix "a b" ""' });
  });

  it('applies to a gate made with commandGate: its command is fixed, so any argument would be ignored', async () => {
    using root = tempRoot();
    const calls: string[] = [];
    const gate = commandGate({ name: 'docs', description: 'docs', command: 'npm', args: ['run', 'docs'], summarize: () => ({ summary: '', figures: {} }) });
    const error = await refusal(() => gate.run(contextWith(root.path, ['--watch'], calls)));
    expect(error).toMatchObject({ code: 'HARNESS_ERR_USAGE', message: 'Invalid command line: docs accepts no arguments, got: --watch' });
    expect(calls).toEqual([]);
    await expect(gate.run(contextWith(root.path, [], calls))).resolves.toMatchObject({ status: 'passed' });
    expect(calls).toEqual(['npm run docs']);
  });
});
