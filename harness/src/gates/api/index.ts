/**
 * Gate `api`: every public workspace's committed API report
 * (`contracts/api/<name>.api.md`) matches what its built code exports. Command
 * `api:update` rewrites the reports. The build gate runs first: reports are
 * made from `dist/index.d.ts`, the surface users actually import.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Gate, GateContext, GateResult } from '../../gate.ts';
import { messageOf } from '../../errors.ts';
import { refuseArguments } from '../arguments.ts';
import type { Workspace } from '../../workspaces.ts';
import { extractAll, readIfExists, reportDelta } from './extractor.ts';
import { publicWorkspaces, REPORT_DIR, reportPackage, reportPath, workspacePackages } from './reports.ts';
import type { ApiRun } from './extractor.ts';

function split(root: string): { built: Workspace[]; unbuilt: string[] } {
  const all = publicWorkspaces(root);
  const built = all.filter((workspace) => existsSync(join(root, workspace.dir, 'dist/index.d.ts')));
  const unbuilt = all
    .filter((workspace) => !built.includes(workspace))
    .map((workspace) => `${workspace.name}: ${workspace.dir}/dist/index.d.ts not found; run npm run build first`);
  return { built, unbuilt };
}

/**
 * Why a report is left over, named by the package in its header: a workspace
 * that moved (reports are named after its directory) still publishes it under
 * another name; a package made private breaks its users and needs a major
 * changeset naming it, which the changeset gate asks for too; a deleted one
 * cannot be versioned by any changeset, so it is announced with npm deprecate.
 */
function orphanReason(root: string, path: string, published: ReadonlyMap<string, Workspace>, present: ReadonlySet<string>): string {
  const name = reportPackage(readIfExists(join(root, path)));
  if (name === undefined) return `${path}: no public workspace produces this report any more; delete it`;
  const now = published.get(name);
  if (now !== undefined) return `${path}: ${name} now has its report at ${reportPath(now)} (its workspace moved to ${now.dir}); delete this one`;
  // `present` holds every workspace, private ones included: a package made private is still one.
  if (!present.has(name)) return `${path}: ${name} is no longer a workspace; delete this report and announce the removal with npm deprecate ${name} (no changeset can version a deleted package)`;
  return `${path}: ${name} is private now; delete this report, with a major changeset naming ${name}`;
}

/** Reports left behind by a workspace that is gone, moved or became private. */
function orphans(root: string): string[] {
  const dir = join(root, REPORT_DIR);
  if (!existsSync(dir)) return [];
  const packages = workspacePackages(root);
  const publicOnes = packages.filter((entry) => !entry.private);
  const known = new Set(publicOnes.map((entry) => reportPath(entry.workspace)));
  const published = new Map(publicOnes.map((entry) => [entry.name, entry.workspace]));
  const present = new Set(packages.map((entry) => entry.name));
  return readdirSync(dir)
    .sort()
    .map((name) => `${REPORT_DIR}/${name}`)
    .filter((path) => path.endsWith('.api.md') && !known.has(path))
    .map((path) => orphanReason(root, path, published, present));
}

function drift(root: string, run: ApiRun): string[] {
  if (!run.changed) return [];
  const onDisk = readIfExists(join(root, run.report));
  const what = onDisk === '' ? 'is missing' : 'differs from the public API the code exports';
  return [`${run.workspace.name}: ${run.report} ${what}; run npm run api:update and commit it`, ...reportDelta(onDisk, readIfExists(run.produced)).map((line) => `    ${line}`)];
}

function check(context: GateContext): GateResult {
  const { built, unbuilt } = split(context.root);
  const runs = extractAll(context.root, built, false);
  const failures = [...unbuilt, ...runs.flatMap((run) => [...run.messages, ...drift(context.root, run)]), ...orphans(context.root)];
  const stale = runs.filter((run) => run.changed).map((run) => run.workspace.name);
  const figures = { packages: built.length, changed: stale.length, unbuilt: unbuilt.length };
  if (failures.length > 0) {
    const summary = stale.length > 0 ? `report out of date: ${stale.join(', ')}` : `${failures.length} problem(s)`;
    return { status: 'failed', summary, figures, details: failures };
  }
  return { status: 'passed', summary: `${built.length} API reports up to date`, figures, details: built.map((workspace) => reportPath(workspace)) };
}

function run(context: GateContext): Promise<GateResult> {
  return Promise.resolve().then((): GateResult => {
    // Outside the try: a usage error is the caller's (exit 2), not a gate that could not run.
    refuseArguments('api', context.argv);
    try {
      return check(context);
    } catch (error) {
      // A missing or invalid api-extractor.json is a failed gate with its reason.
      return { status: 'failed', summary: 'API Extractor could not run', details: [messageOf(error)] };
    }
  });
}

function update(context: GateContext): number {
  const { built, unbuilt } = split(context.root);
  const runs = extractAll(context.root, built, true);
  for (const each of runs) context.log(`${each.changed ? 'updated' : 'unchanged'}: ${each.report}`);
  const problems = [...unbuilt, ...runs.flatMap((each) => each.messages)];
  for (const line of problems) context.log(`✗ ${line}`);
  return problems.length > 0 ? 1 : 0;
}

/**
 * The API report gate, registered as `api` in harness.config.ts.
 * @example
 * // harness.config.ts: the build gate must run before it
 * export default defineConfig({ gates: ['build', 'api'], thresholds: { coverage: { floor: 95 } } });
 */
export const apiGate: Gate = {
  name: 'api',
  description: 'Committed API reports (contracts/api/*.api.md, API Extractor) match the public API of every public workspace',
  run,
  commands: {
    'api:update': (context) => Promise.resolve().then(() => {
      refuseArguments('api:update', context.argv);
      return update(context);
    }),
  },
};
