/**
 * `npm audit` on production dependencies, at high severity or above.
 */

export type AuditOutcome =
  /** `findings`: `name (severity)` for every finding at or above the level. */
  | { status: 'clean' | 'findings'; findings: string[] }
  /**
   * `unavailable`: the registry answered that it has no audit endpoint (404 or
   * 405 on the bulk advisory request), the one failure a config may accept.
   * `failed`: the audit broke for any other reason (network, auth, a 5xx,
   * output that is not npm's JSON); it always fails the gate.
   */
  | { status: 'unavailable' | 'failed'; findings: []; reason: string };

const RANK = { info: 0, low: 1, moderate: 2, high: 3, critical: 4 } as const;
type Severity = keyof typeof RANK;

interface AuditJson {
  vulnerabilities?: Record<string, unknown>;
  error?: { code?: string; summary?: string };
  // npm 10+ answers a failed audit request with an empty `error` and the
  // request's outcome beside it: "405 Method Not Allowed - POST https://…/bulk"
  message?: string;
  statusCode?: number;
}

/**
 * HTTP answers that mean "this registry has no audit endpoint" (a mirror that
 * only serves GET, or a registry without the bulk advisory route), and the
 * error codes older npm gave them. Anything else is a broken audit, not a
 * missing one: a timeout or a 500 must not pass as "unavailable".
 */
const ENDPOINT_ABSENT_STATUS = new Set([404, 405]);
const ENDPOINT_ABSENT_CODE = new Set(['E404', 'E405', 'ENOAUDIT']);

// A registry URL may carry credentials (https://user:token@host/): never let them into a report.
const redactUserinfo = (text: string): string => text.replace(/\/\/[^/@\s]+@/g, '//***@');

function failedRequest(json: AuditJson, error: NonNullable<AuditJson['error']>): AuditOutcome {
  const code = error.code ?? (json.statusCode === undefined ? 'error' : `HTTP ${String(json.statusCode)}`);
  const summary = [error.summary, json.message].find((text) => text !== undefined && text !== '') ?? 'audit endpoint failed';
  const reason = redactUserinfo(`${code}: ${summary}`);
  const absent = (json.statusCode !== undefined && ENDPOINT_ABSENT_STATUS.has(json.statusCode)) || (error.code !== undefined && ENDPOINT_ABSENT_CODE.has(error.code));
  return { status: absent ? 'unavailable' : 'failed', findings: [], reason };
}

function severityOf(entry: unknown): string {
  const severity = (entry as { severity?: unknown } | null)?.severity;
  return typeof severity === 'string' ? severity : 'severity unknown';
}

/**
 * Reads `npm audit --json` output. A registry without an audit endpoint is
 * "unavailable"; any other error, or output that is not npm's JSON, is
 * "failed". Neither is ever "clean".
 * @example
 * parseAudit(stdout, 'high'); // { status: 'findings', findings: ['tar (high)'] }
 */
export function parseAudit(stdout: string, level: 'high' | 'critical' | 'moderate' = 'high'): AuditOutcome {
  let json: AuditJson;
  try {
    json = JSON.parse(stdout) as AuditJson;
  } catch {
    return { status: 'failed', findings: [], reason: redactUserinfo(`npm audit printed no JSON: ${stdout.slice(0, 200)}`) };
  }
  if (typeof json !== 'object' || json === null) return { status: 'failed', findings: [], reason: redactUserinfo(`npm audit printed no JSON object: ${stdout.slice(0, 200)}`) };
  if (json.error) return failedRequest(json, json.error);
  if (!json.vulnerabilities) return { status: 'failed', findings: [], reason: 'npm audit JSON has no vulnerabilities section' };
  const floor = RANK[level];
  // An unknown or missing severity counts as the highest: an entry npm could not
  // grade (or a label newer than this table) is a finding, never harmless.
  const graded = (v: unknown): v is { severity: Severity } => typeof (v as { severity?: unknown } | null)?.severity === 'string' && Object.hasOwn(RANK, (v as { severity: string }).severity);
  const findings = Object.entries(json.vulnerabilities)
    .filter(([, v]) => !graded(v) || RANK[v.severity] >= floor)
    .map(([name, v]) => `${name} (${severityOf(v)})`)
    .sort();
  return { status: findings.length > 0 ? 'findings' : 'clean', findings };
}
