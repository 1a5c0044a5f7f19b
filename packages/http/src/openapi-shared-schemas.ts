/**
 * Schemas added with Fastify's `addSchema` in the OpenAPI document. Route schemas
 * reference them as `{ $ref: 'User#' }` (or `'User'`, `'User#/properties/name'`),
 * which Fastify resolves against its own registry but which means nothing inside an
 * OpenAPI document. As @fastify/swagger does, each shared schema becomes a
 * `components.schemas` entry (without its `$id`) and every `$ref` to it is rewritten
 * to `#/components/schemas/<name>` plus the JSON pointer it named.
 */
import type { JsonSchema } from './schema-types.ts';

/** OpenAPI 3.1 §4.8.7.1: component names match this. */
const COMPONENT_NAME = /^[a-zA-Z0-9._-]+$/;

/** Keywords whose values are data, not schemas: a `$ref` member there is not a reference. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'example', 'examples']);

/** Keywords whose values map names of the user's choosing (`default`, `enum`, ...) to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies']);

// What a member of a schema holds: `data` is left alone, a `map`'s members are all schemas.
function kindOf(key: string): 'data' | 'map' | 'schema' {
  if (DATA_KEYWORDS.has(key)) return 'data';
  return SCHEMA_MAPS.has(key) ? 'map' : 'schema';
}

/** The shared schemas as components, and the `$ref` rewriting that points at them. */
export interface SharedComponents {
  /** `components.schemas` entries, in `addSchema` order. */
  readonly schemas: Readonly<Record<string, JsonSchema>>;
  /** A copy of `node` whose references to shared schemas point into `components.schemas`. */
  readonly rewrite: (node: unknown) => unknown;
}

interface Entry {
  readonly id: string;
  readonly name: string;
  readonly schema: JsonSchema;
}

// `User#` and `User` name the same schema.
function normalizeId(id: string): string {
  return id.endsWith('#') ? id.slice(0, -1) : id;
}

/**
 * Component names, deterministic in `addSchema` order: the `$id` itself when it is a valid
 * component name that no built-in component (`Problem`) holds, else `def-<n>`, the first
 * free one (@fastify/swagger's naming).
 */
function componentNames(ids: readonly string[], reserved: ReadonlySet<string>): Map<string, string> {
  const usable = (id: string): boolean => COMPONENT_NAME.test(id) && !reserved.has(id) && id !== '__proto__';
  const taken = new Set([...reserved, ...ids.filter(usable)]);
  const names = new Map<string, string>();
  let n = 0;
  for (const id of ids) {
    if (usable(id)) {
      names.set(id, id);
      continue;
    }
    while (taken.has(`def-${n}`)) n += 1;
    taken.add(`def-${n}`);
    names.set(id, `def-${n}`);
  }
  return names;
}

// A member name as a JSON pointer token in a URI fragment (RFC 6901 §6): the characters a
// fragment allows as they are (`$defs` stays `$defs`), the others percent-encoded.
function pointerToken(key: string): string {
  const escaped = encodeURIComponent(key.replaceAll('~', '~0').replaceAll('/', '~1'));
  return escaped.replace(/%(24|26|27|28|29|2B|2C|3A|3B|3D|40)/g, (code) => decodeURIComponent(code));
}

// The JSON pointer of the subschema declaring `$anchor: anchor`, if any.
function anchorPointer(node: unknown, anchor: string, at = '', map = false): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  if (!map && (node as { $anchor?: unknown }).$anchor === anchor) return at;
  for (const [key, value] of Object.entries(node)) {
    const kind = map ? 'schema' : kindOf(key);
    if (kind === 'data') continue;
    const found = anchorPointer(value, anchor, `${at}/${pointerToken(key)}`, kind === 'map');
    if (found !== undefined) return found;
  }
  return undefined;
}

// A malformed percent-encoding (`%E0`) names no anchor; it must not fail the document.
function decoded(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

// `ref` resolved against `base` (the `$id` of the shared schema it appears in), when both are URLs.
function absolute(ref: string, base: string | undefined): string | undefined {
  if (base === undefined) return undefined;
  try {
    return new URL(ref, base).href;
  } catch {
    return undefined;
  }
}

/**
 * Components for the shared schemas (`getSchemas()` of the scope the routes are in).
 * @example
 * sharedComponents({ User: { $id: 'User', type: 'object' } }, new Set(['Problem'])).rewrite({ $ref: 'User#' });
 * // { $ref: '#/components/schemas/User' }
 */
export function sharedComponents(shared: Readonly<Record<string, unknown>>, reserved: ReadonlySet<string>): SharedComponents {
  const schemas = Object.values(shared).filter((s): s is JsonSchema & { $id: string } => typeof s === 'object' && s !== null && typeof (s as { $id?: unknown }).$id === 'string');
  const names = componentNames(
    schemas.map((s) => normalizeId(s.$id)),
    reserved,
  );
  const byId = new Map<string, Entry>();
  for (const schema of schemas) {
    const id = normalizeId(schema.$id);
    byId.set(id, { id, name: names.get(id) ?? id, schema });
  }

  // The document-local form of `ref` (written inside the shared schema `self`, if any), or `ref` unchanged.
  const target = (ref: string, self: Entry | undefined): string => {
    const hash = ref.indexOf('#');
    const base = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? '' : ref.slice(hash + 1);
    const entry = base === '' ? self : (byId.get(base) ?? byId.get(absolute(base, self?.id) ?? ''));
    if (entry === undefined) return ref;
    const pointer = fragment === '' || fragment.startsWith('/') ? fragment : anchorPointer(entry.schema, decoded(fragment));
    return pointer === undefined ? ref : `#/components/schemas/${entry.name}${pointer}`;
  };

  // `map`: `node` is the value of a SCHEMA_MAPS keyword, whose members are schemas whatever their names.
  const walk = (node: unknown, self: Entry | undefined, map = false): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item, self));
    if (typeof node !== 'object' || node === null) return node;
    // Object.fromEntries: a member named `__proto__` stays a member.
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => {
        const kind = map ? 'schema' : kindOf(key);
        if (!map && key === '$ref' && typeof value === 'string') return [key, target(value, self)];
        return [key, kind === 'data' ? value : walk(value, self, kind === 'map')];
      }),
    );
  };

  const components = [...byId.values()].map((entry) => {
    const { $id: _id, ...rest } = entry.schema;
    return [entry.name, walk(rest, entry) as JsonSchema] as const;
  });
  return {
    schemas: Object.fromEntries(components),
    // Without shared schemas nothing can point at them: the document stays as it was.
    rewrite: byId.size === 0 ? (node) => node : (node) => walk(node, undefined),
  };
}
