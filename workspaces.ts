/**
 * The workspaces of this monorepo, read from package.json, with the short
 * names used for vitest projects, coverage floors and gate reports.
 */
import { readFileSync } from 'node:fs';

export interface Workspace {
  /** Short name: `core` for packages/core, `example-hello` for examples/hello. */
  name: string;
  /** Directory relative to the repository root. */
  dir: string;
}

export function workspaces(root: string = import.meta.dirname): Workspace[] {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { workspaces: string[] };
  return pkg.workspaces.map((dir) => {
    const parts = dir.split('/');
    const last = parts.at(-1) ?? dir;
    return { dir, name: parts[0] === 'examples' ? `example-${last}` : last };
  });
}
