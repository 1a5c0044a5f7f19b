/**
 * The small part of SemVer 2.0.0 that module compatibility needs: parse,
 * compare (prerelease rules of spec section 11) and the caret range
 * `^min` that "minimum core version" means.
 */

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: readonly (string | number)[];
}

// Section 2 and 9 of semver.org: no leading zeros, dot-separated identifiers.
const PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;

/** Parses `1.2.3`, `1.2.3-rc.1`, `1.2.3+build`; undefined when not valid SemVer. */
export function parseSemVer(text: string): SemVer | undefined {
  const m = PATTERN.exec(text);
  if (m === null) return undefined;
  const pre = m[4] === undefined ? [] : m[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id));
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: pre };
}

function compareIds(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** -1, 0 or 1 by SemVer precedence (build metadata ignored). */
export function compareSemVer(a: SemVer, b: SemVer): number {
  const core = Math.sign(a.major - b.major) || Math.sign(a.minor - b.minor) || Math.sign(a.patch - b.patch);
  if (core !== 0) return core;
  // A release ranks above its prereleases: with one side empty, the longer list loses.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return Math.sign(b.prerelease.length - a.prerelease.length);
  const n = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i += 1) {
    const c = compareIds(a.prerelease[i] as string | number, b.prerelease[i] as string | number);
    if (c !== 0) return c;
  }
  return Math.sign(a.prerelease.length - b.prerelease.length);
}

/**
 * Caret compatibility: `actual` is at least `minimum` and makes no breaking
 * change from it (same major; for 0.x the same minor, as npm's `^`).
 */
export function satisfiesMinimum(actual: SemVer, minimum: SemVer): boolean {
  if (compareSemVer(actual, minimum) < 0) return false;
  if (actual.major !== minimum.major) return false;
  return minimum.major !== 0 || actual.minor === minimum.minor;
}
