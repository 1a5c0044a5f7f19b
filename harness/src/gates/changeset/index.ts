/**
 * Gate `changeset`: the link between code and versions. A public workspace
 * whose shipped source (`src/`, tests excluded) changed since the base needs a
 * changeset naming it; when its API report removes or changes an existing
 * signature, that changeset must be `major`, and the gate names the symbol.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Gate, GateContext, GateResult } from '../../gate.ts';
import { messageOf } from '../../errors.ts';
import { publicWorkspaces, reportPath } from '../api/reports.ts';
import type { Workspace } from '../../workspaces.ts';
import { brokenSymbols } from './api-diff.ts';
import { changedFiles, missingBaseDetails, resolveBase, showAtBase } from './base.ts';
import { bumpFor, parseChangeset } from './changesets.ts';
import type { ParsedChangeset } from './changesets.ts';

/** Source that ships: under src/, not a test, fixture or test helper. */
function shipsIn(file: string, workspace: Workspace): boolean {
  return file.startsWith(`${workspace.dir}/src/`) && !/\.test\.ts$|\/__fixtures__\/|\/test-support\//.test(file);
}

function packageName(root: string, workspace: Workspace): string {
  return (JSON.parse(readFileSync(join(root, workspace.dir, 'package.json'), 'utf8')) as { name: string }).name;
}

function readChangesets(root: string, changed: readonly string[]): { changesets: ParsedChangeset[]; files: string[] } {
  const files = changed.filter((file) => /^\.changeset\/[^/]+\.md$/.test(file) && file !== '.changeset/README.md' && existsSync(join(root, file)));
  return { changesets: files.map((file) => parseChangeset(file, readFileSync(join(root, file), 'utf8'))), files };
}

interface Verdict {
  name: string;
  problems: string[];
}

async function judge(context: GateContext, sha: string, ref: string, workspace: Workspace, changesets: readonly ParsedChangeset[]): Promise<Verdict> {
  const name = packageName(context.root, workspace);
  const bump = bumpFor(changesets, name);
  if (bump === undefined) {
    return { name, problems: [`${name}: ${workspace.dir}/src changed since ${ref} without a changeset naming it; run npx changeset`] };
  }
  const report = reportPath(workspace);
  const before = await showAtBase(context, sha, report);
  const after = existsSync(join(context.root, report)) ? readFileSync(join(context.root, report), 'utf8') : '';
  const broken = before === undefined ? [] : brokenSymbols(before, after);
  if (broken.length === 0 || bump === 'major') return { name, problems: [] };
  return { name, problems: [`${name}: ${report} removes or changes ${broken.map((symbol) => `\`${symbol}\``).join(', ')}; this breaks users, so the changeset must be major (found ${bump})`] };
}

/**
 * Changesets naming a package that is not a published workspace (a private
 * one, or a typo). @changesets/cli does not version private packages and
 * refuses a changeset that mixes them with published ones ("Mixed changesets
 * that contain both ignored and not ignored packages are not allowed"), so
 * such a file would only fail at release time.
 */
function unreleasable(root: string, changesets: readonly ParsedChangeset[], files: readonly string[]): string[] {
  const published = new Set(publicWorkspaces(root).map((workspace) => packageName(root, workspace)));
  return changesets.flatMap((changeset, i) =>
    [...changeset.releases.keys()]
      .filter((name) => !published.has(name))
      .map((name) => `${files[i] ?? ''}: names ${name}, which is not a published workspace (private packages are not versioned, and @changesets/cli refuses a changeset mixing them with published ones)`),
  );
}

/**
 * The gate's check with an explicit environment (the gate passes process.env).
 * Without a base it passes with a note locally and fails in CI (`context.ci`).
 * @example
 * await checkChangesets(context, { RAMPART_BASE_REF: 'origin/main' });
 */
export async function checkChangesets(context: GateContext, env: NodeJS.ProcessEnv): Promise<GateResult> {
  const base = await resolveBase(context, env);
  if (base.kind === 'missing' && context.ci) return { status: 'failed', summary: 'no base to compare with', figures: { compared: false }, details: missingBaseDetails(base.note) };
  if (base.kind !== 'base') return { status: 'passed', summary: base.note, figures: { compared: false } };
  const changed = await changedFiles(context, base.sha);
  const { changesets, files } = readChangesets(context.root, changed);
  const touched = publicWorkspaces(context.root).filter((workspace) =>
    changed.some((file) => shipsIn(file, workspace) || file === reportPath(workspace)),
  );
  const verdicts = await Promise.all(touched.map((workspace) => judge(context, base.sha, base.ref, workspace, changesets)));
  const problems = [
    ...changesets.flatMap((changeset) => changeset.problems),
    ...unreleasable(context.root, changesets, files),
    ...verdicts.flatMap((verdict) => verdict.problems),
  ];
  const figures = { compared: true, changed: touched.length, changesets: files.length, problems: problems.length };
  const names = verdicts.map((verdict) => verdict.name).join(', ') || 'none';
  if (problems.length > 0) return { status: 'failed', summary: `${problems.length} package(s) need a changeset fix`, figures, details: problems };
  return { status: 'passed', summary: `${touched.length} changed package(s) covered by ${files.length} changeset(s)`, figures, details: [`base ${base.ref} (${base.sha.slice(0, 12)}); changed: ${names}`] };
}

/**
 * The changeset gate, registered as `changeset` in harness.config.ts.
 * @example
 * // CI on a pull request: compare with the target branch
 * // RAMPART_BASE_REF=origin/main npm run ci
 */
export const changesetGate: Gate = {
  name: 'changeset',
  description: 'Changed public packages carry a changeset; a removed or changed API signature needs a major one',
  run: (context) =>
    checkChangesets(context, process.env).catch((error: unknown) => ({ status: 'failed' as const, summary: 'cannot compare with the base', details: [messageOf(error)] })),
};
