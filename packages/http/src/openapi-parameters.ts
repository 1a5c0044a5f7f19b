/**
 * OpenAPI `parameters` from a route's `params`, `querystring` and `headers` schemas.
 * OpenAPI describes parameters one by one (3.1 §4.8.12), so the object schema of each
 * part is expanded into one parameter per property. A part may be a `$ref` to a schema
 * added with `addSchema()` (`{ $ref: 'Params#' }`, which Fastify validates with): it is
 * followed into the document's components and expanded like an inline schema, else the
 * operation documented no parameter of that part.
 */
import type { JsonSchema } from './schema-types.ts';

type Doc = Record<string, unknown>;

// Fastify path syntax: `:name`, optionally followed by a regex in parentheses
// (`:id(^\\d+$)`), which has no place in an OpenAPI template; `::` is a literal colon.
const PATH_PARAM = /::|:([A-Za-z0-9_]+)(?:\([^)]*\))?/g;

/** `/users/:id` → `/users/{id}`. */
export function openApiPath(url: string): string {
  return url.replace(PATH_PARAM, (_match, name: string | undefined) => (name === undefined ? ':' : `{${name}}`));
}

/** Parameter names of a Fastify path, in order (`/a/:x/b/:y` → `['x', 'y']`). */
export function pathParameterNames(url: string): string[] {
  const names: string[] = [];
  for (const [, name] of url.matchAll(PATH_PARAM)) if (name !== undefined) names.push(name);
  return names;
}

/** A part's schema reduced to what parameters are made of. */
interface Expanded {
  readonly properties: Readonly<Record<string, JsonSchema>>;
  readonly required: ReadonlySet<string>;
}

// A JSON pointer token of a URI fragment (RFC 6901 §6): percent-decoded, then unescaped.
function token(raw: string): string {
  let text = raw;
  try {
    text = decodeURIComponent(raw);
  } catch {
    // A malformed escape names no member: left as it is, it matches none.
  }
  return text.replaceAll('~1', '/').replaceAll('~0', '~');
}

/**
 * The schema a document-local `$ref` (`#/components/schemas/Params`) points at in `doc`,
 * else `undefined` (a ref that shared-schema rewriting did not make document-local).
 */
export function resolveLocalRef(doc: unknown, ref: string): JsonSchema | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let at: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const name = token(raw);
    // Object.hasOwn: a pointer to `__proto__` must not walk into the prototype.
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, name)) return undefined;
    at = (at as Doc)[name];
  }
  return typeof at === 'object' && at !== null && !Array.isArray(at) ? (at as JsonSchema) : undefined;
}

// The properties and required names of `schema` and of the schemas its `$ref`s lead to (a
// `$ref` applies beside its siblings, JSON Schema 2020-12 §8.2.3.1); the nearer schema's
// property wins a name both define. A cycle of refs ends where it repeats.
function expand(schema: JsonSchema | undefined, doc: unknown): Expanded {
  const properties: Record<string, JsonSchema> = {};
  const required = new Set<string>();
  const seen = new Set<string>();
  for (let at = schema; at !== undefined; ) {
    for (const [name, s] of Object.entries((at.properties ?? {}) as Record<string, JsonSchema>)) if (!Object.hasOwn(properties, name)) properties[name] = s;
    if (Array.isArray(at.required)) for (const name of at.required as unknown[]) if (typeof name === 'string') required.add(name);
    const ref = at.$ref;
    if (typeof ref !== 'string' || seen.has(ref)) break;
    seen.add(ref);
    at = resolveLocalRef(doc, ref);
  }
  return { properties, required };
}

/** The route's schemas of the parts that are parameters, after shared-schema rewriting. */
export interface ParameterSchemas {
  readonly params?: JsonSchema;
  readonly querystring?: JsonSchema;
  readonly headers?: JsonSchema;
}

/**
 * The `parameters` of an operation: path parameters (every template variable, `required`, a
 * string unless `params` types it: OpenAPI 3.1 §4.8.12.1), then query and header parameters.
 * `doc` is what the parts' `$ref`s resolve in (the document's `components`).
 * @example
 * operationParameters('/users/:id', { params: { $ref: '#/components/schemas/Params' } }, doc);
 */
export function operationParameters(url: string, s: ParameterSchemas, doc: unknown): Doc[] {
  const params = expand(s.params, doc).properties;
  const path = pathParameterNames(url).map((name) => ({ name, in: 'path', required: true, schema: Object.hasOwn(params, name) ? params[name] : { type: 'string' } }));
  const listed = (schema: JsonSchema | undefined, where: 'query' | 'header'): Doc[] => {
    const { properties, required } = expand(schema, doc);
    return Object.entries(properties).map(([name, p]) => ({ name, in: where, required: required.has(name), schema: p }));
  };
  return [...path, ...listed(s.querystring, 'query'), ...listed(s.headers, 'header')];
}
