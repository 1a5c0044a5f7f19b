import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../../gate.ts';
import { gateContext } from '../../../test/contracts/gate-context.ts';
import { changesetGate, checkChangesets } from './index.ts';

const REPORT_V1 = [
  '## API Report File for "@rampart/demo"',
  '',
  '```ts',
  '',
  '// @public',
  'export function greet(name: string): string;',
  '',
  '// @public',
  'export interface Options {',
  '    loud?: boolean;',
  '}',
  '',
  '```',
  '',
].join('\n');

interface Repo {
  root: string;
  git(...args: string[]): string;
  write(path: string, text: string): void;
  [Symbol.dispose](): void;
}

/** A temp git repository: one public and one private workspace, committed on `main`. */
function repo(): Repo {
  const root = mkdtempSync(join(tmpdir(), 'rampart-changeset-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('package.json', JSON.stringify({ name: 'scratch', private: true, workspaces: ['packages/*'] }));
  write('packages/demo/package.json', JSON.stringify({ name: '@rampart/demo', version: '1.0.0' }));
  write('packages/demo/src/index.ts', 'export function greet(name: string): string {\n  return `hi ${name}`;\n}\n');
  write('packages/tool/package.json', JSON.stringify({ name: '@rampart/tool', private: true }));
  write('packages/tool/src/index.ts', 'export const tool = 1;\n');
  write('contracts/api/demo.api.md', REPORT_V1);
  write('.changeset/README.md', 'changesets\n');
  git('init', '-q', '-b', 'main');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'empty');
  git('add', '.');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'base');
  return { root, git, write, [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }) };
}

function onBranch(r: Repo): void {
  r.git('checkout', '-q', '-b', 'feature');
  r.write('packages/demo/src/index.ts', 'export function greet(name: string): string {\n  return `hello ${name}`;\n}\n');
  r.git('add', '.');
  r.git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'change greeting');
}

const NO_ENV = {};

describe('changeset gate', () => {
  it('passes with a note when HEAD is the base (CI on main)', async () => {
    using r = repo();
    expect(await checkChangesets(gateContext(r.root), NO_ENV)).toEqual({
      status: 'passed',
      summary: 'HEAD is the base (main): nothing to compare',
      figures: { compared: false },
    });
  });

  it('fails naming the package whose src changed without a changeset, then passes with one', async () => {
    using r = repo();
    onBranch(r);
    const missing = await checkChangesets(gateContext(r.root), NO_ENV);
    expect(missing.status).toBe('failed');
    expect(missing.details).toEqual(['@rampart/demo: packages/demo/src changed since main without a changeset naming it; run npx changeset']);
    r.write('.changeset/kind-words.md', '---\n"@rampart/demo": patch\n---\n\nFriendlier greeting.\n');
    const covered = await checkChangesets(gateContext(r.root), NO_ENV);
    expect(covered.status).toBe('passed');
    expect(covered.summary).toBe('1 changed package(s) covered by 1 changeset(s)');
    expect(covered.details?.[0]).toMatch(/^base main \([0-9a-f]{12}\); changed: @rampart\/demo$/);
  });

  it('requires a major changeset when the API report changes or removes a signature, naming the symbols', async () => {
    using r = repo();
    onBranch(r);
    r.write('contracts/api/demo.api.md', REPORT_V1.replace('greet(name: string)', 'greet(name: string, loud: boolean)').replace('    loud?: boolean;\n', ''));
    r.write('.changeset/louder.md', "---\n'@rampart/demo': minor\n---\n\nLoud greetings.\n");
    const minor = await checkChangesets(gateContext(r.root), NO_ENV);
    expect(minor.details).toEqual([
      '@rampart/demo: contracts/api/demo.api.md removes or changes `Options.loud`, `greet`; this breaks users, so the changeset must be major (found minor)',
    ]);
    r.write('.changeset/louder.md', '---\n"@rampart/demo": major\n---\n\nLoud greetings.\n');
    expect((await checkChangesets(gateContext(r.root), NO_ENV)).status).toBe('passed');
  });

  it('accepts an additive API change with a minor changeset', async () => {
    using r = repo();
    onBranch(r);
    r.write('contracts/api/demo.api.md', REPORT_V1.replace('    loud?: boolean;\n', '    loud?: boolean;\n    quiet?: boolean;\n'));
    r.write('.changeset/quiet.md', '---\n"@rampart/demo": minor\n---\n\nQuiet option.\n');
    expect((await checkChangesets(gateContext(r.root), NO_ENV)).status).toBe('passed');
  });

  it('fails a changeset naming a private workspace or an unknown package', async () => {
    using r = repo();
    onBranch(r);
    r.write('.changeset/mixed.md', '---\n"@rampart/demo": patch\n"@rampart/tool": patch\n"@rampart/typo": minor\n---\n\nMixed.\n');
    const result = await checkChangesets(gateContext(r.root), NO_ENV);
    expect(result.status).toBe('failed');
    expect(result.details).toEqual([
      '.changeset/mixed.md: names @rampart/tool, which is not a published workspace (private packages are not versioned, and @changesets/cli refuses a changeset mixing them with published ones)',
      '.changeset/mixed.md: names @rampart/typo, which is not a published workspace (private packages are not versioned, and @changesets/cli refuses a changeset mixing them with published ones)',
    ]);
    r.write('.changeset/mixed.md', '---\n"@rampart/demo": patch\n---\n\nMixed no more.\n');
    expect((await checkChangesets(gateContext(r.root), NO_ENV)).status).toBe('passed');
  });

  it('needs no changeset for tests, fixtures or private workspaces', async () => {
    using r = repo();
    r.git('checkout', '-q', '-b', 'feature');
    r.write('packages/demo/src/index.test.ts', 'test\n');
    r.write('packages/demo/src/__fixtures__/a.ts', 'fixture\n');
    r.write('packages/tool/src/index.ts', 'export const tool = 2;\n');
    r.git('add', '.');
    r.git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'tests only');
    const result = await checkChangesets(gateContext(r.root), NO_ENV);
    expect(result.summary).toBe('0 changed package(s) covered by 0 changeset(s)');
    expect(result.details).toEqual([expect.stringMatching(/; changed: none$/)]);
  });

  it('uses RAMPART_BASE_REF, and origin/main when it differs from HEAD', async () => {
    using r = repo();
    onBranch(r);
    r.git('update-ref', 'refs/remotes/origin/main', 'main');
    const viaOrigin = await checkChangesets(gateContext(r.root), NO_ENV);
    expect(viaOrigin.details).toEqual(['@rampart/demo: packages/demo/src changed since origin/main without a changeset naming it; run npx changeset']);
    const viaEnv = await checkChangesets(gateContext(r.root), { RAMPART_BASE_REF: 'HEAD~1' });
    expect(viaEnv.details?.[0]).toContain('changed since HEAD~1 without a changeset');
    const bad = await checkChangesets(gateContext(r.root), { RAMPART_BASE_REF: 'no-such-branch' }).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(Error);
  });

  it('reports an unreadable changeset and a bad base through the gate, never by throwing', async () => {
    using r = repo();
    onBranch(r);
    r.write('.changeset/broken.md', '---\n@rampart/demo => big\n---\n');
    r.write('.changeset/none.md', 'no front matter\n');
    const result = await checkChangesets(gateContext(r.root), NO_ENV);
    expect(result.details).toEqual([
      '.changeset/broken.md: cannot read "@rampart/demo => big" (expected "<package>": major|minor|patch)',
      '.changeset/none.md: no front matter (---) naming packages and bump types',
      '@rampart/demo: packages/demo/src changed since main without a changeset naming it; run npx changeset',
    ]);
    process.env.RAMPART_BASE_REF = 'no-such-branch';
    try {
      const gate = await changesetGate.run(gateContext(r.root));
      expect(gate).toEqual({
        status: 'failed',
        summary: 'cannot compare with the base',
        details: ['base ref "no-such-branch" has no merge-base with HEAD (is it fetched? set RAMPART_BASE_REF)'],
      });
    } finally {
      delete process.env.RAMPART_BASE_REF;
    }
  });

  it('passes with a note outside a git checkout or without a base branch', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rampart-nogit-'));
    try {
      expect((await checkChangesets(gateContext(root), NO_ENV)).summary).toBe('not a git checkout with commits: nothing to compare');
      execFileSync('git', ['init', '-q', '-b', 'trunk'], { cwd: root });
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'x'], { cwd: root });
      expect((await checkChangesets(gateContext(root), NO_ENV)).summary).toBe('no base branch (set RAMPART_BASE_REF): nothing to compare');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('changeset gate: reports and packages across the base', () => {
  const commit = (r: Repo, message: string) => {
    r.git('add', '-A');
    r.git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', message);
  };
  const BROKEN = REPORT_V1.replace('greet(name: string)', 'greet(name: string, loud: boolean)');

  it('reads a report checked out with CRLF line endings as the committed LF one, and a CRLF base report as its symbols', async () => {
    using r = repo();
    onBranch(r);
    r.write('.changeset/kind-words.md', '---\n"@rampart/demo": patch\n---\n\nFriendlier greeting.\n');
    r.write('contracts/api/demo.api.md', REPORT_V1.replaceAll('\n', '\r\n'));
    expect((await checkChangesets(gateContext(r.root), NO_ENV)).status).toBe('passed');
    // A base report committed with CRLF: a changed signature still needs a major changeset.
    commit(r, 'crlf report');
    r.git('branch', '-q', '-f', 'main', 'HEAD');
    r.write('contracts/api/demo.api.md', BROKEN.replaceAll('\n', '\r\n'));
    r.write('.changeset/loud.md', '---\n"@rampart/demo": patch\n---\n\nLoud.\n');
    commit(r, 'break greet');
    const broken = await checkChangesets(gateContext(r.root), NO_ENV);
    expect(broken.details).toEqual(['@rampart/demo: contracts/api/demo.api.md removes or changes `greet`; this breaks users, so the changeset must be major (found patch)']);
  });

  it('finds the base report of a moved workspace by its package name, so a changed signature still needs a major changeset', async () => {
    using r = repo();
    r.git('checkout', '-q', '-b', 'feature');
    r.git('mv', 'packages/demo', 'packages/greeter');
    r.git('mv', 'contracts/api/demo.api.md', 'contracts/api/greeter.api.md');
    r.write('contracts/api/greeter.api.md', BROKEN);
    r.write('.changeset/moved.md', '---\n"@rampart/demo": patch\n---\n\nMoved.\n');
    commit(r, 'move and break');
    const patch = await checkChangesets(gateContext(r.root), NO_ENV);
    expect(patch.details).toEqual([
      '@rampart/demo: contracts/api/greeter.api.md (contracts/api/demo.api.md at main) removes or changes `greet`; this breaks users, so the changeset must be major (found patch)',
    ]);
    r.write('.changeset/moved.md', '---\n"@rampart/demo": major\n---\n\nMoved.\n');
    expect((await checkChangesets(gateContext(r.root), NO_ENV)).status).toBe('passed');
  });

  it('compares a package new since the base with nothing, even where another package had its report', async () => {
    using r = repo();
    r.git('checkout', '-q', '-b', 'feature');
    r.write('packages/demo/package.json', JSON.stringify({ name: '@rampart/fresh', version: '0.1.0' }));
    r.write('contracts/api/demo.api.md', BROKEN.replace('"@rampart/demo"', '"@rampart/fresh"'));
    r.write('packages/demo/src/index.ts', 'export function greet(name: string, loud: boolean): string {\n  return loud ? name : name;\n}\n');
    r.write('.changeset/fresh.md', '---\n"@rampart/fresh": minor\n---\n\nFresh.\n');
    commit(r, 'replace demo');
    const result = await checkChangesets(gateContext(r.root), NO_ENV);
    expect(result.status).toBe('passed');
    expect(result.details).toEqual([
      expect.stringMatching(/; changed: @rampart\/fresh, @rampart\/demo$/),
      '@rampart/demo: published from packages/demo at main, no longer a workspace; no changeset can version it: announce the removal with npm deprecate @rampart/demo',
    ]);
  });

  // @changesets/cli refuses a changeset naming a package it cannot find ("not in the workspace"):
  // a deleted package is announced with npm deprecate, and its contract tests still fail the contracts gate.
  it('says how to announce a package deleted since the base, and refuses a changeset naming it', async () => {
    using r = repo();
    r.git('checkout', '-q', '-b', 'feature');
    rmSync(join(r.root, 'packages/demo'), { recursive: true });
    rmSync(join(r.root, 'contracts/api/demo.api.md'));
    commit(r, 'drop demo');
    const none = await checkChangesets(gateContext(r.root), NO_ENV);
    expect(none.status).toBe('passed');
    expect(none.details).toContain('@rampart/demo: published from packages/demo at main, no longer a workspace; no changeset can version it: announce the removal with npm deprecate @rampart/demo');
    r.write('.changeset/drop.md', '---\n"@rampart/demo": major\n---\n\nDropped.\n');
    const named = await checkChangesets(gateContext(r.root), NO_ENV);
    expect(named.status).toBe('failed');
    expect(named.details).toEqual([
      '.changeset/drop.md: names @rampart/demo, which is no longer a workspace: @changesets/cli refuses it at release ("not in the workspace"); remove it from the changeset and announce the removal with npm deprecate @rampart/demo',
    ]);
  });

  it('requires a major changeset naming a package made private, in a changeset of its own', async () => {
    using r = repo();
    r.git('checkout', '-q', '-b', 'feature');
    r.write('packages/demo/package.json', JSON.stringify({ name: '@rampart/demo', version: '1.0.0', private: true }));
    commit(r, 'demo private');
    expect((await checkChangesets(gateContext(r.root), NO_ENV)).details).toEqual([
      '@rampart/demo: published from packages/demo at main, is private now; this breaks its users, so a major changeset must name it (no changeset names it)',
    ]);
    r.write('packages/tool/package.json', JSON.stringify({ name: '@rampart/tool', version: '1.0.0' }));
    r.write('.changeset/swap.md', '---\n"@rampart/demo": major\n"@rampart/tool": minor\n---\n\nSwap.\n');
    expect((await checkChangesets(gateContext(r.root), NO_ENV)).details).toEqual([
      '.changeset/swap.md: names @rampart/demo, no longer published, together with published packages; give the removal a changeset of its own (@changesets/cli refuses a changeset mixing unversioned packages with versioned ones)',
    ]);
    r.write('.changeset/swap.md', '---\n"@rampart/tool": minor\n---\n\nSwap.\n');
    r.write('.changeset/private.md', '---\n"@rampart/demo": major\n---\n\nNo longer published.\n');
    expect((await checkChangesets(gateContext(r.root), NO_ENV)).status).toBe('passed');
  });
});

describe('changeset gate in CI (CI=true)', () => {
  const failure = (note: string) => ({
    status: 'failed',
    summary: 'no base to compare with',
    figures: { compared: false },
    details: [
      `CI=true but there is no base commit: ${note}`,
      'fetch the history (actions/checkout with fetch-depth: 0) and set RAMPART_BASE_REF to the target branch, e.g. origin/main',
    ],
  });

  it('fails when a one-commit checkout has no base branch, instead of passing every pull request', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rampart-shallow-'));
    try {
      // What a depth-1 checkout of a pull request looks like: one commit on a detached HEAD, no main.
      execFileSync('git', ['init', '-q', '-b', 'pr-merge'], { cwd: root });
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'scratch', private: true, workspaces: [] }));
      execFileSync('git', ['add', '.'], { cwd: root });
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'x'], { cwd: root });
      execFileSync('git', ['checkout', '-q', '--detach'], { cwd: root });
      expect(await checkChangesets(gateContext(root, true), NO_ENV)).toEqual(failure('no base branch (set RAMPART_BASE_REF): nothing to compare'));
      expect((await checkChangesets(gateContext(root, false), NO_ENV)).status).toBe('passed');
      // On main itself (a push to main) HEAD is the base: nothing to compare, and that is no failure.
      execFileSync('git', ['branch', '-q', 'main'], { cwd: root });
      expect(await checkChangesets(gateContext(root, true), NO_ENV)).toEqual({
        status: 'passed',
        summary: 'HEAD is the base (main): nothing to compare',
        figures: { compared: false },
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('fails outside a git checkout', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rampart-nogit-'));
    try {
      expect(await checkChangesets(gateContext(root, true), NO_ENV)).toEqual(failure('not a git checkout with commits: nothing to compare'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('changeset gate: file lists from git', () => {
  const commit = (r: Repo, message: string) => r.git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', message);

  it('sees a changed source file whose name git would quote (non-ASCII), committed or untracked', async () => {
    using r = repo();
    r.git('checkout', '-q', '-b', 'feature');
    r.write('packages/demo/src/größe.ts', 'export const size = 1;\n');
    r.git('add', '.');
    commit(r, 'add a file with a non-ASCII name');
    r.write('packages/demo/src/naïve.ts', 'export const untracked = 1;\n');
    const result = await checkChangesets(gateContext(r.root), NO_ENV);
    expect(result.status).toBe('failed');
    expect(result.details).toEqual(['@rampart/demo: packages/demo/src changed since main without a changeset naming it; run npx changeset']);
  });

  it('sees a change in a workspace declared with a leading ./ (npm accepts "./packages/*")', async () => {
    using r = repo();
    onBranch(r);
    r.write('package.json', JSON.stringify({ name: 'scratch', private: true, workspaces: ['./packages/*'] }));
    const result = await checkChangesets(gateContext(r.root), NO_ENV);
    expect(result.status).toBe('failed');
    expect(result.details).toEqual(['@rampart/demo: packages/demo/src changed since main without a changeset naming it; run npx changeset']);
  });

  it('fails instead of passing when git cannot list the changed files', async () => {
    using r = repo();
    onBranch(r);
    const context = gateContext(r.root);
    const realExec = context.exec;
    context.exec = (command, args, options): Promise<ExecResult> =>
      args[0] === 'diff' ? Promise.resolve({ code: 128, stdout: '', stderr: 'fatal: bad object' }) : realExec(command, args, options);
    const result = await changesetGate.run(context);
    expect(result.status).toBe('failed');
    expect(result.summary).toBe('cannot compare with the base');
    expect(result.details).toEqual(['git diff failed (exit 128): fatal: bad object']);
  });
});
