/**
 * Gate `security`: fails on any finding of
 *  - `npm audit` on production dependencies at high severity or above,
 *  - a secretlint scan of every file git tracks or would track,
 *  - dependency hygiene (lockfile, install-script allow-list),
 *  - every `*.security.test.ts` suite (which also run in `npm test`).
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { messageOf } from '../../errors.ts';
import { refuseArguments } from '../arguments.ts';
import type { Gate, GateContext, GateResult } from '../../gate.ts';
import { gitPaths } from '../git-paths.ts';
import { parseAudit } from './audit.ts';
import { checkHygiene, type Lockfile } from './hygiene.ts';
import { parseSecretlint } from './secret-scan.ts';

export interface SecurityGateOptions {
  /** Minimum severity that fails the audit (default `high`). */
  auditLevel?: 'moderate' | 'high' | 'critical';
  /**
   * What a registry without an audit endpoint (it answers the bulk advisory
   * request with 404 or 405) means: `fail` (default) or `warn` (the check is
   * reported as unavailable in the summary, never as clean). `warn` never
   * applies under GitHub Actions (`GITHUB_ACTIONS=true`), where the public
   * registry answers, nor to an audit that broke for another reason (network,
   * auth, a server error, unreadable output): those always fail.
   */
  auditUnavailable?: 'fail' | 'warn';
}

const AUDIT_LEVELS: ReadonlyArray<string> = ['moderate', 'high', 'critical'];

interface Check {
  name: string;
  ok: boolean;
  figure: string;
  details: string[];
}

function optionsOf(ctx: GateContext): SecurityGateOptions {
  const options: SecurityGateOptions | undefined = ctx.config.gateOptions?.security;
  return options ?? {};
}

async function auditCheck(ctx: GateContext, env: NodeJS.ProcessEnv = process.env): Promise<Check> {
  const { auditLevel = 'high', auditUnavailable = 'fail' } = optionsOf(ctx);
  // An unknown level ranks nothing at or above it: a typo would turn every finding into a clean audit.
  if (!AUDIT_LEVELS.includes(auditLevel)) {
    return { name: 'audit', ok: false, figure: 'audit misconfigured', details: [`gateOptions.security.auditLevel ${JSON.stringify(auditLevel)} is not one of ${AUDIT_LEVELS.join(', ')}`] };
  }
  const { code, stdout } = await ctx.exec('npm', ['audit', '--omit=dev', `--audit-level=${auditLevel}`, '--json'], { cwd: ctx.root });
  const outcome = parseAudit(stdout, auditLevel);
  if (outcome.status === 'failed') {
    return { name: 'audit', ok: false, figure: 'audit failed', details: [`npm audit failed (exit ${code}): ${outcome.reason}`] };
  }
  if (outcome.status === 'unavailable') {
    // The public registry has the endpoint: on GitHub's runners a missing one is a misconfiguration, not this machine's mirror.
    const required = env.GITHUB_ACTIONS === 'true';
    const ok = auditUnavailable === 'warn' && !required;
    const why = required && auditUnavailable === 'warn' ? ['auditUnavailable "warn" does not apply under GitHub Actions: the audit is required there'] : [];
    return { name: 'audit', ok, figure: 'audit unavailable', details: [`npm audit could not run: ${outcome.reason}`, ...why] };
  }
  return {
    name: 'audit',
    ok: outcome.status === 'clean',
    figure: `audit ${outcome.findings.length} ${auditLevel}+`,
    details: outcome.findings.map((f) => `npm audit: ${f}`),
  };
}

async function secretCheck(ctx: GateContext): Promise<Check> {
  let listed: string[];
  try {
    listed = await gitPaths(ctx, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  } catch (error) {
    // No file list is no scan: an empty scan must not pass as "0 secrets".
    return { name: 'secrets', ok: false, figure: 'secret scan failed', details: [messageOf(error)] };
  }
  // A tracked file deleted in the working tree is listed but has nothing to scan.
  const files = listed.filter((f) => existsSync(join(ctx.root, f)));
  const scan = await ctx.exec('secretlint', ['--format', 'json', '--no-glob', '--no-color', ...files], { cwd: ctx.root });
  if (scan.code !== 0 && scan.stdout.trim() === '') {
    return { name: 'secrets', ok: false, figure: 'secret scan failed', details: [`secretlint exited ${scan.code}: ${scan.stderr.trim()}`] };
  }
  const findings = parseSecretlint(scan.stdout, ctx.root);
  return {
    name: 'secrets',
    ok: findings.length === 0,
    figure: `${findings.length} secrets in ${files.length} files`,
    details: findings.map((f) => `secret: ${f.file}:${f.line} (${f.rule})`),
  };
}

function hygieneCheck(ctx: GateContext): Check {
  const lockPath = join(ctx.root, 'package-lock.json');
  const lock = existsSync(lockPath) ? (JSON.parse(readFileSync(lockPath, 'utf8')) as Lockfile) : undefined;
  const pkg = JSON.parse(readFileSync(join(ctx.root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
  const findings = checkHygiene(lock, pkg.allowScripts ?? {});
  return { name: 'hygiene', ok: findings.length === 0, figure: `hygiene ${findings.length} findings`, details: findings.map((f) => `hygiene: ${f.message}`) };
}

interface VitestJson {
  numPassedTests?: number;
  numFailedTests?: number;
  numTotalTests?: number;
}

async function suitesCheck(ctx: GateContext): Promise<Check> {
  mkdirSync(join(ctx.root, 'reports'), { recursive: true });
  const out = join(ctx.root, 'reports', 'security-vitest.json');
  // a report left by an earlier run must never stand in for this one
  rmSync(out, { force: true });
  const run = await ctx.exec('vitest', ['run', '.security.test.ts', '--reporter=json', `--outputFile=${out}`], { cwd: ctx.root });
  if (!existsSync(out)) {
    return { name: 'suites', ok: false, figure: 'security suites did not run', details: [`vitest exited ${run.code}: ${run.stderr.trim().slice(-500)}`] };
  }
  const json = JSON.parse(readFileSync(out, 'utf8')) as VitestJson;
  const passed = json.numPassedTests ?? 0;
  const failed = json.numFailedTests ?? 0;
  // a security gate that ran nothing proves nothing
  const ok = run.code === 0 && failed === 0 && passed > 0;
  const details = ok ? [] : [`security suites: ${passed} passed, ${failed} failed (vitest exit ${run.code})`];
  return { name: 'suites', ok, figure: `suites ${passed} passed, ${failed} failed`, details };
}

export const securityGate: Gate = {
  name: 'security',
  description: 'npm audit (prod, high+), secret scan, dependency hygiene, security test suites',
  async run(ctx): Promise<GateResult> {
    refuseArguments('security', ctx.argv);
    const checks: Check[] = [];
    const all: Array<(c: GateContext) => Check | Promise<Check>> = [auditCheck, secretCheck, hygieneCheck, suitesCheck];
    for (const check of all) {
      const result = await check(ctx);
      ctx.log(`security/${result.name}: ${result.ok ? 'ok' : 'FAILED'} (${result.figure})`);
      checks.push(result);
    }
    const failed = checks.filter((c) => !c.ok);
    return {
      status: failed.length === 0 ? 'passed' : 'failed',
      summary: checks.map((c) => c.figure).join(', '),
      figures: Object.fromEntries(checks.map((c) => [c.name, c.ok])),
      details: checks.flatMap((c) => c.details),
    };
  },
};
