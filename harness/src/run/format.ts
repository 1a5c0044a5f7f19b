/**
 * Small text helpers for the summary table and progress lines.
 */

/**
 * `850ms`, `3.2s`, `2m 05s`.
 * @example
 * formatDuration(125_000); // '2m 05s'
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/**
 * Left-aligned columns separated by two spaces; widths ignore ANSI colours.
 * @example
 * table([['Gate', 'Status'], ['lint', 'passed']]); // ['Gate  Status', 'lint  passed']
 */
export function table(rows: readonly (readonly string[])[]): string[] {
  const width = (column: number) => Math.max(...rows.map((row) => (column < row.length ? visibleLength(String(row[column])) : 0)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(width(i) - visibleLength(cell))))
      .join('  ')
      .trimEnd(),
  );
}

// eslint-disable-next-line no-control-regex -- matching ANSI colour escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}
