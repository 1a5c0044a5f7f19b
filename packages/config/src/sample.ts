import { randomUUID } from 'node:crypto';
import { expectedOf } from './coerce.ts';
import { ConfigError } from './errors.ts';
import type { EnvNaming } from './feeders/env-names.ts';
import { envName } from './feeders/env-names.ts';
import type { FieldSpec, Shape } from './field.ts';
import type { LeafNode, ObjectNode, PlanNode } from './plan.ts';
import { compile, mayBeAbsent } from './plan.ts';
import type { Schema } from './schema.ts';
import { formatDuration, formatSize } from './units.ts';

/** Sample file formats. */
export type SampleFormat = 'yaml' | 'json' | 'env';

/** Options of {@link generateSample}; env naming applies to the `env` format. */
export type SampleOptions = EnvNaming;

interface Entry {
  readonly leaf: LeafNode;
  /** Written as a live value; otherwise commented out (optional, secret default, optional parent). */
  readonly active: boolean;
  readonly value: unknown;
  readonly notes: string;
}

function placeholder(spec: FieldSpec): unknown {
  switch (spec.kind) {
    case 'number':
    case 'integer':
    case 'port':
      return 0;
    case 'boolean':
      return false;
    case 'enum':
      // defineSchema refuses an enum without values.
      return (spec.values as readonly string[])[0];
    case 'duration':
      return '0ms';
    case 'size':
      return '0b';
    case 'url':
      return 'https://example.com';
    case 'array':
      return [];
    default:
      return '';
  }
}

/**
 * JSON text of a sample value (JSON is also YAML's flow syntax). JSON.stringify
 * writes -0 as `0`, which loads back as a different default; JSON.parse, YAML
 * and the feeders' number coercion all read `-0` back as -0. The stand-in
 * string is unique per call, so no real string default can be mistaken for it.
 */
function jsonText(value: unknown, indent?: number): string {
  const negativeZero = `-0:${randomUUID()}`;
  const text = JSON.stringify(value, (_key, item: unknown) => (Object.is(item, -0) ? negativeZero : item), indent);
  return text.replaceAll(`"${negativeZero}"`, '-0');
}

function human(spec: FieldSpec, value: unknown): unknown {
  // Only defaults get here, and defineSchema checked them: a duration or size default is a number.
  if (spec.kind === 'duration') return formatDuration(value as number);
  if (spec.kind === 'size') return formatSize(value as number);
  return value;
}

function entryOf(leaf: LeafNode, underOptional: boolean): Entry {
  const notes = [`type: ${expectedOf(leaf.spec)}`];
  if (leaf.hasDefault) notes.push(leaf.redacted ? 'default: [redacted]' : `default: ${jsonText(human(leaf.spec, leaf.defaultValue))}`);
  else if (!leaf.spec.optional) notes.push('REQUIRED: replace the placeholder');
  else notes.push('optional');
  if (leaf.redacted) notes.push('secret');
  if (leaf.dynamic) notes.push('dynamic');
  const active = !underOptional && (leaf.hasDefault ? !leaf.redacted : !leaf.spec.optional);
  const value = leaf.hasDefault && !leaf.redacted ? human(leaf.spec, leaf.defaultValue) : placeholder(leaf.spec);
  return { leaf, active, value, notes: notes.join(' · ') };
}

function walk(node: ObjectNode, underOptional: boolean, visit: (node: PlanNode, entry: Entry | undefined, depth: number) => void, depth = 0): void {
  for (const child of node.children) {
    if (child.type === 'leaf') visit(child, entryOf(child, underOptional), depth);
    else {
      visit(child, undefined, depth);
      // A defaulted optional section is present with its defaults, so its lines are live like any default's.
      walk(child, underOptional || mayBeAbsent(child), visit, depth + 1);
    }
  }
}

/**
 * `# `-prefixed comment lines for a text that may span lines: a description's second
 * line written bare would be read back as live YAML or a .env assignment. Splits on
 * every line break YAML 1.1/1.2 or dotenv might honour, not only `\n`.
 */
function commentLines(text: string, indent = ''): string[] {
  return text.split(/\r\n|[\n\r\u0085\u2028\u2029]/).map((line) => `${indent}# ${line}`);
}

function comments(spec: FieldSpec, notes: string, indent: string): string[] {
  const lines = spec.description === undefined ? [] : commentLines(spec.description, indent);
  return notes === '' ? lines : [...lines, `${indent}# ${notes}`];
}

