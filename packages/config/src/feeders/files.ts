import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import dotenv from 'dotenv';
import { parse as parseYaml, YAMLParseError } from 'yaml';
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
    return await readFile(path, 'utf8');
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

function parseYamlText(text: string, path: string): unknown {
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    // Stryker disable next-line OptionalChaining: parse() keeps prettyErrors on, which always sets linePos on a YAMLParseError
    const pos = error instanceof YAMLParseError ? error.linePos?.[0] : undefined;
    throw parseError(path, 'YAML', pos === undefined ? '' : ` (line ${pos.line}, column ${pos.col})`);
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
      return { values: subTree(text.trim() === '' ? {} : parse(text, path), options.at) };
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
