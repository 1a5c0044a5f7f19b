/**
 * Finds the workspaces whose `src/` falls below their coverage floor and,
 * inside each, the files that pull it down. vitest only prints the glob that
 * failed; this names the package and the files a developer has to test.
 */
import { METRICS, formatPercents, percents, sumCounts } from './metrics.ts';
import type { CoverageCounts, CoveragePercents } from './metrics.ts';
import type { WorkspaceFloor } from './thresholds.ts';

export interface FileBelowFloor {
  /** Path relative to the project root, `/`-separated. */
  file: string;
  pct: CoveragePercents;
}

export interface FloorBreach {
  workspace: string;
  dir: string;
  floor: number;
  /** The workspace's aggregate percentages. */
  pct: CoveragePercents;
  /** Files with at least one metric under the floor, worst lines first. */
  files: FileBelowFloor[];
}

/**
 * @param files coverage per file, keyed by path relative to the project root
 * @example
 * findBreaches(new Map([['packages/core/src/a.ts', counts]]), [{ name: 'core', dir: 'packages/core', floor: 95 }]);
 */
export function findBreaches(
  files: ReadonlyMap<string, CoverageCounts>,
  floors: readonly WorkspaceFloor[],
): FloorBreach[] {
  const breaches: FloorBreach[] = [];
  for (const ws of floors) {
    const prefix = `${ws.dir}/src/`;
    const own = [...files].filter(([file]) => file.startsWith(prefix));
    const pct = percents(sumCounts(own.map(([, counts]) => counts)));
    if (!below(pct, ws.floor)) continue;
    const under = own
      .map(([file, counts]) => ({ file, pct: percents(counts) }))
      .filter((entry) => below(entry.pct, ws.floor))
      .sort((a, b) => a.pct.lines - b.pct.lines || a.file.localeCompare(b.file));
    breaches.push({ workspace: ws.name, dir: ws.dir, floor: ws.floor, pct, files: under });
  }
  return breaches;
}

/**
 * Human lines, one header per workspace and one indented line per file.
 * @example
 * formatBreaches(breaches).join('\n');
 * // Coverage floor missed by workspace "core" (packages/core/src, floor 95%): lines 93.75%, ...
 * //   packages/core/src/a.ts: lines 87.5%, ...
 */
export function formatBreaches(breaches: readonly FloorBreach[]): string[] {
  return breaches.flatMap((b) => [
    `Coverage floor missed by workspace "${b.workspace}" (${b.dir}/src, floor ${b.floor}%): ${formatPercents(b.pct)}`,
    ...b.files.map((f) => `  ${f.file}: ${formatPercents(f.pct)}`),
  ]);
}

function below(pct: CoveragePercents, floor: number): boolean {
  return METRICS.some((metric) => pct[metric] < floor);
}
