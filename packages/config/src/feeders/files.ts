import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import dotenv from 'dotenv';
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors.ts';
import type { EnvNaming } from './env-names.ts';
import { valuesFromVariables } from './env-names.ts';
import type { Feeder, FeederContext, FeederData, FeederOptions } from './feeder.ts';
import { PRIORITY } from './feeder.ts';

/** Options of the JSON and YAML file feeders. */
export interface FileFeederOptions extends FeederOptions {
  /** Take only the sub-tree at this dotted path (e.g. `tenants.acme`), for files that hold several namespaces. */
  readonly at?: string;
}

const MISSING = new Set(['ENOENT', 'ENOTDIR']);

async function readText(path: string): Promise<string | undefined> {
  try {
    // A byte order mark (Windows editors write one) is not JSON: JSON.parse refuses it. yaml and dotenv skip it.
    const text = await readFile(path, 'utf8');
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch (error) {
    if (MISSING.has((error as NodeJS.ErrnoException).code as string)) return undefined;
    throw new ConfigError('CONFIG_ERR_SOURCE_READ', { message: `cannot read ${path}`, cause: error, details: { source: path } });
  }
}

// Parser messages quote the offending text, which may be a secret: only positions are reported.
function parseError(path: string, format: string, where: string): ConfigError {
  return new ConfigError('CONFIG_ERR_PARSE', { message: `${path}: not valid ${format}${where}`, details: { source: path } });
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The SyntaxError is dropped on purpose: its message quotes file content (see parseError).
    throw parseError(path, 'JSON', '');
  }
}

/**
 * yaml's parse() hands warnings (an unknown tag such as `!vault`, an unknown
 * directive) to process.emitWarning, whose text quotes the line: a secret went
 * to stderr. A warning is refused like an error instead: a `!vault` value read
 * as its literal text would be a wrong value, loaded without a word.
 */
function parseYamlText(text: string, path: string): unknown {
  // parseDocument, unlike parse(), reports warnings only on the document. toJS() still has one warning
  // of its own, for a mapping key that is a collection (`? [hunter2]`, an unrendered `{{ token }}:`),
  // and it went to process.emitWarning quoting the key's text: logLevel 'error' keeps it off stderr.
  // Such a key becomes its text, which names no schema field: ignored like any unknown key.
  // merge: YAML 1.2 dropped `<<` merge keys, so `db: { <<: *defaults }` read as an unknown key "<<"
  // and the merged values were left out without a word (db.port fell back to its default). Configs
  // written for docker-compose or CI files use them everywhere: they are honoured, as YAML 1.1 did.
  const doc = parseDocument(text, { logLevel: 'error', merge: true });
  const error = doc.errors[0];
  const warning = doc.warnings[0];
  const problem = error ?? warning;
  if (problem !== undefined) {
    // prettyErrors, on by default, sets linePos on every error and warning of a parsed document.
    const { line, col } = (problem.linePos as NonNullable<typeof problem.linePos>)[0];
    // A warning's code (TAG_RESOLVE_FAILED, BAD_DIRECTIVE) says what to fix and quotes nothing.
    throw parseError(path, 'YAML', error === undefined ? ` (${problem.code} at line ${line}, column ${col})` : ` (line ${line}, column ${col})`);
  }
  try {
    return doc.toJS() as unknown;
  } catch {
    // An alias bomb or a self-referencing alias: toJS throws, with no position to report.
    throw parseError(path, 'YAML', '');
  }
}

function subTree(values: unknown, at: string | undefined): unknown {
  if (at === undefined) return values;
  let current = values;
  for (const key of at.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return {};
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Where each key of a sub-tree sits in the file (`port` → `acme.port` for
 * `at: 'acme'`), so provenance and errors name the key a reader finds there.
 */
function keysUnder(values: unknown, at: string, into = new Map<string, string>(), prefix = ''): Map<string, string> {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return into;
  for (const [key, value] of Object.entries(values)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    into.set(path, `${at}.${path}`);
    keysUnder(value, at, into, path);
  }
  return into;
}

function structuredFile(kind: 'json' | 'yaml', path: string, options: FileFeederOptions): Feeder {
  const parse = kind === 'json' ? parseJson : parseYamlText;
  return {
    kind,
    source: path,
    priority: options.priority ?? PRIORITY.file,
    required: options.required ?? true,
    layer: options.layer ?? 'base',
    watchPath: resolve(path),
    load: async (): Promise<FeederData | undefined> => {
      const text = await readText(path);
      if (text === undefined) return undefined;
      const values = subTree(text.trim() === '' ? {} : parse(text, path), options.at);
      return options.at === undefined ? { values } : { values, keys: keysUnder(values, options.at) };
    },
  };
}

/**
 * Reads a JSON file (required unless `required: false`).
 * @example jsonFeeder('config/app.json', { required: false })
 */
export function jsonFeeder(path: string, options: FileFeederOptions = {}): Feeder {
  return structuredFile('json', path, options);
}

/**
 * Reads a YAML file (required unless `required: false`).
 * @example yamlFeeder('config/app.yaml')
 */
export function yamlFeeder(path: string, options: FileFeederOptions = {}): Feeder {
  return structuredFile('yaml', path, options);
}

/** Options of {@link dotenvFeeder}. */
export interface DotenvFeederOptions extends EnvNaming, FeederOptions {}

/**
 * Reads a `.env` file with the same naming as {@link envFeeder}, without touching `process.env`.
 * @example dotenvFeeder('.env', { prefix: 'APP_', required: false })
 */
export function dotenvFeeder(path: string, options: DotenvFeederOptions = {}): Feeder {
  return {
    kind: 'dotenv',
    source: path,
    priority: options.priority ?? PRIORITY.file,
    required: options.required ?? true,
    layer: options.layer ?? 'base',
    watchPath: resolve(path),
    load: async (context: FeederContext): Promise<FeederData | undefined> => {
      const text = await readText(path);
      return text === undefined ? undefined : valuesFromVariables(dotenv.parse(text), context, options);
    },
  };
}

/**
 * Picks the feeder by extension: `.json`, `.yaml`/`.yml`, or `.env` (any name starting with `.env`).
 * @example fileFeeder('config/app.yaml')
 */
export function fileFeeder(path: string, options: FileFeederOptions & EnvNaming = {}): Feeder {
  const name = path.toLowerCase();
  if (name.endsWith('.json')) return jsonFeeder(path, options);
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return yamlFeeder(path, options);
  if (/(^|[\\/])\.env([.\w-]*)$/.test(name) || name.endsWith('.env')) return dotenvFeeder(path, options);
  throw new ConfigError('CONFIG_ERR_OPTIONS', { message: `cannot tell the format of ${path} (use .json, .yaml, .yml or .env)`, details: { source: path } });
}
