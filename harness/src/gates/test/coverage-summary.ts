/**
 * Reads coverage/coverage-summary.json (istanbul json-summary) into the
 * figures the test gate reports: global percentages and the four metrics of
 * each workspace, plus the workspaces under their floor.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { findBreaches } from '../../coverage-floor/breaches.ts';
import type { FloorBreach } from '../../coverage-floor/breaches.ts';
import { METRICS, percents, sumCounts } from '../../coverage-floor/metrics.ts';
import type { CoverageCounts, CoveragePercents } from '../../coverage-floor/metrics.ts';
import type { WorkspaceFloor } from '../../coverage-floor/thresholds.ts';

export interface CoverageFigures {
  total: CoveragePercents;
  workspaces: Record<string, CoveragePercents>;
  breaches: FloorBreach[];
}

type SummaryJson = Record<string, Partial<Record<string, { total?: number; covered?: number }>>>;

/**
 * Undefined when the summary file is missing or unreadable.
 * @example
 * readCoverage('/repo', floors)?.workspaces.vault?.lines; // 100
 */
export function readCoverage(root: string, file: string, floors: readonly WorkspaceFloor[]): CoverageFigures | undefined {
  if (!existsSync(file)) return undefined;
  let data: SummaryJson;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as SummaryJson;
  } catch {
    // Unreadable summary: report coverage as unknown rather than guess.
    return undefined;
  }
  const files = new Map<string, CoverageCounts>();
  for (const [path, entry] of Object.entries(data)) {
    if (path !== 'total') files.set(relative(root, path).split(sep).join('/'), countsOf(entry));
  }
  const workspaces: Record<string, CoveragePercents> = {};
  for (const ws of floors) {
    const own = [...files].filter(([path]) => path.startsWith(`${ws.dir}/src/`)).map(([, counts]) => counts);
    if (own.length > 0) workspaces[ws.name] = percents(sumCounts(own));
  }
  return { total: percents(sumCounts(files.values())), workspaces, breaches: findBreaches(files, floors) };
}

/**
 * Flat figures for reports/harness.json: `coverage.lines`, `coverage.vault.branches`, ...
 * @example
 * coverageFigures(figures)['coverage.vault.lines']; // 100
 */
export function coverageFigures(figures: CoverageFigures): Record<string, number> {
  const flat: Record<string, number> = {};
  for (const metric of METRICS) flat[`coverage.${metric}`] = figures.total[metric];
  for (const [name, pct] of Object.entries(figures.workspaces)) {
    for (const metric of METRICS) flat[`coverage.${name}.${metric}`] = pct[metric];
  }
  return flat;
}

function countsOf(entry: SummaryJson[string]): CoverageCounts {
  const pick = (metric: string) => ({ total: entry[metric]?.total ?? 0, covered: entry[metric]?.covered ?? 0 });
  return { lines: pick('lines'), branches: pick('branches'), functions: pick('functions'), statements: pick('statements') };
}
