import { ConfigError, isConfigError } from './errors.ts';
import type { Feeder, FeederContext } from './feeders/feeder.ts';
import { layerName } from './feeders/feeder.ts';
import type { Plan } from './plan.ts';
import type { LoadedSource } from './resolve.ts';
import { sanitize } from './safe-object.ts';

/** A loaded feeder with what decides its precedence. */
interface Ranked extends LoadedSource {
  readonly rank: number;
  readonly order: number;
  readonly tenant: string | undefined;
}

/** Every feeder's output, ready to be resolved for the base scope or one tenant. */
export interface SourceSet {
  /** Base and instance sources, weakest first. */
  readonly base: readonly LoadedSource[];
  /** Base, instance and that tenant's sources, weakest first. */
  forTenant(tenant: string): readonly LoadedSource[];
  /** Tenants that have at least one feeder. */
  readonly tenants: readonly string[];
}

/** Throws CONFIG_ERR_OPTIONS for a feeder that does not honour the {@link Feeder} interface. */
export function assertFeeder(feeder: Feeder, index: number): void {
  const ok =
    typeof feeder === 'object' &&
    feeder !== null &&
    typeof feeder.kind === 'string' &&
    typeof feeder.source === 'string' &&
    typeof feeder.load === 'function' &&
    Number.isFinite(feeder.priority) &&
    typeof feeder.required === 'boolean' &&
    isLayer(feeder.layer);
  if (!ok) {
    throw new ConfigError('CONFIG_ERR_OPTIONS', {
      message: `feeders[${index}] is not a valid feeder (kind, source, finite priority, required true or false, layer 'base', { instance } or { tenant }, load)`,
      details: { index },
    });
  }
}

// A misspelt layer ('tenant' for { tenant: 'acme' }) crashed ordering with a TypeError instead.
function isLayer(layer: unknown): boolean {
  if (layer === 'base') return true;
  // Stryker disable next-line ConditionalExpression: a string or number has no single 'instance' or 'tenant' key either; the test keeps Object.keys off null and undefined
  if (typeof layer !== 'object' || layer === null) return false;
  const keys = Object.keys(layer);
  if (keys.length !== 1) return false;
  const id: unknown = (layer as Record<string, unknown>)[keys[0] as string];
  return (keys[0] === 'instance' || keys[0] === 'tenant') && typeof id === 'string' && id !== '';
}

function rankOf(feeder: Feeder): number {
  if (feeder.layer === 'base') return 0;
  return 'instance' in feeder.layer ? 1 : 2;
}

function applies(feeder: Feeder, instance: string | undefined): boolean {
  return feeder.layer === 'base' || !('instance' in feeder.layer) || feeder.layer.instance === instance;
}

async function loadOne(feeder: Feeder, context: FeederContext): Promise<unknown> {
  try {
    const data = await feeder.load(context);
    if (data === undefined) return undefined;
    if (data.keys !== undefined && !(data.keys instanceof Map)) {
      throw new ConfigError('CONFIG_ERR_FEEDER', { message: `feeder ${feeder.kind} (${feeder.source}) returned keys that are not a Map`, details: { source: feeder.source } });
    }
    return { values: sanitize(data.values, feeder.source), keys: data.keys ?? new Map<string, string>() };
  } catch (error) {
    if (isConfigError(error)) throw error;
    throw new ConfigError('CONFIG_ERR_FEEDER', { message: `feeder ${feeder.kind} (${feeder.source}) failed`, cause: error, details: { source: feeder.source } });
  }
}

function byPrecedence(a: Ranked, b: Ranked): number {
  return a.rank - b.rank || a.priority - b.priority || a.order - b.order;
}

/**
 * Loads every applicable feeder concurrently. A required feeder that is unavailable
 * fails the whole load with CONFIG_ERR_SOURCE_MISSING naming every missing source.
 * @example const set = await loadSources(plan, feeders, 'worker-1'); resolve(plan, set.base);
 */
export async function loadSources(plan: Plan, feeders: readonly Feeder[], instance: string | undefined): Promise<SourceSet> {
  const context: FeederContext = { fields: plan.leaves.map((leaf) => ({ path: leaf.path, key: leaf.key })) };
  const active = feeders.filter((feeder) => applies(feeder, instance));
  const loaded = await Promise.all(active.map((feeder) => loadOne(feeder, context)));
  const missing = active.filter((feeder, i) => loaded[i] === undefined && feeder.required);
  if (missing.length > 0) {
    const names = missing.map((f) => `${f.kind} ${f.source}`).join(', ');
    throw new ConfigError('CONFIG_ERR_SOURCE_MISSING', { message: `required configuration source unavailable: ${names}`, details: { source: names } });
  }
  const ranked: Ranked[] = [];
  active.forEach((feeder, order) => {
    const data = loaded[order] as { values: unknown; keys: ReadonlyMap<string, string> } | undefined;
    // Stryker disable next-line ConditionalExpression: an entry without values could never supply a field anyway
    if (data === undefined) return;
    const tenant = feeder.layer !== 'base' && 'tenant' in feeder.layer ? feeder.layer.tenant : undefined;
    ranked.push({ kind: feeder.kind, source: feeder.source, priority: feeder.priority, layer: layerName(feeder.layer), ...data, rank: rankOf(feeder), order, tenant });
  });
  ranked.sort(byPrecedence);
  const base = ranked.filter((s) => s.tenant === undefined);
  return {
    base,
    forTenant: (tenant) => ranked.filter((s) => s.tenant === undefined || s.tenant === tenant),
    tenants: [...new Set(active.flatMap((f) => (f.layer !== 'base' && 'tenant' in f.layer ? [f.layer.tenant] : [])))],
  };
}
