/**
 * Deprecation signalling: `Deprecation` (RFC 9745, a Structured Fields date
 * `@<epoch seconds>`), `Sunset` (RFC 8594, an IMF-fixdate) and `Link` headers
 * pointing at the migration guide. Headers are computed once per route at
 * registration, not per request.
 */
import type { DeprecationSpec } from './types.ts';

/** Precomputed response headers for a deprecated route. */
export interface DeprecationHeaders {
  readonly headers: Readonly<Record<string, string>>;
  /** Epoch ms after which the route answers 410, if any. */
  readonly sunsetAt: number | undefined;
  readonly link: string | undefined;
}

/**
 * Headers that announce a deprecation, or `undefined` when `spec` is absent.
 * @example
 * deprecationHeaders({ since: new Date(0), sunset: new Date(86_400_000) })?.headers;
 * // { deprecation: '@0', sunset: 'Fri, 02 Jan 1970 00:00:00 GMT' }
 */
export function deprecationHeaders(spec: DeprecationSpec | undefined): DeprecationHeaders | undefined {
  if (spec === undefined) return undefined;
  const headers: Record<string, string> = {};
  // RFC 9745 defines the value as an sf-date only (the draft's `?1` is gone),
  // which is why `since` is mandatory.
  headers.deprecation = `@${Math.floor(spec.since.getTime() / 1000)}`;
  if (spec.sunset !== undefined) headers.sunset = spec.sunset.toUTCString();
  const links: string[] = [];
  if (spec.link !== undefined) {
    links.push(`<${spec.link}>; rel="deprecation"; type="text/html"`);
    if (spec.sunset !== undefined) links.push(`<${spec.link}>; rel="sunset"; type="text/html"`);
  }
  if (links.length > 0) headers.link = links.join(', ');
  return { headers, sunsetAt: spec.sunset?.getTime(), link: spec.link };
}
