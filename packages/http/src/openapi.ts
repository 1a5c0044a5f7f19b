/**
 * OpenAPI 3.1 documents built from the compiled routes, one per API version
 * (version-neutral routes appear in all). OpenAPI 3.1 uses JSON Schema 2020-12,
 * so route schemas are embedded unchanged.
 */
import { STATUS_CODES } from 'node:http';
import type { CompiledRoute } from './compile-routes.ts';
import type { JsonSchema } from './schema-types.ts';

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

/** `/users/:id` → `/users/{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(schema: JsonSchema | undefined, where: 'path' | 'query' | 'header'): Doc[] {
  const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: s }));
}

function responses(route: CompiledRoute): Doc {
  const out: Doc = {};
  const declared = route.schema?.response ?? {};
  for (const [status, schema] of Object.entries(declared)) {
    out[status] = { description: STATUS_CODES[Number(status)] ?? status, content: { 'application/json': { schema } } };
  }
  if (Object.keys(out).length === 0) out[String(route.status)] = { description: STATUS_CODES[route.status] ?? 'Success' };
  out.default = { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  return out;
}

function operation(route: CompiledRoute): Doc {
  const s = route.schema;
  const op: Doc = {
    ...route.doc,
    ...(route.doc.tags.length === 0 ? { tags: undefined } : {}),
    parameters: [...parameters(s?.params, 'path'), ...parameters(s?.querystring, 'query'), ...parameters(s?.headers, 'header')],
    responses: responses(route),
  };
  if (s?.body !== undefined) op.requestBody = { required: true, content: { 'application/json': { schema: s.body } } };
  if (route.deprecation !== undefined) op.deprecated = true;
  return JSON.parse(JSON.stringify(op)) as Doc;
}

/**
 * The OpenAPI document for one version (`undefined` = the unversioned API).
 * @example
 * buildOpenApi(routes, '2', { title: 'Shop', version: '2.3.0' }).paths;
 */
export function buildOpenApi(routes: readonly CompiledRoute[], version: string | undefined, info: OpenApiInfo): Doc {
  const paths: Record<string, Record<string, Doc>> = {};
  for (const route of routes) {
    if (route.version !== undefined && route.version !== version) continue;
    const path = openApiPath(route.url);
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { ...info, version: version === undefined ? info.version : `${info.version} (v${version})` },
    paths,
    components: { schemas: { Problem: PROBLEM_SCHEMA } },
  };
}

/** Every API version the routes mention, sorted. */
export function versionsOf(routes: readonly CompiledRoute[], declared: readonly string[]): string[] {
  const set = new Set(declared);
  for (const route of routes) if (route.version !== undefined) set.add(route.version);
  return [...set].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
