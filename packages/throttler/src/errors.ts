/**
 * The one error registry of @rampart/throttler. Codes are stable API: users
 * match on `code`, never on the message, and a retired code is never reused.
 */

/** Categories from the Rampart error taxonomy. */
export type ErrorCategory = 'config' | 'validation' | 'dependency' | 'lifecycle' | 'security';

interface CodeSpec {
  readonly message: string;
  readonly category: ErrorCategory;
  readonly status?: number;
}

/** Every code this package can raise, with its documented meaning. */
export const THROTTLE_ERRORS = {
  THROTTLE_ERR_INVALID_POLICY: { message: 'A rate-limit policy is invalid', category: 'config' },
  THROTTLE_ERR_INVALID_OPTION: { message: 'A throttler option is invalid', category: 'config' },
  THROTTLE_ERR_INVALID_COST: { message: 'The request cost is invalid', category: 'validation', status: 400 },
  THROTTLE_ERR_INVALID_KEY: { message: 'The rate-limit key is invalid', category: 'validation', status: 400 },
  THROTTLE_ERR_INVALID_CIDR: { message: 'An IP range is not valid CIDR notation', category: 'config' },
  THROTTLE_ERR_PERMISSIVE_TRUST_PROXY: {
    message: 'Trusting every proxy lets any client spoof its address; set acknowledgePermissive to accept this',
    category: 'security',
  },
  THROTTLE_ERR_STORE_DOWN: { message: 'The rate-limit store is unavailable', category: 'dependency', status: 503 },
  THROTTLE_ERR_STORE_TIMEOUT: { message: 'The rate-limit store did not answer in time', category: 'dependency', status: 503 },
  THROTTLE_ERR_STORE_REPLY: { message: 'The rate-limit store sent a malformed reply', category: 'dependency', status: 503 },
  THROTTLE_ERR_CLOSED: { message: 'The throttler is closed', category: 'lifecycle' },
} as const satisfies Record<string, CodeSpec>;

/** A stable error code of this package. */
export type ThrottleErrorCode = keyof typeof THROTTLE_ERRORS;

const BRAND = Symbol.for('rampart.error');

/**
 * The error type of @rampart/throttler: a stable `code`, a category, an HTTP
 * status where one applies, and the `cause` it wraps.
 * @example
 * try { parseCidrs(['10.0.0.0/33']); }
 * catch (err) { if (isThrottleError(err) && err.code === 'THROTTLE_ERR_INVALID_CIDR') ... }
 */
export class ThrottleError extends Error {
  readonly code: ThrottleErrorCode;
  readonly category: ErrorCategory;
  readonly status: number | undefined;

  constructor(code: ThrottleErrorCode, detail?: string, options?: { cause?: unknown }) {
    const spec: CodeSpec = THROTTLE_ERRORS[code];
    super(detail === undefined ? spec.message : `${spec.message}: ${detail}`, options);
    this.name = 'ThrottleError';
    this.code = code;
    this.category = spec.category;
    this.status = spec.status;
    // Branded through the global symbol registry so checks survive two installed copies.
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for any throttler error, even one thrown by another installed copy.
 * @example
 * if (isThrottleError(err)) log.warn({ code: err.code });
 */
export function isThrottleError(value: unknown): value is ThrottleError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code.startsWith('THROTTLE_ERR_')
  );
}
