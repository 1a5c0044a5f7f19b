/**
 * Reads secretlint's JSON report into findings a developer can act on:
 * file, line and rule, never the secret itself.
 */

export interface SecretFinding {
  file: string;
  line: number;
  rule: string;
}

interface SecretlintMessage {
  ruleId?: string;
  loc?: { start?: { line?: number } };
}

interface SecretlintResult {
  filePath?: string;
  messages?: SecretlintMessage[];
}

/**
 * @example
 * parseSecretlint(json, '/repo'); // [{ file: 'src/a.ts', line: 3, rule: '@secretlint/secretlint-rule-aws' }]
 */
export function parseSecretlint(stdout: string, root: string): SecretFinding[] {
  const trimmed = stdout.trim();
  if (trimmed === '') return [];
  const results = JSON.parse(trimmed) as SecretlintResult[];
  const findings: SecretFinding[] = [];
  for (const result of results) {
    const file = (result.filePath ?? '?').replace(`${root}/`, '');
    for (const message of result.messages ?? []) {
      findings.push({ file, line: message.loc?.start?.line ?? 0, rule: message.ruleId ?? 'unknown' });
    }
  }
  return findings;
}
