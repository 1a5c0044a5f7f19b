/**
 * Finds and reads every contract file under `contracts/`, and counts what the
 * gate reports: locked and new tests, per package and per level.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ContractFile, ContractTest } from './extract.ts';
import { extractContractFile } from './extract.ts';
import { workspacePackages } from '../api/reports.ts';

export const CONTRACT_SUFFIX = '.contract.test.ts';

/** Every `contracts/**\/*.contract.test.ts`, as sorted repository-relative paths. */
export function findContractFiles(root: string): string[] {
  const dir = join(root, 'contracts');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(CONTRACT_SUFFIX))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((file) => !file.includes('/node_modules/'))
    .sort();
}

export function scanContracts(root: string): ContractFile[] {
  const privatePackages = privateWorkspaces(root);
  return findContractFiles(root).map((file) => extractContractFile(file, readFileSync(join(root, file), 'utf8'), { privatePackages }));
}

/** Package names of the workspaces marked `private: true` (none outside a workspace root). */
function privateWorkspaces(root: string): Set<string> {
  if (!existsSync(join(root, 'package.json'))) return new Set();
  return new Set(workspacePackages(root).filter((entry) => entry.private).map((entry) => entry.name));
}

export interface ContractCounts {
  locked: number;
  fresh: number;
  /** `harness` → `{ l1: 6, l2: 8 }` over every test on disk. */
  perPackage: Record<string, { l1: number; l2: number }>;
  perLevel: { l1: number; l2: number };
}

export function countTests(present: readonly ContractTest[], fresh: readonly ContractTest[]): ContractCounts {
  const perPackage: Record<string, { l1: number; l2: number }> = {};
  const perLevel = { l1: 0, l2: 0 };
  for (const test of [...present, ...fresh]) {
    const counts = (perPackage[test.package] ??= { l1: 0, l2: 0 });
    counts[test.level] += 1;
    perLevel[test.level] += 1;
  }
  return { locked: present.length, fresh: fresh.length, perPackage, perLevel };
}

/** Human lines for the counts: totals, then one line per package. */
export function formatCounts(counts: ContractCounts): string[] {
  const lines = [`${counts.locked} locked, ${counts.fresh} new; L1 ${counts.perLevel.l1}, L2 ${counts.perLevel.l2}`];
  for (const [name, { l1, l2 }] of Object.entries(counts.perPackage).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${name}: L1 ${l1}, L2 ${l2}`);
  }
  return lines;
}
