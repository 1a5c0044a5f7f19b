/**
 * Gate `changeset`: the link between code and versions. A public workspace
 * whose shipped source (`src/`, tests excluded) changed since the base needs a
 * changeset naming it; when its API report removes or changes an existing
 * signature, that changeset must be `major`, and the gate names the symbol. A
 * package published at the base and deleted or made private since needs a
 * `major` changeset too; one deleted cannot be versioned, and the gate says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Gate, GateContext, GateResult } from '../../gate.ts';
import { messageOf } from '../../errors.ts';
import { refuseArguments } from '../arguments.ts';
import { reportPath, workspacePackages } from '../api/reports.ts';
import type { Workspace } from '../../workspaces.ts';
import { brokenSymbols } from './api-diff.ts';
import { changedFiles, missingBaseDetails, resolveBase, showAtBase } from './base.ts';
import { basePackages } from './base-packages.ts';
import type { BasePackage } from './base-packages.ts';
import { bumpFor, parseChangeset } from './changesets.ts';
import type { ParsedChangeset } from './changesets.ts';

/** Source that ships: under src/, not a test, fixture or test helper. */
function shipsIn(file: string, workspace: Workspace): boolean {
  return file.startsWith(`${workspace.dir}/src/`) && !/\.test\.ts$|\/__fixtures__\/|\/test-support\//.test(file);
}

function readChangesets(root: string, changed: readonly string[]): { changesets: ParsedChangeset[]; files: string[] } {
  const files = changed.filter((file) => /^\.changeset\/[^/]+\.md$/.test(file) && file !== '.changeset/README.md' && existsSync(join(root, file)));
  return { changesets: files.map((file) => parseChangeset(file, readFileSync(join(root, file), 'utf8'))), files };
}

interface Verdict {
  name: string;
  problems: string[];
  /** Facts shown when the gate passes. */
  notes?: string[];
}

/** What every verdict is judged against. */
interface Comparison {
  sha: string;
  ref: string;
  changesets: readonly ParsedChangeset[];
  /** Packages published at the base, by package name. */
  before: ReadonlyMap<string, BasePackage>;
}

