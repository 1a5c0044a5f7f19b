/**
 * API versioning. URI versioning is a path prefix (`/v2/users`); header,
 * media-type and custom versioning are a find-my-way constraint, so Fastify's
 * router picks the route for the requested version and each version keeps its
 * own schemas, validation and serializer.
 */
import type { IncomingMessage } from 'node:http';
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
}

/** How the API version of a request is determined. */
export type VersioningOptions = UriVersioning | HeaderVersioning | MediaTypeVersioning | CustomVersioning;

/** Name of the Fastify route constraint carrying the API version. */
export const VERSION_CONSTRAINT = 'rampartVersion';

// Versions are map keys and appear in paths and OpenAPI file names.
const VERSION_SHAPE = /^[A-Za-z0-9._-]{1,32}$/;

/** True for a version label we accept (`1`, `2024-10-01`, `2.1`). */
export function isValidVersion(version: string): boolean {
  return VERSION_SHAPE.test(version);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

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
      const name = (options.header ?? 'x-api-version').toLowerCase();
      return (req) => clean(req.headers[name]);
    }
    case 'media-type': {
      const vendor = options.vendor === undefined ? '[A-Za-z0-9.-]+?' : escapeRegExp(options.vendor);
      const key = escapeRegExp(options.key ?? 'v');
      const pattern = new RegExp(`vnd\\.${vendor}\\.v([A-Za-z0-9._-]{1,32})\\+json|;\\s*${key}=([A-Za-z0-9._-]{1,32})`, 'i');
      return (req) => {
        const accept = req.headers.accept;
        // Stryker disable next-line ConditionalExpression: exec(undefined) tests 'undefined', which never matches; kept for clarity
        if (accept === undefined) return undefined;
        const match = pattern.exec(accept);
        return match === null ? undefined : (match[1] ?? match[2]);
      };
    }
    case 'custom':
      return (req) => clean(options.extract(req));
  }
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
 * @example
 * Fastify({ constraints: { [VERSION_CONSTRAINT]: versionConstraint({ type: 'header', defaultVersion: '1' }) } });
 */
export function versionConstraint(options: VersioningOptions) {
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
      return extract(req) ?? fallback;
    },
    // Required by Fastify's option schema; route versions were already checked by compileRoutes.
    validate(): void {},
  };
}
