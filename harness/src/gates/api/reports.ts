/**
 * Where API reports live, which workspaces have one (every workspace whose
 * package.json is not `private`) and how to read one. Kept apart from the
 * extractor so readers of reports (the changeset and contracts gates) do not
 * load API Extractor.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaces } from '../../workspaces.ts';
import type { Workspace } from '../../workspaces.ts';

export const REPORT_DIR = 'contracts/api';

/** `contracts/api/<short name>.api.md`. */
export function reportPath(workspace: Workspace): string {
  return `${REPORT_DIR}/${workspace.name}.api.md`;
}

export interface WorkspacePackage {
  workspace: Workspace;
  /** The package name in its package.json (`@rampart/vault`). */
  name: string;
  private: boolean;
}

/**
 * Every workspace with its package name and `private` flag, each package.json
 * read once.
 * @example
 * workspacePackages('/repo').find((p) => p.name === '@rampart/fixtures')?.private; // true
 */
export function workspacePackages(root: string): WorkspacePackage[] {
  return workspaces(root).map((workspace) => {
    const manifest = JSON.parse(readFileSync(join(root, workspace.dir, 'package.json'), 'utf8')) as { name: string; private?: boolean };
    return { workspace, name: manifest.name, private: manifest.private === true };
  });
}

/**
 * Workspaces published to users.
 * @example
 * publicWorkspaces('/repo').map((w) => w.name); // ['harness', 'mocks', 'core', ...]
 */
export function publicWorkspaces(root: string): Workspace[] {
  return workspacePackages(root).filter((entry) => !entry.private).map((entry) => entry.workspace);
}

/**
 * A report with LF line endings and every line trimmed. API Extractor compares
 * reports ignoring whitespace, so the api gate passes a report checked out with
 * CRLF (`core.autocrlf`) or re-indented; whoever parses one must read those as
 * the same report, or an unchanged API reads as every symbol removed.
 * @example
 * normalizeReport('```ts\r\n  export const a: 1;\r\n```'); // '```ts\nexport const a: 1;\n```'
 */
export function normalizeReport(report: string): string {
  return report
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .join('\n');
}

/**
 * The package a report describes, from API Extractor's header, or undefined
 * without one.
 * @example
 * reportPackage('## API Report File for "@rampart/vault"\n'); // '@rampart/vault'
 */
export function reportPackage(report: string): string | undefined {
  return /^## API Report File for "([^"]+)"/m.exec(normalizeReport(report))?.[1];
}
