/**
 * Where API reports live and which workspaces have one: every workspace whose
 * package.json is not `private`. Kept apart from the extractor so readers of
 * reports (the changeset gate) do not load API Extractor.
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

/**
 * Workspaces published to users.
 * @example
 * publicWorkspaces('/repo').map((w) => w.name); // ['harness', 'mocks', 'core', ...]
 */
export function publicWorkspaces(root: string): Workspace[] {
  return workspaces(root).filter((workspace) => {
    const manifest = JSON.parse(readFileSync(join(root, workspace.dir, 'package.json'), 'utf8')) as { private?: boolean };
    return manifest.private !== true;
  });
}
