import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateContext } from '../../../test/contracts/gate-context.ts';
import { apiGate } from './index.ts';
import { publicWorkspaces } from './reports.ts';
import { reportDelta } from './extractor.ts';

const REPO = join(import.meta.dirname, '../../../..');
const update = apiGate.commands?.['api:update'];

/**
 * A scratch monorepo inside the repository's git-ignored `.rampart/`, so that
 * `@types/node` resolves from the real node_modules, with the real base config.
 */
function monorepo(): { root: string; [Symbol.dispose](): void } {
  mkdirSync(join(REPO, '.rampart'), { recursive: true });
  const root = mkdtempSync(join(REPO, '.rampart/api-gate-'));
  cpSync(join(REPO, 'api-extractor.json'), join(root, 'api-extractor.json'));
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'scratch', private: true, workspaces: ['packages/*', 'tools/private'] }),
    'packages/greet/package.json': JSON.stringify({ name: '@rampart/greet', version: '1.0.0' }),
    'packages/greet/dist/index.d.ts': '/** Greets. */\nexport declare function greet(name: string): string;\nexport interface Options {\n    loud?: boolean;\n}\n',
    'tools/private/package.json': JSON.stringify({ name: '@rampart/private-tool', private: true }),
    'tools/private/dist/index.d.ts': 'export declare const hidden: number;\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { root, [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }) };
}

// API Extractor builds a TypeScript program (lib + @types/node) per run: seconds each.
describe('api gate', { timeout: 90_000 }, () => {
  it('writes a report for each public workspace only, passes, then fails naming the package and the changed signature on drift', async () => {
    using repo = monorepo();
    const context = gateContext(repo.root);
    expect(await update?.(context)).toBe(0);
    expect(context.lines).toEqual(['updated: contracts/api/greet.api.md']);
    const report = readFileSync(join(repo.root, 'contracts/api/greet.api.md'), 'utf8');
    expect(report).toContain('## API Report File for "@rampart/greet"');
    expect(report).toContain('export function greet(name: string): string;');
    const result = await apiGate.run(gateContext(repo.root, true));
    expect(result).toEqual({
      status: 'passed',
      summary: '1 API reports up to date',
      figures: { packages: 1, changed: 0, unbuilt: 0 },
      details: ['contracts/api/greet.api.md'],
    });
    // Drift: the code changes a signature without its report being updated.
    const dts = join(repo.root, 'packages/greet/dist/index.d.ts');
    writeFileSync(dts, readFileSync(dts, 'utf8').replace('greet(name: string)', 'greet(name: string, loud: boolean)'));
    const drifted = await apiGate.run(gateContext(repo.root));
    expect(drifted.status).toBe('failed');
    expect(drifted.summary).toBe('report out of date: greet');
    expect(drifted.details).toEqual([
      'greet: contracts/api/greet.api.md differs from the public API the code exports; run npm run api:update and commit it',
      '    - export function greet(name: string): string;',
      '    + export function greet(name: string, loud: boolean): string;',
    ]);
  });

  it('fails on a missing report, an unbuilt workspace and an orphan report', async () => {
    using repo = monorepo();
    mkdirSync(join(repo.root, 'packages/unbuilt'));
    writeFileSync(join(repo.root, 'packages/unbuilt/package.json'), JSON.stringify({ name: '@rampart/unbuilt' }));
    mkdirSync(join(repo.root, 'contracts/api'), { recursive: true });
    writeFileSync(join(repo.root, 'contracts/api/gone.api.md'), 'old\n');
    const result = await apiGate.run(gateContext(repo.root));
    expect(result.status).toBe('failed');
    expect(result.figures).toEqual({ packages: 1, changed: 1, unbuilt: 1 });
    expect(result.details?.filter((line) => !line.startsWith('    '))).toEqual([
      'unbuilt: packages/unbuilt/dist/index.d.ts not found; run npm run build first',
      'greet: contracts/api/greet.api.md is missing; run npm run api:update and commit it',
      'contracts/api/gone.api.md: no public workspace produces this report any more; delete it',
    ]);
    const context = gateContext(repo.root);
    expect(await update?.(context)).toBe(1);
    expect(context.lines).toEqual(['updated: contracts/api/greet.api.md', '✗ unbuilt: packages/unbuilt/dist/index.d.ts not found; run npm run build first']);
  });

  it('names the package of an orphan report: moved to another directory, deleted (npm deprecate), or private now (a major changeset)', async () => {
    using repo = monorepo();
    expect(await update?.(gateContext(repo.root))).toBe(0);
    const header = (name: string) => `## API Report File for "${name}"\r\n\r\n\`\`\`ts\r\nexport declare const x: 1;\r\n\`\`\`\r\n`;
    writeFileSync(join(repo.root, 'contracts/api/hello.api.md'), header('@rampart/greet'));
    writeFileSync(join(repo.root, 'contracts/api/dropped.api.md'), header('@rampart/dropped'));
    writeFileSync(join(repo.root, 'contracts/api/private.api.md'), header('@rampart/private-tool'));
    const result = await apiGate.run(gateContext(repo.root));
    expect(result.status).toBe('failed');
    expect(result.details).toEqual([
      'contracts/api/dropped.api.md: @rampart/dropped is no longer a workspace; delete this report and announce the removal with npm deprecate @rampart/dropped (no changeset can version a deleted package)',
      'contracts/api/hello.api.md: @rampart/greet now has its report at contracts/api/greet.api.md (its workspace moved to packages/greet); delete this one',
      'contracts/api/private.api.md: @rampart/private-tool is private now; delete this report, with a major changeset naming @rampart/private-tool',
    ]);
  });

  it('fails with the reason when API Extractor cannot run, and reports an entry that does not compile', async () => {
    using repo = monorepo();
    writeFileSync(join(repo.root, 'packages/greet/dist/index.d.ts'), 'export declare function greet(: string;\n');
    const broken = await apiGate.run(gateContext(repo.root));
    expect(broken.status).toBe('failed');
    expect(broken.details?.some((line) => line.startsWith('greet: '))).toBe(true);
    rmSync(join(repo.root, 'api-extractor.json'));
    const result = await apiGate.run(gateContext(repo.root));
    expect(result.status).toBe('failed');
    expect(result.summary).toBe('API Extractor could not run');
    expect(result.details?.[0]).toContain('api-extractor.json');
  });

  it('passes with nothing to report when no workspace is public', async () => {
    using repo = monorepo();
    rmSync(join(repo.root, 'packages'), { recursive: true });
    const result = await apiGate.run(gateContext(repo.root));
    expect(result).toEqual({ status: 'passed', summary: '0 API reports up to date', figures: { packages: 0, changed: 0, unbuilt: 0 }, details: [] });
  });

  it('lists public workspaces of this repository, never the private ones', () => {
    const names = publicWorkspaces(REPO).map((workspace) => workspace.name);
    expect(names).toContain('harness');
    expect(names).toContain('mocks');
    expect(names).not.toContain('fixtures');
    expect(names).not.toContain('example-hello');
  });

  it('shows removed then added lines, ignoring blank lines, up to a limit', () => {
    expect(reportDelta('a\nb\n\nc', 'a\nc\nd\n')).toEqual(['- b', '+ d']);
    expect(reportDelta('', Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n'), 3)).toEqual(['+ l0', '+ l1', '+ l2']);
  });
});
