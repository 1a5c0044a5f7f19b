/**
 * Reads the API version from an `Accept` header: `application/vnd.<vendor>.v<version>+json`
 * or a media type parameter (`application/json; v=2`).
 *
 * The version is what follows the LAST `.v` of the vnd subtype: a vendor may itself hold
 * `v`, dots and `.v` (`vnd.acme.vision.v2` is vendor `acme.vision`, version `2`), while a
 * version label with `.v` inside cannot be told apart from a vendor and must use the
 * parameter form. Within one media range an explicit parameter wins over the vnd form
 * (`application/vnd.acme.vision+json; v=2` is version `2`).
 *
 * Parsed by hand, not with one regex over the whole header: a pattern with a lazy
 * vendor (`vnd\.[A-Za-z0-9.-]+?\.v…`) backtracks quadratically on hostile input
 * (`vnd.` × 4000 took over a second per request). Here every step is a split,
 * an indexOf or an anchored regex with a single character class, so the work
 * is linear in the bytes examined, and only the first {@link ACCEPT_SCAN_LIMIT}
 * bytes are examined.
 */
import { isValidVersion } from './version-label.ts';

/** Bytes of `Accept` examined; a versioned media range after them is not seen. */
export const ACCEPT_SCAN_LIMIT = 1024;

// Anchored, one class, no alternation: cannot backtrack.
const VENDOR = /^[a-z0-9.-]+$/;

/**
 * The version named by the first media range that names one, else `undefined`.
 * `vendor` (lowercase) restricts the vnd form to that vendor; `key` (lowercase)
 * is the parameter name.
 * @example
 * mediaTypeVersion('text/html, application/vnd.acme.v2+json', undefined, 'v'); // '2'
 */
export function mediaTypeVersion(accept: string, vendor: string | undefined, key: string): string | undefined {
  for (const range of accept.slice(0, ACCEPT_SCAN_LIMIT).split(',')) {
    const [type = '', ...params] = range.split(';');
    const version = paramVersion(params, key) ?? vndVersion(type.trim(), vendor);
    if (version !== undefined) return version;
  }
  return undefined;
}

// `application/vnd.acme.v2+json` → '2'. Matching is case-insensitive; the version keeps its case.
function vndVersion(mediaType: string, vendor: string | undefined): string | undefined {
  const subtype = mediaType.slice(mediaType.indexOf('/') + 1);
  // Header values are latin1 strings, where toLowerCase keeps every index.
  const lower = subtype.toLowerCase();
  if (!lower.startsWith('vnd.') || !lower.endsWith('+json')) return undefined;
  const lowerMiddle = lower.slice(4, -5);
  // The last `.v`, not the first: the first `.v` of `acme.vision.v2` is inside the vendor
  // (which made the version `ision.v2`). One lastIndexOf: linear, cannot be made to backtrack.
  const at = lowerMiddle.lastIndexOf('.v');
  if (at === -1) return undefined;
  const name = lowerMiddle.slice(0, at);
  if (vendor === undefined ? !VENDOR.test(name) : name !== vendor) return undefined;
  return valid(subtype.slice(4 + at + 2, -5));
}

// `; v=2` → '2' (parameter names are case-insensitive, RFC 9110 §5.6.6).
function paramVersion(params: readonly string[], key: string): string | undefined {
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq !== -1 && param.slice(0, eq).trim().toLowerCase() === key) return valid(param.slice(eq + 1).trim());
  }
  return undefined;
}

function valid(version: string): string | undefined {
  return isValidVersion(version) ? version : undefined;
}
