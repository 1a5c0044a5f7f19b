/**
 * The workspaces of this monorepo (see harness/src/workspaces.ts, which holds
 * the tested logic); kept at the root for tools that import it from here.
 */
export { workspaces, shortName } from './harness/src/workspaces.ts';
export type { Workspace } from './harness/src/workspaces.ts';
