import { ConfigError } from './errors.ts';
import { UNSAFE_KEYS } from './schema.ts';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function copy(value: unknown, path: string[], source: string, seen: Set<object>): unknown {
  if (Array.isArray(value) || isPlainObject(value)) {
    if (seen.has(value)) {
      throw new ConfigError('CONFIG_ERR_FEEDER', { message: `${source}: values contain a cycle at "${path.join('.')}"`, details: { source } });
    }
    seen.add(value);
    const result = Array.isArray(value) ? value.map((item, i) => copy(item, [...path, String(i)], source, seen)) : copyRecord(value, path, source, seen);
    seen.delete(value);
    return result;
  }
  return value;
}

function copyRecord(value: Record<string, unknown>, path: string[], source: string, seen: Set<object>): Record<string, unknown> {
  // Null prototype: even a key we failed to refuse could not reach Object.prototype.
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const at = [...path, key];
    if (UNSAFE_KEYS.has(key)) {
      throw new ConfigError('CONFIG_ERR_UNSAFE_KEY', {
        message: `${source}: refused key "${at.join('.')}" (prototype pollution attempt)`,
        details: { source, path: at.join('.') },
      });
    }
    out[key] = copy(value[key], at, source, seen);
  }
  return out;
}

/**
 * Deep-copies external values into null-prototype objects, refusing `__proto__`,
 * `constructor` and `prototype` keys with CONFIG_ERR_UNSAFE_KEY. Refusing (not
 * dropping) is deliberate: such a key in a config source is an attack or a bug,
 * and an operator must see it.
 * @example sanitize(JSON.parse('{"__proto__":{}}'), 'app.json') // throws CONFIG_ERR_UNSAFE_KEY
 */
export function sanitize(values: unknown, source: string): unknown {
  return copy(values, [], source, new Set());
}

/** Reads a nested value by path through own properties only; undefined when absent. */
export function readPath(values: unknown, path: readonly string[]): { found: boolean; value: unknown; blockedAt?: number } {
  let current: unknown = values;
  for (let i = 0; i < path.length; i += 1) {
    if (current === undefined || current === null) return { found: false, value: undefined };
    if (typeof current !== 'object' || Array.isArray(current)) return { found: false, value: current, blockedAt: i };
    const key = path[i] as string;
    if (!Object.hasOwn(current, key)) return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[key];
  }
  return { found: current !== undefined && current !== null, value: current };
}
