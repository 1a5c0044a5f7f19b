/**
 * @rampart/config hot paths on a 1000-field schema (10 sections × 100 fields,
 * mixed types): load + validate from env and a JSON file, provenance of every
 * field, explain() of every field by path (as a `config explain` listing
 * does; one explain is a single Map lookup, ~10 ns, below what tinybench can
 * time per call: it recorded 0-1 ns), and a reload that changes 10 dynamic fields. Peers load the same 1000 fields:
 * convict from the same env and file, envalid from env only (it reads no files).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import convict from 'convict';
import { bool, cleanEnv, num, port, str } from 'envalid';
import type { AnyField, Config, Shape } from '@rampart/config';
import { defineSchema, envFeeder, jsonFeeder, loadConfig, objectFeeder, t } from '@rampart/config';
import { defineBenchSuite } from '@rampart/harness';

const SECTIONS = 10;
const FIELDS = 100;
type Kind = 'integer' | 'string' | 'boolean' | 'port';
const KINDS: readonly Kind[] = ['integer', 'string', 'boolean', 'port'];

function kindOf(i: number): Kind {
  return KINDS[i % KINDS.length] as Kind;
}

function fieldOf(kind: Kind, dynamic: boolean): AnyField {
  const field = kind === 'integer' ? t.integer().default(0) : kind === 'string' ? t.string().default('') : kind === 'boolean' ? t.boolean().default(false) : t.port().default(0);
  return dynamic ? field.dynamic() : field;
}

function textOf(kind: Kind, i: number): string {
  return kind === 'integer' ? String(i * 7) : kind === 'string' ? `value-${i}` : kind === 'boolean' ? String(i % 2 === 0) : String(1000 + i);
}

// Even sections come from env, odd sections from the JSON file: half of the fields each.
const env: Record<string, string> = {};
const fileValues: Record<string, Record<string, unknown>> = {};
const shape: Record<string, AnyField> = {};
const convictSchema: Record<string, Record<string, unknown>> = {};
const envalidSpecs: Record<string, ReturnType<typeof num>> = {};
const envalidEnv: Record<string, string> = {};
for (let s = 0; s < SECTIONS; s += 1) {
  const section: Record<string, AnyField> = {};
  convictSchema[`s${s}`] = {};
  for (let f = 0; f < FIELDS; f += 1) {
    const kind = kindOf(f);
    const name = `f${f}`;
    const varName = `APP_S${s}__F${f}`;
    const text = textOf(kind, f);
    section[name] = fieldOf(kind, s === 0 && f < 10);
    if (s % 2 === 0) env[varName] = text;
    else (fileValues[`s${s}`] ??= {})[name] = kind === 'string' ? text : JSON.parse(text);
    const format = kind === 'string' ? String : kind === 'boolean' ? Boolean : kind === 'port' ? 'port' : 'int';
    (convictSchema[`s${s}`] as Record<string, unknown>)[name] = { format, default: kind === 'string' ? '' : kind === 'boolean' ? false : 0, env: varName };
    envalidSpecs[varName] = (kind === 'string' ? str({ default: '' }) : kind === 'boolean' ? bool({ default: false }) : kind === 'port' ? port({ default: 0 }) : num({ default: 0 })) as ReturnType<typeof num>;
    envalidEnv[varName] = text;
  }
  shape[`s${s}`] = t.object(section as Shape);
}
const schema = defineSchema(shape as Shape);
const file = join(mkdtempSync(join(tmpdir(), 'rampart-config-bench-')), 'app.json');
writeFileSync(file, JSON.stringify(fileValues));
const feeders = [jsonFeeder(file), envFeeder({ prefix: 'APP_', env })];
const paths = Object.entries(shape).flatMap(([section]) => Array.from({ length: FIELDS }, (_, f) => `${section}.f${String(f)}`));

// Reload: a programmatic source flips the 10 dynamic fields on every call.
let flip = 0;
const dynamicValues = (): object => ({ s0: Object.fromEntries(Array.from({ length: 10 }, (_, f) => [`f${f}`, textOf(kindOf(f), f + (flip % 2))])) });
let loaded: Config<unknown> | undefined;
let reloadable: Config<unknown> | undefined;

function loadConvict(): unknown {
  const config = convict(convictSchema as never, { env });
  config.loadFile(file);
  config.validate({ allowed: 'warn' });
  return config.getProperties();
}

export default defineBenchSuite({
  package: 'config',
  setup: async () => {
    loaded = await loadConfig(schema, { feeders });
    reloadable = await loadConfig(schema, { feeders: [...feeders, objectFeeder(dynamicValues)] });
  },
  teardown: async () => {
    await loaded?.close();
    await reloadable?.close();
  },
  tasks: [
    {
      name: 'config/load/1000-fields',
      fn: () => loadConfig(schema, { feeders }),
      peers: {
        convict: loadConvict,
        'envalid (env only)': () => cleanEnv(envalidEnv, envalidSpecs),
      },
    },
    {
      name: 'config/explain/1000-fields',
      fn: () => {
        let found = 0;
        for (const path of paths) if (loaded?.explain(path).layer !== undefined) found += 1;
        if (found !== paths.length) throw new Error(`explain found ${String(found)} of ${String(paths.length)} fields`);
      },
    },
    { name: 'config/provenance/1000-fields', fn: () => loaded?.provenance() },
    {
      name: 'config/reload/10-dynamic',
      fn: () => {
        flip += 1;
        return reloadable?.reload();
      },
    },
  ],
});
