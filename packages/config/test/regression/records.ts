/**
 * Shared by the regression tests: the provenance record a field gets from each
 * kind of source, as `config.provenance()` lists it, and a programmatic source
 * whose values a test can change before a reload.
 */
import { objectFeeder } from '../../src/feeders/object.ts';

type Extra = { secret?: boolean; dynamic?: boolean; description?: string };

/** A field no source set (optional, or under an absent optional section). */
export function unset(path: string, extra: Extra = {}) {
  return { path, value: undefined, feeder: 'unset', source: 'none', key: path, layer: 'none', priority: 0, secret: false, dynamic: false, description: undefined, overridden: [], ...extra };
}

/** A field set by its schema default. */
export function byDefault(path: string, value: unknown, extra: Extra = {}) {
  return { path, value, feeder: 'default', source: 'schema', key: path, layer: 'default', priority: 0, secret: false, dynamic: false, description: undefined, overridden: [], ...extra };
}

/** A field set by an objectFeeder (programmatic values, base layer). */
export function programmatic(path: string, value: unknown, extra: Extra = {}) {
  return { path, value, feeder: 'object', source: 'programmatic', key: path, layer: 'base', priority: 300, secret: false, dynamic: false, description: undefined, overridden: [], ...extra };
}

/** An objectFeeder over `state.values`, which a test may replace before a reload. */
export function source(initial: Record<string, unknown>) {
  const state = { values: initial };
  return { state, feeder: objectFeeder(() => state.values) };
}
