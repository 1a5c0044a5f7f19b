/**
 * The one error registry of @rampart/http. Every code is stable: users match on
 * `code`, never on the message, and a retired code is never reused. Each entry
 * is documented in the README error table (a test enforces it).
 */

import { RampartError } from '@rampart/core';
import type { ErrorCategory } from '@rampart/core';

/** Error categories used here: the core taxonomy plus `client` (the caller's mistake). */
export type HttpErrorCategory = Extract<ErrorCategory, 'config' | 'validation' | 'dependency' | 'lifecycle' | 'security' | 'internal'> | 'client';

interface ErrorSpec {
  readonly status: number;
  readonly title: string;
  readonly category: HttpErrorCategory;
}

/**
 * Every `HTTP_ERR_*` code with its HTTP status, RFC 9457 title and category.
 * @example
 * HTTP_ERRORS.HTTP_ERR_NOT_FOUND.status; // 404
 */
export const HTTP_ERRORS = {
  HTTP_ERR_BAD_REQUEST: { status: 400, title: 'Bad Request', category: 'client' },
  HTTP_ERR_VALIDATION: { status: 400, title: 'Validation Failed', category: 'validation' },
  HTTP_ERR_MALFORMED_JSON: { status: 400, title: 'Malformed JSON', category: 'validation' },
  HTTP_ERR_PROTO_POISONING: { status: 400, title: 'Forbidden Prototype Property', category: 'security' },
  HTTP_ERR_UNAUTHORIZED: { status: 401, title: 'Unauthorized', category: 'security' },
  HTTP_ERR_FORBIDDEN: { status: 403, title: 'Forbidden', category: 'security' },
  HTTP_ERR_NOT_FOUND: { status: 404, title: 'Not Found', category: 'client' },
  HTTP_ERR_METHOD_NOT_ALLOWED: { status: 405, title: 'Method Not Allowed', category: 'client' },
  HTTP_ERR_REQUEST_TIMEOUT: { status: 408, title: 'Request Timeout', category: 'client' },
  HTTP_ERR_CONFLICT: { status: 409, title: 'Conflict', category: 'client' },
  HTTP_ERR_GONE: { status: 410, title: 'Gone', category: 'client' },
  HTTP_ERR_PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload Too Large', category: 'security' },
  HTTP_ERR_URI_TOO_LONG: { status: 414, title: 'URI Too Long', category: 'client' },
  HTTP_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported Media Type', category: 'client' },
  HTTP_ERR_UNPROCESSABLE_ENTITY: { status: 422, title: 'Unprocessable Entity', category: 'validation' },
  HTTP_ERR_HEADERS_TOO_LARGE: { status: 431, title: 'Request Header Fields Too Large', category: 'security' },
  HTTP_ERR_TOO_MANY_REQUESTS: { status: 429, title: 'Too Many Requests', category: 'security' },
  HTTP_ERR_INTERNAL: { status: 500, title: 'Internal Server Error', category: 'internal' },
  HTTP_ERR_RESPONSE_VALIDATION: { status: 500, title: 'Response Validation Failed', category: 'internal' },
  HTTP_ERR_SERVICE_UNAVAILABLE: { status: 503, title: 'Service Unavailable', category: 'dependency' },
  HTTP_ERR_INVALID_OPTIONS: { status: 500, title: 'Invalid HTTP Options', category: 'config' },
  HTTP_ERR_INVALID_CONTROLLER: { status: 500, title: 'Invalid Controller', category: 'config' },
  HTTP_ERR_DUPLICATE_ROUTE: { status: 500, title: 'Duplicate Route', category: 'config' },
  HTTP_ERR_ALREADY_LISTENING: { status: 500, title: 'Server Already Listening', category: 'lifecycle' },
  HTTP_ERR_DRAIN_TIMEOUT: { status: 500, title: 'Drain Timeout', category: 'lifecycle' },
  HTTP_ERR_LISTEN_ABORTED: { status: 500, title: 'Listen Aborted', category: 'lifecycle' },
} as const satisfies Record<string, ErrorSpec>;

/** A stable @rampart/http error code. */
export type HttpErrorCode = keyof typeof HTTP_ERRORS;

/** Options accepted by {@link HttpError} and the exception classes. */
export interface HttpErrorOptions {
  /** The underlying error; never rendered to clients, always logged. */
  cause?: unknown;
}

/**
 * Errors this package throws about itself (bad options, lifecycle misuse,
 * response contract violations): a core `RampartError` with an `HTTP_ERR_*` code.
 * @example
 * throw new HttpError('HTTP_ERR_INVALID_OPTIONS', 'bodyLimit must be a positive integer');
 */
export class HttpError extends RampartError {
  declare readonly status: number;
  declare readonly code: HttpErrorCode;

  constructor(code: HttpErrorCode, message: string, options: HttpErrorOptions = {}) {
    const spec: ErrorSpec = HTTP_ERRORS[code];
    super(code, message, { category: spec.category, status: spec.status, cause: options.cause });
  }
}

const BY_STATUS = new Map<number, HttpErrorCode>();
for (const code of Object.keys(HTTP_ERRORS) as HttpErrorCode[]) {
  const { status } = HTTP_ERRORS[code];
  if (!BY_STATUS.has(status)) BY_STATUS.set(status, code);
}

/** The first registry code for a status (`404` → `HTTP_ERR_NOT_FOUND`), if the registry has one. */
export function registryCode(status: number): HttpErrorCode | undefined {
  return BY_STATUS.get(status);
}

/** The registry code for a status, else the generic client or server code (`418` → `HTTP_ERR_BAD_REQUEST`). */
export function codeForStatus(status: number): HttpErrorCode {
  // Stryker disable next-line EqualityOperator: 500 itself is in BY_STATUS, so `>` and `>=` agree
  return registryCode(status) ?? (status >= 500 ? 'HTTP_ERR_INTERNAL' : 'HTTP_ERR_BAD_REQUEST');
}
