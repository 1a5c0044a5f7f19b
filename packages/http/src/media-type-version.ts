/**
 * Reads the API version from an `Accept` header: `application/vnd.<vendor>.v<version>+json`
 * or a media type parameter (`application/json; v=2`).
 *
 * Parsed by hand, not with one regex over the whole header: a pattern with a lazy
 * vendor (`vnd\.[A-Za-z0-9.-]+?\.v…`) backtracks quadratically on hostile input
 * (`vnd.` × 4000 took over a second per request). Here every step is a split,
 * an indexOf or an anchored regex with a single character class, so the work
 * is linear in the bytes examined, and only the first {@link ACCEPT_SCAN_LIMIT}
 * bytes are examined.
 */
import { isValidVersion, MAX_VERSION_LENGTH } from './version-label.ts';

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
    const version = vndVersion(type.trim(), vendor) ?? paramVersion(params, key);
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
  const middle = subtype.slice(4, -5);
  const lowerMiddle = lower.slice(4, -5);
  if (vendor !== undefined) {
    const prefix = `${vendor}.v`;
    return lowerMiddle.startsWith(prefix) ? valid(middle.slice(prefix.length)) : undefined;
  }
  // Any vendor: the first `.v` that leaves a valid vendor before it and a valid version after
  // it. A version has at most MAX_VERSION_LENGTH characters, so only the last few `.v` can
  // qualify: a bounded number of candidates, each checked in linear time.
  const first = Math.max(1, middle.length - MAX_VERSION_LENGTH - 2);
  for (let at = lowerMiddle.indexOf('.v', first); at !== -1; at = lowerMiddle.indexOf('.v', at + 1)) {
    const version = middle.slice(at + 2);
    if (isValidVersion(version) && VENDOR.test(lowerMiddle.slice(0, at))) return version;
  }
  return undefined;
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
