import { REDACTED_TEXT } from './secret.ts';

/** One source that defined a field but lost to a higher-precedence one. */
export interface ProvenanceCandidate {
  readonly feeder: string;
  readonly source: string;
  readonly key: string;
  readonly layer: string;
  readonly priority: number;
  /** The raw value that source gave; `[redacted]` for a secret field. */
  readonly value: unknown;
}

/** Where one resolved field came from. JSON-safe; secret values appear only as `[redacted]`. */
export interface ProvenanceRecord {
  /** Dotted field path. */
  readonly path: string;
  /** The resolved value (`[redacted]` for a secret field; absent when unset). */
  readonly value: unknown;
  /** The winning feeder kind (`env`, `yaml`, ...), `default` (schema default) or `unset`. */
  readonly feeder: string;
  /** File path, `process.env`, `schema`, ... */
  readonly source: string;
  /** The key as the source names it: env var name, dotted key in a file. */
  readonly key: string;
  /** `base`, `instance:<id>`, `tenant:<id>`, or `default`. */
  readonly layer: string;
  /** Priority of the winning feeder (0 for a default). */
  readonly priority: number;
  readonly secret: boolean;
  readonly dynamic: boolean;
  readonly description: string | undefined;
  /** Lower-precedence sources that also defined the field, strongest first. */
  readonly overridden: readonly ProvenanceCandidate[];
}

const MAX_TEXT = 80;

/**
 * Renders a raw value for an error or a table: `[redacted]` for secrets, JSON otherwise, truncated.
 * @example renderValue('x'.repeat(100), false) // '"xxxx…'
 */
export function renderValue(value: unknown, redacted: boolean): string {
  if (redacted) return REDACTED_TEXT;
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? `<${typeof value}>`;
  } catch {
    // BigInt or a cycle: fall back to the type name rather than fail the error path.
    text = `<${typeof value}>`;
  }
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/** A JSON-safe copy of a resolved value for provenance (secrets already render as `[redacted]`). */
export function displayValue(value: unknown, redacted: boolean): unknown {
  if (redacted) return REDACTED_TEXT;
  if (value === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    // A source may hand over a BigInt, a symbol or a function (then it loses on priority or
    // fails the field's check): provenance names the type instead of failing the load.
    return `<${typeof value}>`;
  }
}

/**
 * Formats provenance records as an aligned text table (path, value, feeder, source, key, layer).
 * @example console.log(formatProvenance(config.provenance()));
 */
export function formatProvenance(records: readonly ProvenanceRecord[]): string {
  const header = ['path', 'value', 'feeder', 'source', 'key', 'layer'];
  const rows = records.map((r) => [r.path, r.secret ? REDACTED_TEXT : renderValue(r.value, false), r.feeder, r.source, r.key, r.layer]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