async function judge(context: GateContext, comparison: Comparison, name: string, workspace: Workspace): Promise<Verdict> {
  const { sha, ref } = comparison;
  const bump = bumpFor(comparison.changesets, name);
  if (bump === undefined) {
    return { name, problems: [`${name}: ${workspace.dir}/src changed since ${ref} without a changeset naming it; run npx changeset`] };
  }
  const report = reportPath(workspace);
  // The same package's report at the base, found by package name: reports are
  // named after the workspace directory, which may have moved since. A package
  // not published at the base has no users to break.
  const baseReport = comparison.before.get(name)?.report;
  if (baseReport === undefined || bump === 'major') return { name, problems: [] };
  const before = await showAtBase(context, sha, baseReport);
  const after = existsSync(join(context.root, report)) ? readFileSync(join(context.root, report), 'utf8') : '';
  const broken = before === undefined ? [] : brokenSymbols(before, after);
  if (broken.length === 0) return { name, problems: [] };
  const where = baseReport === report ? report : `${report} (${baseReport} at ${ref})`;
  return { name, problems: [`${name}: ${where} removes or changes ${broken.map((symbol) => `\`${symbol}\``).join(', ')}; this breaks users, so the changeset must be major (found ${bump})`] };
}

/**
 * Packages published at the base that no public workspace publishes now. One
 * made private loses its users every export: a major changeset must name it,
 * as the api gate says of the report left behind. One that is no longer a
 * workspace at all (deleted, or renamed to another package name) cannot be
 * named: @changesets/cli refuses a changeset for a package it cannot find
 * ("not in the workspace"), so the gate only says how to announce it; the
 * contracts gate still fails on its deleted contract tests until a maintainer
 * accepts the removal.
 */
function removed(comparison: Comparison, gone: readonly BasePackage[], present: ReadonlySet<string>): Verdict[] {
  return gone.map(({ name, dir }) => {
    if (!present.has(name)) {
      return { name, problems: [], notes: [`${name}: published from ${dir} at ${comparison.ref}, no longer a workspace; no changeset can version it: announce the removal with npm deprecate ${name}`] };
    }
    const bump = bumpFor(comparison.changesets, name);
    if (bump === 'major') return { name, problems: [] };
    const found = bump === undefined ? 'no changeset names it' : `found ${bump}`;
    return { name, problems: [`${name}: published from ${dir} at ${comparison.ref}, is private now; this breaks its users, so a major changeset must name it (${found})`] };
  });
}

/**
 * Changesets naming a package that is not a published workspace (a private
 * one, or a typo). @changesets/cli does not version private packages and
 * refuses a changeset that mixes them with published ones ("Mixed changesets
 * that contain both ignored and not ignored packages are not allowed"), so
 * such a file would only fail at release time. A package published at the
 * base may be named: its removal needs a major changeset. For the same reason
 * it goes in a changeset of its own.
 */
function unreleasable(changesets: readonly ParsedChangeset[], files: readonly string[], published: ReadonlySet<string>, gone: ReadonlySet<string>, present: ReadonlySet<string>): string[] {
  return changesets.flatMap((changeset, i) => {
    const file = files[i] ?? '';
    const names = [...changeset.releases.keys()];
    const deleted = names
      .filter((name) => gone.has(name) && !present.has(name))
      .map((name) => `${file}: names ${name}, which is no longer a workspace: @changesets/cli refuses it at release ("not in the workspace"); remove it from the changeset and announce the removal with npm deprecate ${name}`);
    const unknown = names
      .filter((name) => !published.has(name) && !gone.has(name))
      .map((name) => `${file}: names ${name}, which is not a published workspace (private packages are not versioned, and @changesets/cli refuses a changeset mixing them with published ones)`);
    const dropped = names.filter((name) => gone.has(name) && present.has(name));
    if (dropped.length === 0 || !names.some((name) => published.has(name))) return [...deleted, ...unknown];
    return [...deleted, ...unknown, `${file}: names ${dropped.join(', ')}, no longer published, together with published packages; give the removal a changeset of its own (@changesets/cli refuses a changeset mixing unversioned packages with versioned ones)`];
  });
}

async function compare(context: GateContext, base: { sha: string; ref: string }): Promise<GateResult> {
  const changed = await changedFiles(context, base.sha);
  const { changesets, files } = readChangesets(context.root, changed);
  const before = new Map((await basePackages(context, base.sha)).map((entry) => [entry.name, entry]));
  const comparison: Comparison = { ...base, changesets, before };
  const packages = workspacePackages(context.root);
  const published = new Map(packages.filter((entry) => !entry.private).map((entry) => [entry.name, entry.workspace]));
  // Every workspace's package name, private ones included.
  const present = new Set(packages.map((entry) => entry.name));
  const touched = [...published].filter(([, workspace]) => changed.some((file) => shipsIn(file, workspace) || file === reportPath(workspace)));
  const gone = [...before.values()].filter((entry) => !published.has(entry.name));
  const verdicts = [
    ...(await Promise.all(touched.map(([name, workspace]) => judge(context, comparison, name, workspace)))),
    ...removed(comparison, gone, present),
  ];
  const problems = [
    ...changesets.flatMap((changeset) => changeset.problems),
    ...unreleasable(changesets, files, new Set(published.keys()), new Set(gone.map((entry) => entry.name)), present),
    ...verdicts.flatMap((verdict) => verdict.problems),
  ];
  const figures = { compared: true, changed: verdicts.length, changesets: files.length, problems: problems.length };
  const names = verdicts.map((verdict) => verdict.name).join(', ') || 'none';
  if (problems.length > 0) return { status: 'failed', summary: `${problems.length} package(s) need a changeset fix`, figures, details: problems };
  const notes = verdicts.flatMap((verdict) => verdict.notes ?? []);
  return { status: 'passed', summary: `${verdicts.length} changed package(s) covered by ${files.length} changeset(s)`, figures, details: [`base ${base.ref} (${base.sha.slice(0, 12)}); changed: ${names}`, ...notes] };
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
  return compare(context, base);
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
  run: (context) => Promise.resolve().then(() => {
    refuseArguments('changeset', context.argv);
    return checkChangesets(context, process.env).catch((error: unknown) => ({ status: 'failed' as const, summary: 'cannot compare with the base', details: [messageOf(error)] }));
  }),
};
