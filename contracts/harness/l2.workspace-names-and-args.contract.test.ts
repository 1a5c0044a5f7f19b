// L2 contract of @rampart/harness: workspaces() refuses what the gates could
// not name or read (two workspaces with one short name, a glob other than a
// trailing `/*`, an entry naming no package) with a stable code, and runGates
// stops on it before any gate runs; the built-in gates that take no arguments,
// their commands and every commandGate gate refuse arguments instead of
// ignoring them.
// Locked: add, never edit.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinGates, commandGate, defineConfig, harnessErrors, isHarnessError, runGates, workspaces } from '@rampart/harness';
import type { Gate, GateContext } from '@rampart/harness';

function sink(): { write(text: string): boolean; text: string } {
  const out = { text: '', write: (chunk: string) => ((out.text += chunk), true) };
  return out;
}

/** What a call threw (or rejected with), undefined when it returned. */
async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const NO_ARGUMENT_GATES = ['typecheck', 'lint', 'build', 'test', 'security', 'contracts', 'api', 'changeset'] as const;

const NO_ARGUMENT_COMMANDS = [
  ['contracts', 'contracts:lock'],
  ['api', 'api:update'],
] as const;

describe('@rampart/harness L2: workspace names and gate arguments', () => {
  let root: string;
  const write = (path: string, content: string): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  const declareWorkspaces = (entries: string[], packages: string[]): void => {
    write('package.json', JSON.stringify({ name: 'repo', private: true, workspaces: entries }));
    for (const dir of packages) write(`${dir}/package.json`, JSON.stringify({ name: dir.replace('/', '-') }));
  };
  const contextOf = (argv: string[], ran: string[]): GateContext => ({
    root,
    ci: false,
    config: { gates: [], thresholds: { coverage: { floor: 95 } } },
    argv,
    log: () => undefined,
    exec: (command, args) => {
      ran.push(`${command} ${args.join(' ')}`);
      return Promise.resolve({ code: 0, stdout: '', stderr: '' });
    },
  });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rampart-l2-names-args-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('registers the workspace declaration codes in category config', () => {
    expect(harnessErrors.HARNESS_ERR_WORKSPACE_NAME_CLASH.category).toBe('config');
    expect(harnessErrors.HARNESS_ERR_WORKSPACE_GLOB.category).toBe('config');
    expect(harnessErrors.HARNESS_ERR_WORKSPACE_MISSING.category).toBe('config');
  });

  it('refuses two workspaces with the same short name with HARNESS_ERR_WORKSPACE_NAME_CLASH, naming both directories', async () => {
    declareWorkspaces(['packages/*', 'tools/*'], ['packages/foo', 'tools/foo', 'tools/bar']);
    const error = await failure(() => workspaces(root));
    expect(isHarnessError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'HARNESS_ERR_WORKSPACE_NAME_CLASH', category: 'config' });
    expect((error as Error).message).toContain('packages/foo');
    expect((error as Error).message).toContain('tools/foo');
    expect((error as Error).message).toContain('rename');
  });

  it('lists a directory declared twice once, without a clash', () => {
    declareWorkspaces(['packages/*', './packages/foo'], ['packages/foo']);
    expect(workspaces(root)).toEqual([{ dir: 'packages/foo', name: 'foo' }]);
  });

  it('refuses a glob other than one trailing /* with HARNESS_ERR_WORKSPACE_GLOB, naming the entry and the supported forms', async () => {
    declareWorkspaces(['packages/a*'], ['packages/ab']);
    const error = await failure(() => workspaces(root));
    expect(error).toMatchObject({ code: 'HARNESS_ERR_WORKSPACE_GLOB', category: 'config' });
    expect((error as Error).message).toContain('"packages/a*"');
    expect((error as Error).message).toContain('"packages/*"');
    for (const entry of ['packages/**', 'packages/{ab,cd}', 'packages/*/*', '!packages/ab']) {
      declareWorkspaces([entry], []);
      expect(await failure(() => workspaces(root))).toMatchObject({ code: 'HARNESS_ERR_WORKSPACE_GLOB' });
    }
  });

  it('refuses a plain entry whose directory holds no package.json with HARNESS_ERR_WORKSPACE_MISSING, naming it', async () => {
    declareWorkspaces(['packages/foo', 'packages/empty'], ['packages/foo']);
    mkdirSync(join(root, 'packages/empty'));
    const error = await failure(() => workspaces(root));
    expect(error).toMatchObject({ code: 'HARNESS_ERR_WORKSPACE_MISSING', category: 'config' });
    expect((error as Error).message).toContain('packages/empty');
  });

  it('rejects runGates with the workspace code before any gate runs', async () => {
    declareWorkspaces(['packages/*', 'libs/*'], ['packages/foo', 'libs/foo']);
    const ran: string[] = [];
    const probe: Gate = {
      name: 'probe',
      description: 'records that it ran',
      run: () => {
        ran.push('probe');
        return Promise.resolve({ status: 'passed', summary: 'ran' });
      },
    };
    const config = defineConfig({ gates: [probe], thresholds: { coverage: { floor: 95 } } });
    await expect(runGates({ root, config, stdout: sink() })).rejects.toMatchObject({ code: 'HARNESS_ERR_WORKSPACE_NAME_CLASH' });
    expect(ran).toEqual([]);
    expect(existsSync(join(root, 'reports'))).toBe(false);
  });

  for (const name of NO_ARGUMENT_GATES) {
    it(`built-in gate ${name} refuses arguments with HARNESS_ERR_USAGE naming them and the gate, running nothing`, async () => {
      declareWorkspaces([], []);
      const ran: string[] = [];
      const gate = await builtinGates[name]!();
      const error = await failure(() => gate.run(contextOf(['--package', 'core'], ran)));
      expect(isHarnessError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'HARNESS_ERR_USAGE' });
      expect((error as Error).message).toContain(`${name} accepts no arguments`);
      expect((error as Error).message).toContain('--package core');
      expect(ran).toEqual([]);
    });
  }

  for (const [gateName, command] of NO_ARGUMENT_COMMANDS) {
    it(`command ${command} refuses arguments with HARNESS_ERR_USAGE`, async () => {
      declareWorkspaces([], []);
      const gate = await builtinGates[gateName]!();
      const error = await failure(() => gate.commands![command]!(contextOf(['core'], [])));
      expect(error).toMatchObject({ code: 'HARNESS_ERR_USAGE' });
      expect((error as Error).message).toContain(`${command} accepts no arguments, got: core`);
    });
  }

  it('makes a one-gate runGates of typecheck with arguments exit 2 with the refusal in the report', async () => {
    declareWorkspaces([], []);
    const config = defineConfig({ gates: ['typecheck'], thresholds: { coverage: { floor: 95 } } });
    const outcome = await runGates({ root, config, gate: 'typecheck', argv: ['--package', 'core'], stdout: sink() });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.report.gates[0]).toMatchObject({ name: 'typecheck', status: 'failed', summary: 'invalid arguments' });
    expect(outcome.report.gates[0]?.details?.join('\n')).toContain('typecheck accepts no arguments, got: --package core');
  });

  it('makes a commandGate gate refuse arguments: its command is fixed', async () => {
    const ran: string[] = [];
    const gate = commandGate({
      name: 'docs',
      description: 'docs check',
      command: process.execPath,
      args: ['-e', ''],
      summarize: (_output, code) => ({ summary: `exit ${code}`, figures: {} }),
    });
    const error = await failure(() => gate.run(contextOf(['--strict'], ran)));
    expect(error).toMatchObject({ code: 'HARNESS_ERR_USAGE' });
    expect((error as Error).message).toContain('docs accepts no arguments, got: --strict');
    expect(ran).toEqual([]);
    await expect(gate.run(contextOf([], ran))).resolves.toMatchObject({ status: 'passed' });
    expect(ran).toHaveLength(1);
  });
});
