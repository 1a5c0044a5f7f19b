import type { EnvNaming } from './env-names.ts';
import { valuesFromVariables } from './env-names.ts';
import type { Feeder, FeederOptions } from './feeder.ts';
import { PRIORITY } from './feeder.ts';

/** Options of {@link envFeeder}. */
export interface EnvFeederOptions extends EnvNaming, Omit<FeederOptions, 'required'> {
  /** Variables to read (default `process.env`, read at every load so reloads see changes). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads environment variables: `db.maxConnections` comes from `<prefix>DB<separator>MAX_CONNECTIONS`.
 * Text is coerced to the field type; a bad value is reported with the variable name.
 * @example
 * envFeeder({ prefix: 'APP_' }) // APP_DB__PORT=5433 → db.port = 5433
 */
export function envFeeder(options: EnvFeederOptions = {}): Feeder {
  return {
    kind: 'env',
    source: options.env === undefined ? 'process.env' : 'env',
    priority: options.priority ?? PRIORITY.env,
    required: false,
    layer: options.layer ?? 'base',
    load: (context) => valuesFromVariables(options.env ?? process.env, context, options),
  };
}
