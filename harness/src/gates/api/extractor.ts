/**
 * Runs API Extractor on one workspace's built entry (`dist/index.d.ts`) with the
 * repository's base config (`api-extractor.json`), writing or checking the
 * committed report `contracts/api/<short name>.api.md`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompilerState, Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';
import type { ExtractorMessage } from '@microsoft/api-extractor';
import type { Workspace } from '../../workspaces.ts';
import { REPORT_DIR, reportPath } from './reports.ts';

/** API Extractor writes the report it expects here; git-ignored via `.rampart/`. */
export const TEMP_DIR = '.rampart/api-extractor';

export interface ApiRun {
  workspace: Workspace;
  /** True when the report on disk differs from what the code produces (or is missing). */
  changed: boolean;
  /** Errors API Extractor reported (a broken entry, a compiler error), one line each. */
  messages: string[];
  errors: number;
  /** Repository-relative report path, `contracts/api/<name>.api.md`. */
  report: string;
  /** Absolute path of the freshly produced report. */
  produced: string;
}

function prepare(root: string, workspace: Workspace): ExtractorConfig {
  const base = ExtractorConfig.loadFile(join(root, 'api-extractor.json'));
  const projectFolder = join(root, workspace.dir);
  return ExtractorConfig.prepare({
    configObject: {
      ...base,
      projectFolder,
      mainEntryPointFilePath: join(projectFolder, 'dist/index.d.ts'),
      apiReport: {
        ...base.apiReport,
        enabled: true,
        reportFileName: `${workspace.name}.api.md`,
        reportFolder: join(root, REPORT_DIR),
        reportTempFolder: join(root, TEMP_DIR),
      },
    },
    configObjectFullPath: join(root, 'api-extractor.json'),
    packageJsonFullPath: join(projectFolder, 'package.json'),
  });
}

/**
 * Checks (or with `update`, rewrites) one workspace's API report.
 * @example
 * const run = extractApi('/repo', { name: 'vault', dir: 'packages/vault' }, false);
 * if (run.changed) console.log(`${run.report} is out of date`);
 */
export function extractApi(root: string, workspace: Workspace, update: boolean, compilerState?: CompilerState): ApiRun {
  const config = prepare(root, workspace);
  if (update) mkdirSync(join(root, REPORT_DIR), { recursive: true });
  const messages: string[] = [];
  const result = Extractor.invoke(config, {
    localBuild: update,
    compilerState,
    messageCallback: (message: ExtractorMessage) => {
      // Our own lines go to the gate result; API Extractor must not print on its own.
      message.handled = true;
      if (message.logLevel === ExtractorLogLevel.Error) messages.push(`${workspace.name}: ${message.formatMessageWithLocation(root)}`);
    },
  });
  return {
    workspace,
    changed: result.apiReportChanged,
    messages,
    errors: result.errorCount,
    report: reportPath(workspace),
    produced: join(root, TEMP_DIR, `${workspace.name}.api.md`),
  };
}

/**
 * Runs every workspace through one shared TypeScript program: building it is
 * most of API Extractor's cost, and all entries resolve the same dependencies.
 * @example
 * const runs = extractAll('/repo', [{ name: 'vault', dir: 'packages/vault' }], false);
 */
export function extractAll(root: string, list: readonly Workspace[], update: boolean): ApiRun[] {
  if (list.length === 0) return [];
  const configs = list.map((workspace) => prepare(root, workspace));
  const compilerState = CompilerState.create(configs[0] as ExtractorConfig, {
    additionalEntryPoints: configs.map((config) => config.mainEntryPointFilePath),
  });
  return list.map((workspace) => extractApi(root, workspace, update, compilerState));
}

/** Lines only in the expected report (`+`) or only in the one on disk (`-`), at most `limit`. */
export function reportDelta(onDisk: string, produced: string, limit = 12): string[] {
  const before = onDisk.split('\n');
  const after = produced.split('\n');
  const removed = before.filter((line) => line.trim() !== '' && !after.includes(line)).map((line) => `- ${line}`);
  const added = after.filter((line) => line.trim() !== '' && !before.includes(line)).map((line) => `+ ${line}`);
  return [...removed, ...added].slice(0, limit);
}

export function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
