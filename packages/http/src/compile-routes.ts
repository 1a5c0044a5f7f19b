/**
 * Flattens controllers into the list of concrete routes the server registers
 * and OpenAPI documents: one entry per (method, path, version), with handler
 * bound, filters/guards/hooks merged in precedence order and deprecation
 * headers precomputed. Pure: no Fastify involved, so it is easy to test.
 */
import { deprecationHeaders } from './deprecation.ts';
import type { DeprecationHeaders } from './deprecation.ts';
import { controllerOf, toFilter } from './decorators.ts';
import { joinPath } from './define.ts';
import type { FilterDefinition } from './define.ts';
import { HttpError } from './errors.ts';
import type { ResolvedOptions } from './options.ts';
import { VERSION_NEUTRAL } from './types.ts';
import type { ControllerClass, ControllerDefinition, Guard, Handler, Hook, HttpMethod, Interceptor, RouteDefinition, RouteSchema } from './types.ts';
import { isValidVersion } from './versioning.ts';

/** A route ready to register. */
export interface CompiledRoute {
  readonly method: HttpMethod;
  readonly url: string;
  /** API version; `undefined` for version-neutral or unversioned routes. */
  readonly version: string | undefined;
  /** Router constraint value (header, media-type and custom versioning). */
  readonly constraint: string | undefined;
  readonly schema: RouteSchema | undefined;
  readonly status: number;
  readonly handler: Handler;
  readonly guards: readonly Guard[];
  readonly interceptors: readonly Interceptor[];
  readonly onRequest: readonly Hook[];
  readonly preHandler: readonly Hook[];
  readonly onResponse: readonly Hook[];
  /** Route filters, then controller filters (global ones are added by the error handler). */
  readonly filters: readonly FilterDefinition[];
  readonly deprecation: DeprecationHeaders | undefined;
  readonly doc: { summary?: string; description?: string; operationId?: string; tags: readonly string[] };
}

function definitionOf(entry: ControllerClass | ControllerDefinition): ControllerDefinition {
  if (typeof entry !== 'function') return entry;
  const def = controllerOf(entry);
  if (def === undefined) throw new HttpError('HTTP_ERR_INVALID_CONTROLLER', `${entry.name} has no @Controller() decorator`);
  return def;
}

function bind(def: ControllerDefinition, route: RouteDefinition, instance: object | undefined): Handler {
  if (typeof route.handler === 'function') return route.handler;
  const method = (instance as Record<string | symbol, unknown> | undefined)?.[route.handler];
  if (typeof method !== 'function') {
    throw new HttpError('HTTP_ERR_INVALID_CONTROLLER', `${def.target?.name ?? 'controller'}.${String(route.handler)} is not a method`);
  }
  return (method as Handler).bind(instance);
}

function versionsOf(route: RouteDefinition, def: ControllerDefinition, options: ResolvedOptions): readonly (string | undefined)[] {
  const spec = route.version ?? def.version;
  if (options.versioning === undefined) {
    if (spec !== undefined && spec !== VERSION_NEUTRAL) {
      throw new HttpError('HTTP_ERR_INVALID_CONTROLLER', `${route.method} ${route.path} declares a version but versioning is not configured`);
    }
    return [undefined];
  }
  const resolved = spec ?? options.versioning.defaultVersion ?? VERSION_NEUTRAL;
  if (resolved === VERSION_NEUTRAL) return [undefined];
  const list = typeof resolved === 'string' ? [resolved] : resolved;
  for (const v of list) {
    if (!isValidVersion(v)) throw new HttpError('HTTP_ERR_INVALID_CONTROLLER', `Invalid API version ${JSON.stringify(v)}`);
  }
  return list;
}

function compileOne(def: ControllerDefinition, route: RouteDefinition, version: string | undefined, handler: Handler, options: ResolvedOptions): CompiledRoute {
  const uri = options.versioning?.type === 'uri';
  const prefix = uri && version !== undefined ? `/${options.versioning.prefix ?? 'v'}${version}` : '/';
  const g = options.hooks;
  const deprecated = route.deprecated ?? def.deprecated ?? (version === undefined ? undefined : options.versioning?.versions?.[version]?.deprecated);
  return {
    method: route.method,
    url: joinPath(prefix, def.path, route.path),
    version,
    constraint: uri ? undefined : version,
    schema: route.schema,
    status: route.status ?? (route.method === 'POST' ? 201 : 200),
    handler,
    guards: [...options.guards, ...(def.guards ?? []), ...(route.guards ?? [])],
    interceptors: [...options.interceptors, ...(def.interceptors ?? []), ...(route.interceptors ?? [])],
    onRequest: [...(g.onRequest ?? []), ...(def.hooks?.onRequest ?? []), ...(route.hooks?.onRequest ?? [])],
    preHandler: [...(g.preHandler ?? []), ...(def.hooks?.preHandler ?? []), ...(route.hooks?.preHandler ?? [])],
    onResponse: [...(g.onResponse ?? []), ...(def.hooks?.onResponse ?? []), ...(route.hooks?.onResponse ?? [])],
    filters: [...(route.filters ?? []), ...(def.filters ?? [])].map(toFilter),
    deprecation: deprecationHeaders(deprecated),
    doc: {
      ...(route.summary === undefined ? {} : { summary: route.summary }),
      ...(route.description === undefined ? {} : { description: route.description }),
      ...(route.operationId === undefined ? {} : { operationId: route.operationId }),
      tags: [...(def.tags ?? []), ...(route.tags ?? [])],
    },
  };
}

// The router does not tell `/a/:id` from `/a/:name`: the parameter names are not
// part of what it matches, so they are left out of the duplicate key.
function routeShape(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, ':');
}

/**
 * Every concrete route of the given controllers.
 * @example
 * compileRoutes(resolveOptions({ controllers: [Users] })).map((r) => `${r.method} ${r.url}`);
 */
export function compileRoutes(options: ResolvedOptions): CompiledRoute[] {
  const routes: CompiledRoute[] = [];
  // duplicate key → the URL that took it first
  const seen = new Map<string, string>();
  for (const entry of options.controllers) {
    const def = definitionOf(entry);
    const instance = def.target === undefined ? undefined : options.instantiate(def.target);
    for (const route of def.routes) {
      const handler = bind(def, route, instance);
      for (const version of versionsOf(route, def, options)) {
        const compiled = compileOne(def, route, version, handler, options);
        const key = `${compiled.method} ${routeShape(compiled.url)} ${compiled.constraint ?? '*'}`;
        const previous = seen.get(key);
        if (previous !== undefined) {
          const same = previous === compiled.url ? '' : ` (as ${previous}: parameter names do not tell routes apart)`;
          throw new HttpError('HTTP_ERR_DUPLICATE_ROUTE', `Route declared twice: ${compiled.method} ${compiled.url} ${compiled.constraint ?? '*'}${same}`);
        }
        seen.set(key, compiled.url);
        routes.push(compiled);
      }
    }
  }
  return routes;
}
