/**
 * PERFORMANCE.md and its chart are generated from the baselines; the gate
 * regenerates both in memory and fails when the committed files differ.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BaselineFile } from '../../bench/baseline.ts';
import { renderChartSvg } from '../../bench/chart-svg.ts';
import { renderPerformanceMarkdown } from '../../bench/performance-md.ts';

export const PERFORMANCE_MD = 'PERFORMANCE.md';
export const CHART_SVG = 'benchmarks/performance.svg';
export const BASELINE_DIR = 'benchmarks/baselines';

function expected(files: readonly BaselineFile[]): Array<[string, string]> {
  return [[PERFORMANCE_MD, renderPerformanceMarkdown(files, CHART_SVG)], [CHART_SVG, renderChartSvg(files)]];
}

/**
 * Files that are missing or differ from what `--update` would write.
 * @example
 * generatedDrift(root, baselines); // ['PERFORMANCE.md differs from the baselines: run npm run bench -- --update']
 */
export function generatedDrift(root: string, files: readonly BaselineFile[]): string[] {
  return expected(files).flatMap(([path, content]) => {
    const full = join(root, path);
    if (!existsSync(full)) return [`${path} is missing: run npm run bench -- --update`];
    return readFileSync(full, 'utf8') === content ? [] : [`${path} differs from the baselines (generated files are never hand-edited): run npm run bench -- --update`];
  });
}

/** Writes PERFORMANCE.md and the chart; returns the paths written. */
export function writeGenerated(root: string, files: readonly BaselineFile[]): string[] {
  return expected(files).map(([path, content]) => {
    writeFileSync(join(root, path), content);
    return path;
  });
}
