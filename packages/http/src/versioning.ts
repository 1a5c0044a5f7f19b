/**
 * API versioning. URI versioning is a path prefix (`/v2/users`); header,
 * media-type and custom versioning are a find-my-way constraint, so Fastify's
 * router picks the route for the requested version and each version keeps its
 * own schemas, validation and serializer.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.ts';
import { mediaTypeVersion } from './media-type-version.ts';
import { isValidVersion } from './version-label.ts';
import type { DeprecationSpec } from './types.ts';

interface VersioningBase {
  /** Version used when the request names none (not applied to URI versioning). */
  readonly defaultVersion?: string;
  /** Per-version deprecation and sunset. */
  readonly versions?: Readonly<Record<string, { readonly deprecated?: DeprecationSpec }>>;
}

/** `/v1/...`; `prefix` defaults to `v`. */
export interface UriVersioning extends VersioningBase {
  readonly type: 'uri';
  readonly prefix?: string;
}

/** `X-Api-Version: 2`; `header` defaults to `x-api-version`. */
export interface HeaderVersioning extends VersioningBase {
  readonly type: 'header';
  readonly header?: string;
}

/** `Accept: application/vnd.<vendor>.v2+json` or `Accept: application/json;v=2`. */
export interface MediaTypeVersioning extends VersioningBase {
  readonly type: 'media-type';
  /** Restricts the vnd form to this vendor (`acme`); any vendor when absent. */
  readonly vendor?: string;
  /** Media type parameter name; defaults to `v`. */
  readonly key?: string;
}

/** Any rule of your own, e.g. a query parameter or a subdomain. */
export interface CustomVersioning extends VersioningBase {
  readonly type: 'custom';
  readonly extract: (request: IncomingMessage) => string | undefined;
  /**
   * The request headers `extract()` reads (`['x-tenant-version']`). Every
   * response then names them in `Vary`, so a shared cache keeps one copy per
   * version. Leave it out when `extract()` reads no header (a query
   * parameter, the path).
   */
  readonly vary?: readonly string[];
}

/** How the API version of a request is determined. */
export type VersioningOptions = UriVersioning | HeaderVersioning | MediaTypeVersioning | CustomVersioning;

export { isValidVersion } from './version-label.ts';

/** Name of the Fastify route constraint carrying the API version. */
export const VERSION_CONSTRAINT = 'rampartVersion';

// Header versioning's default header: read by versionExtractor, named in Vary by versionVary.
const DEFAULT_VERSION_HEADER = 'x-api-version';

/**
 * Reads the requested version from a raw request; `undefined` when absent or malformed.
 * @example
 * versionExtractor({ type: 'header' })(req); // '2' for `X-Api-Version: 2`
 */
export function versionExtractor(options: VersioningOptions): (request: IncomingMessage) => string | undefined {
  switch (options.type) {
    case 'uri':
      return () => undefined;
    case 'header': {
      const name = (options.header ?? DEFAULT_VERSION_HEADER).toLowerCase();
      return (req) => clean(req.headers[name]);
    }
    case 'media-type': {
      const vendor = options.vendor?.toLowerCase();
      const key = (options.key ?? 'v').toLowerCase();
      return (req) => {
        const accept = req.headers.accept;
        return accept === undefined ? undefined : mediaTypeVersion(accept, vendor, key);
      };
    }
    case 'custom':
      return (req) => clean(options.extract(req));
  }
}

// RFC 9110 §5.1: a field name is a token.
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The request headers a response varies on under `options` (RFC 9110 §12.5.5),
 * lower-cased and comma-joined; `undefined` for URI versioning, where the
 * version is in the path, and for custom versioning without `vary`. Header and
 * media-type versioning route by a header, so without `Vary` a shared cache
 * could hand a v1 client the v2 answer it stored for the same URL.
 * Throws HTTP_ERR_INVALID_OPTIONS for a header name that is not a token.
 * @example
 * versionVary({ type: 'header' }); // 'x-api-version'
 * versionVary({ type: 'media-type' }); // 'accept'
 */
export function versionVary(options: VersioningOptions): string | undefined {
  let names: readonly unknown[];
  switch (options.type) {
    case 'uri':
      return undefined;
    case 'header':
      names = [options.header ?? DEFAULT_VERSION_HEADER];
      break;
    case 'media-type':
      return 'accept';
    case 'custom':
      if (options.vary === undefined) return undefined;
      if (!Array.isArray(options.vary) || options.vary.length === 0) {
        throw new HttpError('HTTP_ERR_INVALID_OPTIONS', 'versioning.vary must be a non-empty array of header names');
      }
      names = options.vary;
      break;
  }
  for (const name of names) {
    if (typeof name !== 'string' || !FIELD_NAME.test(name)) {
      throw new HttpError('HTTP_ERR_INVALID_OPTIONS', `versioning ${options.type === 'header' ? 'header' : 'vary'} must be HTTP header names (RFC 9110 tokens), got ${JSON.stringify(String(name))}`);
    }
  }
  return [...new Set(names.map((name) => (name as string).toLowerCase()))].join(', ');
}

function clean(value: unknown): string | undefined {
  return typeof value === 'string' && isValidVersion(value) ? value : undefined;
}

interface ConstraintStore<S> {
  get(version: string): S | null;
  set(version: string, store: S): void;
}

/**
 * A find-my-way constraint strategy routing by API version. Version-neutral
 * routes carry no constraint and match any version (`mustMatchWhenDerived: false`).
 * A throwing custom `extract()` counts as "no version": find-my-way calls
 * `deriveConstraint` while routing, where nothing catches, so one request would
 * otherwise crash the process. `report` gets the error (to log it; it is never
 * rendered to the client, its message may carry secrets).
 * @example
 * Fastify({ constraints: { [VERSION_CONSTRAINT]: versionConstraint({ type: 'header', defaultVersion: '1' }, (err) => log.warn({ err })) } });
 */
export function versionConstraint(options: VersioningOptions, report: (error: unknown) => void) {
  const extract = versionExtractor(options);
  const fallback = options.defaultVersion;
  return {
    name: VERSION_CONSTRAINT,
    mustMatchWhenDerived: false,
    storage<S>(): ConstraintStore<S> {
      const stores = new Map<string, S>();
      return { get: (version) => stores.get(version) ?? null, set: (version, store) => void stores.set(version, store) };
    },
    deriveConstraint(req: IncomingMessage): string | undefined {
      let version: string | undefined;
      try {
        version = extract(req);
      } catch (error) {
        report(error);
      }
      return version ?? fallback;
    },
    // Required by Fastify's option schema; route versions were already checked by compileRoutes.
    validate(): void {},
  };
}
