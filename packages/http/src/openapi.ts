/**
 * OpenAPI 3.1 documents built from the compiled routes, one per API version
 * (version-neutral routes appear in all). OpenAPI 3.1 uses JSON Schema 2020-12,
 * so route schemas are embedded unchanged, except for their `$ref`s to shared
 * schemas (Fastify's `addSchema`), which point into `components.schemas`.
 */
import { STATUS_CODES } from 'node:http';
import type { CompiledRoute } from './compile-routes.ts';
import { openApiPath, operationParameters } from './openapi-parameters.ts';
import { sharedComponents } from './openapi-shared-schemas.ts';
import type { JsonSchema } from './schema-types.ts';
import type { RouteSchema } from './types.ts';

/** Document metadata. */
export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

type Doc = Record<string, unknown>;

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code', 'requestId'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { in: { type: 'string' }, pointer: { type: 'string' }, keyword: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

// Fastify accepts `2xx` response keys; OpenAPI 3.1 spells ranges `2XX` (§4.8.16.2).
const RANGE = /^[1-5]xx$/i;

function responses(route: CompiledRoute, s: RouteSchema | undefined): Doc {
  const out: Doc = {};
  const declared = s?.response ?? {};
  for (const [key, schema] of Object.entries(declared)) {
    const status = RANGE.test(key) ? key.toUpperCase() : key;
    out[status] = { description: STATUS_CODES[Number(status)] ?? status, content: { 'application/json': { schema } } };
  }
  if (Object.keys(out).length === 0) out[String(route.status)] = { description: STATUS_CODES[route.status] ?? 'Success' };
  // A route's own `default` schema is what Fastify serializes its unlisted (error) statuses
  // with, so it stays; replacing it hid the declared schema from the document.
  out.default ??= { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  return out;
}

type Rewrite = (schema: JsonSchema) => JsonSchema;

// The route's schemas with `rewrite` applied to each (not to the `response` map: its keys are statuses).
function rewritten(schema: RouteSchema | undefined, rewrite: Rewrite): RouteSchema | undefined {
  if (schema === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [part, value] of Object.entries(schema) as [keyof RouteSchema, unknown][]) {
    if (value === undefined) continue;
    out[part] = part === 'response' ? Object.fromEntries(Object.entries(value as Record<string, JsonSchema>).map(([status, s]) => [status, rewrite(s)])) : rewrite(value as JsonSchema);
  }
  return out;
}

// `components`: what the rewritten `$ref`s of the route point into.
function operation(route: CompiledRoute, rewrite: Rewrite, components: Doc): Doc {
  const s = rewritten(route.schema, rewrite);
  const op: Doc = {
    ...route.doc,
    ...(route.doc.tags.length === 0 ? { tags: undefined } : {}),
    parameters: operationParameters(route.url, s ?? {}, { components }),
    responses: responses(route, s),
  };
  if (s?.body !== undefined) op.requestBody = { required: true, content: { 'application/json': { schema: s.body } } };
  if (route.deprecation !== undefined) op.deprecated = true;
  return JSON.parse(JSON.stringify(op)) as Doc;
}

/**
 * The OpenAPI document for one version (`undefined` = the unversioned API). `shared` are
 * the schemas added with Fastify's `addSchema` (`getSchemas()`), keyed by `$id`: each
 * becomes a component (named after its `$id`, else `def-<n>`; never `Problem`), and
 * route `$ref`s to them (`'User#'`, `'User#/properties/name'`) point at it.
 * @example
 * buildOpenApi(routes, '2', { title: 'Shop', version: '2.3.0' }, server.app.getSchemas()).paths;
 */
export function buildOpenApi(routes: readonly CompiledRoute[], version: string | undefined, info: OpenApiInfo, shared: Readonly<Record<string, unknown>> = {}): Doc {
  const shares = sharedComponents(shared, new Set(['Problem']));
  const rewrite = shares.rewrite as Rewrite;
  const components = { schemas: { Problem: PROBLEM_SCHEMA, ...shares.schemas } };
  const paths: Record<string, Record<string, Doc>> = {};
  for (const route of routes) {
    if (route.version !== undefined && route.version !== version) continue;
    const path = openApiPath(route.url);
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route, rewrite, components);
  }
  return {
    openapi: '3.1.0',
    info: { ...info, version: version === undefined ? info.version : `${info.version} (v${version})` },
    paths,
    components,
  };
}

/** Every API version the routes mention, sorted. */
export function versionsOf(routes: readonly CompiledRoute[], declared: readonly string[]): string[] {
  const set = new Set(declared);
  for (const route of routes) if (route.version !== undefined) set.add(route.version);
  return [...set].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
