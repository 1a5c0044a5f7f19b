/**
 * The shape of an API version label. Versions are map keys and appear in
 * paths and OpenAPI file names, so only a short, path-safe alphabet is accepted.
 */
const VERSION_SHAPE = /^[A-Za-z0-9._-]{1,32}$/;

/** Longest version label accepted. */
export const MAX_VERSION_LENGTH = 32;

/**
 * True for a version label we accept (`1`, `2024-10-01`, `2.1`).
 * @example
 * isValidVersion('2024-10-01'); // true
 */
export function isValidVersion(version: string): boolean {
  return VERSION_SHAPE.test(version);
}
