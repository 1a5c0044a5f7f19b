/**
 * The run report in its three forms: the terminal summary table,
 * reports/harness.md (also appended to $GITHUB_STEP_SUMMARY) and
 * reports/harness.json for machines.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GateResult, GateStatus } from '../gate.ts';
import { formatDuration, table } from './format.ts';

export interface GateReport extends GateResult {
  name: string;
  durationMs: number;
}

export interface HarnessReport {
  startedAt: string;
  durationMs: number;
  ci: boolean;
  node: string;
  totals: Record<GateStatus, number>;
  gates: GateReport[];
}

/**
 * @example
 * buildReport(gates, { startedAt: new Date(), durationMs: 1200, ci: true });
 */
export function buildReport(gates: GateReport[], run: { startedAt: Date; durationMs: number; ci: boolean }): HarnessReport {
  const count = (status: GateStatus) => gates.filter((gate) => gate.status === status).length;
  return {
    startedAt: run.startedAt.toISOString(),
    durationMs: run.durationMs,
    ci: run.ci,
    node: process.version,
    totals: { passed: count('passed'), failed: count('failed'), skipped: count('skipped') },
    gates,
  };
}

/**
 * The plain closing line any CI log reader understands.
 * @example
 * closingLine(report); // 'gates: 3 passed, 1 failed'
 */
export function closingLine(report: HarnessReport): string {
  return `gates: ${report.totals.passed} passed, ${report.totals.failed} failed`;
}

/** Terminal table: gate, status, key figure, duration. */
export function summaryTable(report: HarnessReport, status: (s: GateStatus) => string = (s) => s): string[] {
  const rows = report.gates.map((gate) => [gate.name, status(gate.status), gate.summary, duration(gate)]);
  return table([['Gate', 'Status', 'Key figure', 'Duration'], ...rows]);
}

/**
 * @example
 * writeFileSync('reports/harness.md', markdownReport(report));
 */
export function markdownReport(report: HarnessReport): string {
  const icon: Record<GateStatus, string> = { passed: '✅', failed: '❌', skipped: '⏭️' };
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const lines = [
    '## Rampart quality gates',
    '',
    '| Gate | Status | Key figure | Duration |',
    '| --- | --- | --- | --- |',
    ...report.gates.map((g) => `| ${g.name} | ${icon[g.status]} ${g.status} | ${cell(g.summary)} | ${duration(g)} |`),
  ];
  for (const gate of report.gates.filter((g) => g.details !== undefined && g.details.length > 0)) {
    lines.push('', `### ${gate.name}`, '', '```text', ...(gate.details ?? []), '```');
  }
  lines.push('', `${closingLine(report)} (${formatDuration(report.durationMs)}, Node ${report.node})`, '');
  return lines.join('\n');
}

/**
 * Writes `<dir>/harness.json` and `<dir>/harness.md`; appends the Markdown to
 * the GitHub step summary file when one is given. Returns the paths written.
 * @example
 * writeReports(report, 'reports', process.env.GITHUB_STEP_SUMMARY);
 */
export function writeReports(report: HarnessReport, dir: string, stepSummary?: string): string[] {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'harness.json');
  const md = join(dir, 'harness.md');
  const markdown = markdownReport(report);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, markdown);
  if (stepSummary !== undefined && stepSummary !== '') appendFileSync(stepSummary, `${markdown}\n`);
  return [json, md];
}

function duration(gate: GateReport): string {
  return gate.status === 'skipped' ? '-' : formatDuration(gate.durationMs);
}
