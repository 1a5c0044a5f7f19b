import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExecOptions, GateContext } from '../../gate.ts';
import { createExec } from '../../run/exec.ts';
import { checkHygiene } from './hygiene.ts';
import { securityGate } from './index.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const realExec = createExec({ root: repoRoot, env: process.env, onLine: () => undefined });

/** A scratch git repository with the real secretlint config; audit and vitest are canned, secretlint and git are real. */
function scratch(files: Record<string, string>): { ctx: GateContext; [Symbol.dispose](): void } {
  const root = mkdtempSync(join(tmpdir(), 'rampart-security-audit-'));
  for (const name of ['.secretlintrc.json', '.secretlintignore']) copyFileSync(join(repoRoot, name), join(root, name));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'scratch' }));
  writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: {} }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  execFileSync('git', ['init', '-q'], { cwd: root });
  const exec = async (command: string, args: readonly string[], options?: ExecOptions) => {
    if (command === 'npm') return { code: 0, stdout: JSON.stringify({ vulnerabilities: {} }), stderr: '' };
    if (command === 'vitest') {
      const out = args.find((a) => a.startsWith('--outputFile='))?.slice('--outputFile='.length) ?? '';
      writeFileSync(out, JSON.stringify({ numPassedTests: 1, numFailedTests: 0 }));
      return { code: 0, stdout: '', stderr: '' };
    }
    return realExec(command, args, options);
  };
  const ctx: GateContext = { root, ci: true, argv: [], config: { gates: ['security'], thresholds: { coverage: { floor: 95 } } }, log: () => undefined, exec };
  return { ctx, [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }) };
}

describe('security gate', () => {
  it('scans a file whose name git would quote (non-ASCII) and fails on the secret in it', async () => {
    const key = ['AKIA', 'Z7Q3M4XK2LPV9TRB'].join('');
    using repo = scratch({ 'src/configuración.ts': `export const id = '${key}';\n` });
    const result = await securityGate.run(repo.ctx);
    expect(result.status).toBe('failed');
    expect(result.figures).toEqual({ audit: true, secrets: false, hygiene: true, suites: true });
    expect(result.details).toEqual(['secret: src/configuración.ts:1 (@secretlint/secretlint-rule-pattern)']);
  });

  it('fails the secret scan when git cannot list the files, instead of scanning nothing', async () => {
    using repo = scratch({});
    const ctx: GateContext = {
      ...repo.ctx,
      exec: (command, args, options) =>
        command === 'git' ? Promise.resolve({ code: 128, stdout: '', stderr: 'fatal: not a git repository\n' }) : repo.ctx.exec(command, args, options),
    };
    const result = await securityGate.run(ctx);
    expect(result.status).toBe('failed');
    expect(result.figures).toEqual({ audit: true, secrets: false, hygiene: true, suites: true });
    expect(result.details).toEqual(['git ls-files failed (exit 128): fatal: not a git repository']);
  });

  it('fails on an auditLevel it does not know instead of finding nothing at that level', async () => {
    using repo = scratch({});
    const ctx: GateContext = {
      ...repo.ctx,
      config: { ...repo.ctx.config, gateOptions: { security: { auditLevel: 'hihg' } } },
      exec: (command, args, options) =>
        command === 'npm'
          ? Promise.resolve({ code: 1, stdout: JSON.stringify({ vulnerabilities: { tar: { severity: 'critical' } } }), stderr: '' })
          : repo.ctx.exec(command, args, options),
    };
    const result = await securityGate.run(ctx);
    expect(result.status).toBe('failed');
    expect(result.figures).toEqual({ audit: false, secrets: true, hygiene: true, suites: true });
    expect(result.details).toEqual(['gateOptions.security.auditLevel "hihg" is not one of moderate, high, critical']);
  });

  it('does not take a package named like an Object.prototype member as allowed to run install scripts', () => {
    const lock = { lockfileVersion: 3, packages: { 'node_modules/constructor': { version: '1.0.0', hasInstallScript: true } } };
    expect(checkHygiene(lock, {})).toEqual([
      { kind: 'install-script', message: 'constructor@1.0.0 has an install script that is neither allowed nor denied in package.json allowScripts' },
    ]);
  });
});
