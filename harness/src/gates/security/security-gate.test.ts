import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExecOptions, GateContext } from '../../gate.ts';
import { createExec } from '../../run/exec.ts';
import { securityGate } from './index.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const realExec = createExec({ root: repoRoot, env: process.env, onLine: () => undefined });
const AUDIT_CLEAN = JSON.stringify({ vulnerabilities: {} });
const VITEST_OK = JSON.stringify({ numPassedTests: 7, numFailedTests: 0, numTotalTests: 7 });

interface Canned {
  audit?: string;
  auditCode?: number;
  vitest?: string | null;
  vitestCode?: number;
}

/** A scratch repository with the real secretlint config, scanned by the real secretlint. */
function scratchRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-security-'));
  for (const name of ['.secretlintrc.json', '.secretlintignore']) copyFileSync(join(repoRoot, name), join(dir, name));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', allowScripts: { node: true } }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/node': { version: '24.0.0', hasInstallScript: true } } }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

function context(root: string, canned: Canned, gateOptions?: Record<string, unknown>): { ctx: GateContext; lines: string[] } {
  const lines: string[] = [];
  const exec = async (command: string, args: readonly string[], options?: ExecOptions) => {
    if (command === 'npm' && args[0] === 'audit') return { code: canned.auditCode ?? 0, stdout: canned.audit ?? AUDIT_CLEAN, stderr: '' };
    if (command === 'vitest') {
      const out = args.find((a) => a.startsWith('--outputFile='))?.slice('--outputFile='.length) ?? '';
      if (canned.vitest !== null) writeFileSync(out, canned.vitest ?? VITEST_OK);
      return { code: canned.vitestCode ?? 0, stdout: '', stderr: 'vitest said no' };
    }
    return realExec(command, args, options);
  };
  const ctx: GateContext = {
    root,
    ci: true,
    argv: [],
    config: { gates: ['security'], thresholds: { coverage: { floor: 95 } }, ...(gateOptions ? { gateOptions: { security: gateOptions } } : {}) },
    log: (line) => lines.push(line),
    exec,
  };
  return { ctx, lines };
}

