import type { Feeder, FeederOptions } from './feeder.ts';
import { PRIORITY } from './feeder.ts';

/** Options of {@link objectFeeder}. */
export interface ObjectFeederOptions extends Omit<FeederOptions, 'required'> {
  /** Shown as the source in provenance (default `programmatic`). */
  readonly source?: string;
}

/**
 * Supplies values from code (tests, CLI flags). Highest default priority.
 * The object is read at every load, so mutating it and calling `reload()` applies changes.
 * @example objectFeeder({ db: { port: 5433 } }, { source: 'cli' })
 */
export function objectFeeder(values: object | (() => object), options: ObjectFeederOptions = {}): Feeder {
  return {
    kind: 'object',
    source: options.source ?? 'programmatic',
    priority: options.priority ?? PRIORITY.programmatic,
    required: false,
    layer: options.layer ?? 'base',
    load: () => ({ values: typeof values === 'function' ? values() : values }),
  };
}
