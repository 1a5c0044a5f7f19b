/**
 * An istanbul-style custom coverage reporter (vitest `coverage.reporter`
 * entry) that names each workspace under its floor and the files that pull
 * it down. vitest still owns the exit code through `coverage.thresholds`;
 * this reporter only makes the failure say where to look.
 */
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBreaches, formatBreaches } from './breaches.ts';
import type { CoverageCounts, Counter } from './metrics.ts';
import type { WorkspaceFloor } from './thresholds.ts';

/**
 * Absolute path of this module, for `coverage.reporter` (vitest imports
 * custom reporters by path).
 * @example
 * coverage: { reporter: ['text-summary', [floorReporterPath, { floors }]] }
 */
export const floorReporterPath: string = fileURLToPath(import.meta.url);

export interface FloorReporterOptions {
  floors: readonly WorkspaceFloor[];
  /** Set by vitest: the project root that file paths are made relative to. */
  projectRoot?: string;
  /** Where the lines go; standard error by default, next to vitest's threshold errors. */
  write?: (text: string) => void;
}

/** The slice of istanbul's report context and tree this reporter reads. */
export interface ReportContext {
  getTree(summarizer: 'flat'): { visit(visitor: { onDetail(node: ReportNode): void }, state: unknown): void };
}

export interface ReportNode {
  getFileCoverage(): { path: string };
  getCoverageSummary(filesOnly: boolean): Record<'lines' | 'branches' | 'functions' | 'statements', Counter>;
}

/**
 * @example
 * new FloorReporter({ floors, projectRoot: '/repo' }).execute(context);
 */
export default class FloorReporter {
  readonly #options: FloorReporterOptions;

  constructor(options: FloorReporterOptions) {
    this.#options = options;
  }

  execute(context: ReportContext): void {
    const root = this.#options.projectRoot ?? process.cwd();
    const files = new Map<string, CoverageCounts>();
    context.getTree('flat').visit(
      {
        onDetail: (node) => {
          const path = relative(root, node.getFileCoverage().path).split(sep).join('/');
          files.set(path, countsOf(node.getCoverageSummary(false)));
        },
      },
      context,
    );
    const lines = formatBreaches(findBreaches(files, this.#options.floors));
    if (lines.length === 0) return;
    const write = this.#options.write ?? ((text: string) => void process.stderr.write(text));
    write(`${lines.join('\n')}\n`);
  }
}

export { FloorReporter };

function countsOf(summary: Record<'lines' | 'branches' | 'functions' | 'statements', Counter>): CoverageCounts {
  const pick = (c: Counter): Counter => ({ total: c.total, covered: c.covered });
  return {
    lines: pick(summary.lines),
    branches: pick(summary.branches),
    functions: pick(summary.functions),
    statements: pick(summary.statements),
  };
}