describe('security gate', () => {
  // The gate reads GITHUB_ACTIONS; tests that run on GitHub's runners must not inherit it.
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  it('passes a clean repository and reports every check', async () => {
    const root = scratchRepo({ 'src/app.ts': 'export const port = 8080;\n' });
    const { ctx, lines } = context(root, {});
    const result = await securityGate.run(ctx);
    expect(result.status).toBe('passed');
    expect(result.summary).toBe('audit 0 high+, 0 secrets in 5 files, hygiene 0 findings, suites 7 passed, 0 failed');
    expect(result.details).toEqual([]);
    expect(lines).toEqual([
      'security/audit: ok (audit 0 high+)',
      'security/secrets: ok (0 secrets in 5 files)',
      'security/hygiene: ok (hygiene 0 findings)',
      'security/suites: ok (suites 7 passed, 0 failed)',
    ]);
  }, 60_000);

  it('fails on a secret planted in a log call, naming file and line but not the secret', async () => {
    const key = ['AKIA', 'Z7Q3M4XK2LPV9TRB'].join('');
    const root = scratchRepo({ 'src/boot.ts': `import { log } from './log.ts';\nlog.info({ awsKey: '${key}' }, 'booting');\n` });
    const result = await securityGate.run(context(root, {}).ctx);
    expect(result.status).toBe('failed');
    expect(result.figures).toEqual({ audit: true, secrets: false, hygiene: true, suites: true });
    expect(result.details).toEqual(['secret: src/boot.ts:2 (@secretlint/secretlint-rule-pattern)']);
    expect(JSON.stringify(result)).not.toContain(key);
  }, 60_000);

  it('fails on audit findings, on an unreachable audit unless told to warn, and on hygiene findings', async () => {
    const root = scratchRepo({});
    const high = JSON.stringify({ vulnerabilities: { tar: { severity: 'high' } } });
    const withFinding = await securityGate.run(context(root, { audit: high }).ctx);
    expect(withFinding.status).toBe('failed');
    expect(withFinding.details).toEqual(['npm audit: tar (high)']);

    vi.stubEnv('GITHUB_ACTIONS', undefined);
    const down = JSON.stringify({ error: { code: 'E405', summary: 'Method Not Allowed' } });
    const strict = await securityGate.run(context(root, { audit: down }).ctx);
    expect(strict.status).toBe('failed');
    expect(strict.summary).toContain('audit unavailable');
    const lenient = await securityGate.run(context(root, { audit: down }, { auditUnavailable: 'warn' }).ctx);
    expect(lenient.status).toBe('passed');
    expect(lenient.summary).toContain('audit unavailable');
    expect(lenient.details).toEqual(['npm audit could not run: E405: Method Not Allowed']);

    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'scratch' }));
    const unlisted = await securityGate.run(context(root, {}).ctx);
    expect(unlisted.details).toEqual(['hygiene: node@24.0.0 has an install script that is neither allowed nor denied in package.json allowScripts']);
    rmSync(join(root, 'package-lock.json'));
    const noLock = await securityGate.run(context(root, {}, {}).ctx);
    expect(noLock.details).toEqual(['hygiene: package-lock.json is missing: installs are not reproducible']);
  }, 60_000);

  it('fails an audit that broke for another reason even when told to warn about an unavailable one', async () => {
    vi.stubEnv('GITHUB_ACTIONS', undefined);
    const root = scratchRepo({});
    const warn = { auditUnavailable: 'warn' };
    const timeout = JSON.stringify({ error: {}, message: 'request to https://registry.example.org/-/npm/v1/security/advisories/bulk failed, reason: ETIMEDOUT' });
    const network = await securityGate.run(context(root, { audit: timeout, auditCode: 1 }, warn).ctx);
    expect(network.status).toBe('failed');
    expect(network.figures).toEqual({ audit: false, secrets: true, hygiene: true, suites: true });
    expect(network.summary).toContain('audit failed');
    expect(network.details).toEqual(['npm audit failed (exit 1): error: request to https://registry.example.org/-/npm/v1/security/advisories/bulk failed, reason: ETIMEDOUT']);
    const garbled = await securityGate.run(context(root, { audit: 'npm error code ECONNRESET', auditCode: 1 }, warn).ctx);
    expect(garbled.details).toEqual(['npm audit failed (exit 1): npm audit printed no JSON: npm error code ECONNRESET']);
    const server = JSON.stringify({ message: '500 Internal Server Error - POST https://registry.example.org/-/npm/v1/security/advisories/bulk', statusCode: 500, error: { summary: '', detail: '' } });
    expect((await securityGate.run(context(root, { audit: server, auditCode: 1 }, warn).ctx)).figures?.audit).toBe(false);
  }, 60_000);

  it('requires the audit under GitHub Actions: an unavailable endpoint fails there despite warn', async () => {
    const root = scratchRepo({});
    const refused = JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.example.org/-/npm/v1/security/advisories/bulk', statusCode: 405, body: '', error: { summary: '', detail: '' } });
    const warn = { auditUnavailable: 'warn' };
    vi.stubEnv('GITHUB_ACTIONS', undefined);
    expect((await securityGate.run(context(root, { audit: refused, auditCode: 1 }, warn).ctx)).status).toBe('passed');
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    const onGitHub = await securityGate.run(context(root, { audit: refused, auditCode: 1 }, warn).ctx);
    expect(onGitHub.status).toBe('failed');
    expect(onGitHub.figures).toEqual({ audit: false, secrets: true, hygiene: true, suites: true });
    expect(onGitHub.details).toEqual([
      'npm audit could not run: HTTP 405: 405 Method Not Allowed - POST https://registry.example.org/-/npm/v1/security/advisories/bulk',
      'auditUnavailable "warn" does not apply under GitHub Actions: the audit is required there',
    ]);
  }, 60_000);

  it('fails when security suites fail, did not run, or ran nothing', async () => {
    const root = scratchRepo({});
    const failing = await securityGate.run(context(root, { vitest: JSON.stringify({ numPassedTests: 3, numFailedTests: 1 }), vitestCode: 1 }).ctx);
    expect(failing.details).toEqual(['security suites: 3 passed, 1 failed (vitest exit 1)']);
    const missing = await securityGate.run(context(root, { vitest: null, vitestCode: 1 }).ctx);
    expect(missing.details).toEqual(['vitest exited 1: vitest said no']);
    const empty = await securityGate.run(context(root, { vitest: '{}' }).ctx);
    expect(empty.status).toBe('failed');
    expect(empty.details).toEqual(['security suites: 0 passed, 0 failed (vitest exit 0)']);
  }, 60_000);

  it('fails when the secret scanner itself cannot run', async () => {
    const root = scratchRepo({});
    const { ctx } = context(root, {});
    const broken: GateContext = {
      ...ctx,
      exec: (command, args, options) =>
        command === 'secretlint' ? Promise.resolve({ code: 2, stdout: '', stderr: 'bad config\n' }) : ctx.exec(command, args, options),
    };
    const result = await securityGate.run(broken);
    expect(result.details).toEqual(['secretlint exited 2: bad config']);
  }, 60_000);
});
