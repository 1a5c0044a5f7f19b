/**
 * A hand-rolled SVG bar chart of the baselines: one bar per task (and a thin
 * grey bar per peer), log-scaled because tasks span nanoseconds to
 * milliseconds. Deterministic output, so the drift check can compare bytes.
 * Time only: a `unit: 'bytes'` task has no place on a time axis and is left
 * out (PERFORMANCE.md lists it).
 */
import type { BaselineFile } from './baseline.ts';
import { byCodeUnit, formatNs } from './format.ts';

interface Row { label: string; ns: number; kind: 'task' | 'peer' | 'heading' }

const WIDTH = 960;
const LEFT = 330;
const RIGHT = 110;
const ROW = 20;
const TOP = 40;

function rowsOf(files: readonly BaselineFile[]): Row[] {
  return [...files].sort((a, b) => byCodeUnit(a.package, b.package)).flatMap((file) => [
    { label: file.package, ns: Number.NaN, kind: 'heading' as const },
    ...Object.entries(file.tasks).filter(([, t]) => t.unit !== 'bytes').sort(([a], [b]) => byCodeUnit(a, b)).flatMap(([name, t]) => [
      { label: name, ns: t.median, kind: 'task' as const },
      ...Object.entries(t.peers ?? {}).map(([peer, p]) => ({ label: `vs ${peer}`, ns: p.median, kind: 'peer' as const })),
    ]),
  ]);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function decades(rows: readonly Row[]): { lo: number; hi: number } {
  const values = rows.filter((r) => r.kind !== 'heading' && r.ns > 0).map((r) => Math.log10(r.ns));
  if (values.length === 0) return { lo: 0, hi: 1 };
  const lo = Math.floor(Math.min(...values));
  return { lo, hi: Math.max(lo + 1, Math.ceil(Math.max(...values))) };
}

function grid(lo: number, hi: number, x: (log: number) => number, height: number): string[] {
  const lines: string[] = [];
  for (let d = lo; d <= hi; d++) {
    const px = x(d).toFixed(1);
    lines.push(`<line x1="${px}" y1="${TOP - 8}" x2="${px}" y2="${height - 10}" stroke="#ddd"/>`);
    lines.push(`<text x="${px}" y="${TOP - 14}" text-anchor="middle" fill="#666">${escapeXml(formatNs(10 ** d))}</text>`);
  }
  return lines;
}

function bar(row: Row, y: number, x: (log: number) => number): string[] {
  if (row.kind === 'heading') {
    return [`<text x="8" y="${y + 14}" font-weight="bold">${escapeXml(row.label)}</text>`];
  }
  const end = row.ns > 0 ? x(Math.log10(row.ns)) : LEFT;
  const peer = row.kind === 'peer';
  const [h, dy, fill] = peer ? [8, 6, '#b0b0b0'] : [14, 3, '#3b6ea8'];
  return [
    `<text x="${LEFT - 8}" y="${y + 14}" text-anchor="end"${peer ? ' fill="#777"' : ''}>${escapeXml(row.label)}</text>`,
    `<rect x="${LEFT}" y="${y + dy}" width="${Math.max(1, end - LEFT).toFixed(1)}" height="${h}" fill="${fill}"/>`,
    `<text x="${(end + 6).toFixed(1)}" y="${y + 14}"${peer ? ' fill="#777"' : ''}>${escapeXml(formatNs(row.ns))}</text>`,
  ];
}

/**
 * @example
 * writeFileSync('benchmarks/performance.svg', renderChartSvg(readBaselines(dir).files));
 */
export function renderChartSvg(files: readonly BaselineFile[]): string {
  const rows = rowsOf(files);
  const height = TOP + rows.length * ROW + 20;
  const { lo, hi } = decades(rows);
  const x = (log: number): number => LEFT + ((log - lo) / (hi - lo)) * (WIDTH - LEFT - RIGHT);
  const body = [
    ...grid(lo, hi, x, height),
    ...rows.flatMap((row, i) => bar(row, TOP + i * ROW, x)),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    '<title>Median time per operation (log scale; shorter is faster; grey = peer)</title>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
