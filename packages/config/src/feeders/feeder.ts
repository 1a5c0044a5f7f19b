/**
 * The pluggable source of configuration values. Built-in feeders cover env,
 * .env, JSON, YAML and programmatic objects; a secret manager plugs in by
 * implementing {@link Feeder} (or calling {@link defineFeeder}).
 */

/** Which layer a feeder belongs to: more specific layers override less specific ones. */
export type Layer = 'base' | { readonly instance: string } | { readonly tenant: string };

/** Default priorities: defaults < files < env < programmatic. Higher wins within a layer. */
export const PRIORITY = Object.freeze({ default: 0, file: 100, env: 200, programmatic: 300 });

/** What a feeder is told about the schema: every leaf field, so name-mapped sources (env) can look values up. */
export interface FeederContext {
  readonly fields: readonly { readonly path: readonly string[]; readonly key: string }[];
}

/** A feeder's output: a nested object of raw values, and how each dotted path was named in the source. */
export interface FeederData {
  readonly values: unknown;
  /** Dotted schema path → the key as the source names it (an env var name). Defaults to the dotted path. */
  readonly keys?: ReadonlyMap<string, string>;
}

/**
 * A configuration source.
 * @example
 * const vault: Feeder = {
 *   kind: 'vault', source: 'vault://kv/app', priority: 250, required: true, layer: 'base',
 *   load: async () => ({ values: { db: { password: await fetchSecret('db') } } }),
 * };
 */
export interface Feeder {
  /** Feeder type, shown in provenance: `env`, `dotenv`, `json`, `yaml`, `object`, or a custom name. */
  readonly kind: string;
  /** Where the values come from, shown in provenance: a file path, `process.env`, a URL. */
  readonly source: string;
  /** Higher wins within a layer; see {@link PRIORITY}. */
  readonly priority: number;
  /** A required feeder that is unavailable (load returns undefined) fails the load. */
  readonly required: boolean;
  readonly layer: Layer;
  /** A file to watch for hot reload, if any. */
  readonly watchPath?: string;
  /** Returns the values, or undefined when the source is unavailable (missing file). */
  load(context: FeederContext): Promise<FeederData | undefined> | FeederData | undefined;
}

/** Options every built-in feeder accepts. */
export interface FeederOptions {
  /** Overrides the default priority of the feeder type. */
  readonly priority?: number;
  /** Whether an unavailable source fails the load (default true for files). */
  readonly required?: boolean;
  /** Layer of the values (default `base`). */
  readonly layer?: Layer;
}

/**
 * Completes a custom feeder with defaults (priority = file level, required, base layer).
 * @example
 * const secrets = defineFeeder({ kind: 'vault', source: 'vault://kv/app', load: async () => ({ values: await read() }) });
 */
export function defineFeeder(feeder: Pick<Feeder, 'kind' | 'source' | 'load'> & Partial<Feeder>): Feeder {
  return {
    priority: PRIORITY.file,
    required: true,
    layer: 'base',
    ...feeder,
  };
}

/** Renders a layer as text: `base`, `instance:<id>`, `tenant:<id>`. */
export function layerName(layer: Layer): string {
  if (layer === 'base') return 'base';
  return 'instance' in layer ? `instance:${layer.instance}` : `tenant:${layer.tenant}`;
}
