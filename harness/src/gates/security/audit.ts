/**
 * `npm audit` on production dependencies, at high severity or above.
 */

export type AuditOutcome =
  /** `findings`: `name (severity)` for every finding at or above the level. */
  | { status: 'clean' | 'findings'; findings: string[] }
  /** `reason`: why the audit could not run. */
  | { status: 'unavailable'; findings: []; reason: string };

const RANK = { info: 0, low: 1, moderate: 2, high: 3, critical: 4 } as const;
type Severity = keyof typeof RANK;

interface AuditJson {
  vulnerabilities?: Record<string, { severity?: string }>;
  error?: { code?: string; summary?: string };
  // npm 10 answers a failed audit request with an empty `error` and the
  // request's outcome beside it: "405 Method Not Allowed - POST https://…/bulk"
  message?: string;
  statusCode?: number;
}

// A registry URL may carry credentials (https://user:token@host/): never let them into a report.
const redactUserinfo = (text: string): string => text.replace(/\/\/[^/@\s]+@/g, '//***@');

/**
 * Reads `npm audit --json` output. npm prints `{ "error": ... }` when the
 * registry has no audit endpoint; that is "unavailable", never "clean".
 * @example
 * parseAudit(stdout, 'high'); // { status: 'findings', findings: ['tar (high)'] }
 */
export function parseAudit(stdout: string, level: 'high' | 'critical' | 'moderate' = 'high'): AuditOutcome {
  let json: AuditJson;
  try {
    json = JSON.parse(stdout) as AuditJson;
  } catch {
    return { status: 'unavailable', findings: [], reason: redactUserinfo(`npm audit printed no JSON: ${stdout.slice(0, 200)}`) };
  }
  if (json.error) {
    const code = json.error.code ?? (json.statusCode === undefined ? 'error' : `HTTP ${String(json.statusCode)}`);
    const summary = [json.error.summary, json.message].find((text) => text !== undefined && text !== '') ?? 'audit endpoint failed';
    return { status: 'unavailable', findings: [], reason: redactUserinfo(`${code}: ${summary}`) };
  }
  if (!json.vulnerabilities) return { status: 'unavailable', findings: [], reason: 'npm audit JSON has no vulnerabilities section' };
  const floor = RANK[level];
  // an unknown severity label counts as the highest: never let a new label slip through
  const rank = (severity: string | undefined): number => (severity === undefined ? 0 : (RANK[severity as Severity] ?? RANK.critical));
  const findings = Object.entries(json.vulnerabilities)
    .filter(([, v]) => rank(v.severity) >= floor)
    .map(([name, v]) => `${name} (${v.severity})`)
    .sort();
  return { status: findings.length > 0 ? 'findings' : 'clean', findings };
}
