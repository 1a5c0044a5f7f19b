import { Config } from './config.ts';
import { ConfigError } from './errors.ts';
import { envFeeder } from './feeders/env.ts';
import type { Feeder } from './feeders/feeder.ts';
import type { InferShape, Shape } from './field.ts';
import { compile } from './plan.ts';
import { buildState, Runtime, type State } from './runtime.ts';
import type { Schema } from './schema.ts';
import { assertFeeder } from './sources.ts';
import { watchFiles } from './watcher.ts';

/** Options of {@link loadConfig}. */
export interface LoadOptions {
  /** Sources, any order (precedence comes from layer, then priority, then position). Default: env only. */
  readonly feeders?: readonly Feeder[];
  /** Prefix of the default env feeder when `feeders` is not given. */
  readonly envPrefix?: string;
  /** This process's instance id: feeders with `layer: { instance }` for it apply, others are ignored. */
  readonly instance?: string;
  /** Tenants to resolve even without tenant feeders (they see the base values). */
  readonly tenants?: readonly string[];
  /** Watch file feeders and reload on change (debounced, default 100 ms). */
  readonly watch?: boolean | { readonly debounceMs?: number };
}

const DEFAULT_DEBOUNCE_MS = 100;

function debounceOf(watch: LoadOptions['watch']): number | undefined {
  if (watch === undefined || watch === false) return undefined;
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: `true.debounceMs` is undefined too, so either arm yields the default
  const ms = watch === true ? DEFAULT_DEBOUNCE_MS : (watch.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  if (!Number.isFinite(ms) || ms < 0) throw new ConfigError('CONFIG_ERR_OPTIONS', { message: 'watch.debounceMs must be a finite number >= 0' });
  return ms;
}

/**
 * Loads, merges and validates configuration. Throws CONFIG_ERR_VALIDATION listing
 * every problem (path, expected, got, source) before anything starts.
 * Precedence: more specific layer wins (tenant > instance > base); within a layer
 * higher priority wins (defaults 0 < files 100 < env 200 < programmatic 300);
 * on a tie, the later feeder in the list wins.
 * @example
 * const config = await loadConfig(schema, {
 *   feeders: [yamlFeeder('config/app.yaml'), dotenvFeeder('.env', { required: false }), envFeeder({ prefix: 'APP_' })],
 *   watch: true,
 * });
 */
export async function loadConfig<Sh extends Shape>(schema: Schema<Sh>, options: LoadOptions = {}): Promise<Config<InferShape<Sh>>> {
  const feeders = options.feeders ?? [envFeeder({ prefix: options.envPrefix ?? '' })];
  if (!(feeders instanceof Array)) throw new ConfigError('CONFIG_ERR_OPTIONS', { message: 'options.feeders must be an array' });
  feeders.forEach(assertFeeder);
  const debounceMs = debounceOf(options.watch);
  const init = { plan: compile(schema.root.spec), feeders, instance: instanceOf(options.instance), tenants: tenantsOf(options.tenants) };
  const paths = [...new Set(feeders.flatMap((f) => (f.watchPath === undefined ? [] : [f.watchPath])))];
  // Watching starts before the first read: started after it, an edit landing while the sources were
  // read produced no event, and the old value stayed until some later edit. What the watcher reports
  // before the runtime exists waits for it (a change becomes one reload, errors go to its listeners).
  const early: { runtime: Runtime | undefined; changed: boolean; errors: ConfigError[] } = { runtime: undefined, changed: false, errors: [] };
  const watch =
    debounceMs !== undefined && paths.length > 0
      ? watchFiles(
          paths,
          debounceMs,
          () => {
            if (early.runtime === undefined) early.changed = true;
            else early.runtime.reload().catch(alreadyReported);
          },
          (error) => {
            if (early.runtime === undefined) early.errors.push(error);
            else early.runtime.emitError(error);
          },
        )
      : undefined;
  let state: State;
  try {
    state = await buildState(init);
  } catch (error) {
    watch?.close();
    throw error;
  }
  const runtime = new Runtime(init, state);
  runtime.watch = watch;
  early.runtime = runtime;
  for (const error of early.errors) runtime.emitError(error);
  if (early.changed) runtime.reload().catch(alreadyReported);
  return new Config<InferShape<Sh>>(runtime);
}

// A string is iterable: `tenants: 'acme'` validated the tenants a, c, m and e.
function tenantsOf(tenants: unknown): readonly string[] {
  if (tenants === undefined) return [];
  if (!Array.isArray(tenants) || !tenants.every((id) => typeof id === 'string')) {
    throw new ConfigError('CONFIG_ERR_OPTIONS', { message: 'options.tenants must be an array of tenant ids (strings)' });
  }
  return tenants;
}

function instanceOf(instance: unknown): string | undefined {
  if (instance === undefined || typeof instance === 'string') return instance;
  throw new ConfigError('CONFIG_ERR_OPTIONS', { message: 'options.instance must be a string (this process\'s instance id)' });
}

// A watcher-triggered reload has no caller to reject to; its failure already went to onError listeners.
const alreadyReported = (): undefined => undefined;