function yamlSample(root: ObjectNode): string {
  const lines: string[] = [];
  walk(root, false, (node, entry, depth) => {
    const indent = '  '.repeat(depth);
    const key = node.path[node.path.length - 1] as string;
    if (entry === undefined) {
      lines.push(...comments(node.spec, mayBeAbsent(node as ObjectNode) ? 'optional section' : '', indent), `${indent}${key}:`);
      return;
    }
    lines.push(...comments(node.spec, entry.notes, indent), `${indent}${entry.active ? '' : '# '}${key}: ${jsonText(entry.value)}`);
  });
  return `${lines.join('\n')}\n`;
}

function jsonSample(root: ObjectNode): string {
  const out: Record<string, unknown> = {};
  const objects = new Map<string, Record<string, unknown>>([['', out]]);
  walk(root, false, (node, entry) => {
    const parent = objects.get(node.path.slice(0, -1).join('.')) as Record<string, unknown>;
    const key = node.path[node.path.length - 1] as string;
    // JSON cannot comment a section out, and `"tls": {}` makes it present (its required fields then
    // missing): an optional section goes under `#tls`, a key no field reads, renamed by hand to enable it.
    const section = entry === undefined && mayBeAbsent(node as ObjectNode);
    // JSON has no comments: descriptions go into a "$comment" map that the loader ignores.
    const notes = entry === undefined ? [section ? `optional section: rename "#${key}" to "${key}" to enable it` : ''] : [entry.notes];
    const note = [node.spec.description, ...notes].filter(Boolean).join(' — ');
    if (note !== '') ((parent.$comment ??= {}) as Record<string, string>)[key] = note;
    if (entry === undefined) {
      const child: Record<string, unknown> = {};
      objects.set(node.key, child);
      parent[section ? `#${key}` : key] = child;
    } else if (entry.active) parent[key] = entry.value;
  });
  return `${jsonText(out, 2)}\n`;
}

/**
 * dotenv's quoting, which the .env feeder reads back: single and backtick quotes
 * are taken literally, double quotes turn `\n`/`\r` into line breaks, and no
 * quote character can be escaped inside its own quotes; CR is folded into LF
 * before parsing. So a value is written in the first quoting that holds it
 * verbatim, or `undefined` when none does.
 */
function envValue(value: unknown): string | undefined {
  const text = typeof value === 'string' ? value : jsonText(value);
  if (/^[\w.:/@+-]*$/.test(text)) return text;
  if (text.includes('\r')) return undefined;
  if (!text.includes("'")) return `'${text}'`;
  if (!text.includes('"') && !text.includes('\\')) return `"${text}"`;
  if (!text.includes('`')) return `\`${text}\``;
  return undefined;
}

function envSample(root: ObjectNode, naming: EnvNaming): string {
  const lines: string[] = [];
  walk(root, false, (node, entry) => {
    if (entry === undefined) return;
    lines.push(...commentLines(`${node.key}${node.spec.description === undefined ? '' : ` — ${node.spec.description}`}`), `# ${entry.notes}`);
    const name = envName(node.path, naming);
    const value = envValue(entry.value);
    if (value === undefined) {
      // Only a default can hold arbitrary text (placeholders are plain), and an
      // unset variable yields that default, so leaving the line out loses nothing.
      lines.push('# (the default cannot be written in .env quoting; it applies while this stays unset)', `# ${name}=`, '');
    } else if (!entry.active && value.includes('\n')) {
      // A commented-out line cannot carry a multi-line value: its later lines would be read as assignments.
      lines.push(`# ${name}=`, '');
    } else lines.push(`${entry.active ? '' : '# '}${name}=${value}`, '');
  });
  return lines.join('\n');
}

/**
 * A documented sample configuration (descriptions, types, defaults, secret and
 * dynamic markers) in YAML, JSON or .env form. Loading it back yields the
 * defaults; required fields get a type-valid placeholder to replace.
 * @example
 * writeFileSync('config.sample.yaml', generateSample(schema, 'yaml'));
 * writeFileSync('.env.sample', generateSample(schema, 'env', { prefix: 'APP_' }));
 */
export function generateSample<Sh extends Shape>(schema: Schema<Sh>, format: SampleFormat, options: SampleOptions = {}): string {
  const plan = compile(schema.root.spec);
  if (format === 'yaml') return yamlSample(plan.root);
  if (format === 'json') return jsonSample(plan.root);
  if (format === 'env') return envSample(plan.root, options);
  throw new ConfigError('CONFIG_ERR_SAMPLE_FORMAT', { message: `unknown sample format "${String(format)}" (use yaml, json or env)`, details: { format: String(format) } });
}
