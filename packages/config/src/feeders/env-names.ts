import type { FeederContext, FeederData } from './feeder.ts';

/** Env naming options shared by the env and .env feeders. */
export interface EnvNaming {
  /** Prepended to every name, e.g. `APP_` (default none). */
  readonly prefix?: string;
  /** Joins nested keys, e.g. `APP_DB__PORT` for `db.port` (default `__`). */
  readonly separator?: string;
}

/**
 * `maxConnections` → `MAX_CONNECTIONS`: schema keys are camelCase, env names are constant case.
 * @example constantCase('maxConnections') // 'MAX_CONNECTIONS'
 */
export function constantCase(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/**
 * The variable name a schema path reads from.
 * @example envName(['db', 'maxConnections'], { prefix: 'APP_' }) // 'APP_DB__MAX_CONNECTIONS'
 */
export function envName(path: readonly string[], naming: EnvNaming = {}): string {
  return `${naming.prefix ?? ''}${path.map(constantCase).join(naming.separator ?? '__')}`;
}

/**
 * Looks every schema field up by its env name. Names are derived from the schema,
 * never parsed into object keys, so a hostile variable name cannot pollute anything.
 */
export function valuesFromVariables(variables: Readonly<Record<string, string | undefined>>, context: FeederContext, naming: EnvNaming): FeederData {
  const values = Object.create(null) as Record<string, unknown>;
  const keys = new Map<string, string>();
  for (const field of context.fields) {
    const name = envName(field.path, naming);
    if (!Object.hasOwn(variables, name)) continue;
    const text = variables[name];
    if (text === undefined) continue;
    let target = values;
    for (const segment of field.path.slice(0, -1)) {
      target[segment] ??= Object.create(null) as Record<string, unknown>;
      target = target[segment] as Record<string, unknown>;
    }
    target[field.path[field.path.length - 1] as string] = text;
    keys.set(field.key, name);
  }
  return { values, keys };
}
