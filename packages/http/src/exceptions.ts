/**
 * Exceptions a handler throws to answer with a specific status. Each one is
 * rendered as an RFC 9457 problem document by the error handler; `detail` is
 * meant for clients, `cause` is only logged.
 */
import { STATUS_CODES } from 'node:http';
import { RampartError } from '@rampart/core';
import { HTTP_ERRORS, HttpError, codeForStatus, registryCode } from './errors.ts';
import type { HttpErrorCategory, HttpErrorCode } from './errors.ts';

/** Options of every {@link HttpException}. */
export interface HttpExceptionOptions {
  /** A stable code of your own (`USERS_ERR_TAKEN`); defaults to the class code. */
  code?: string;
  /** Logged with the request id, never sent to the client. */
  cause?: unknown;
  /** Extra members of the problem document (`{ balance: 30 }`); reserved members cannot be overridden. */
  extensions?: Record<string, unknown>;
  /** Response headers to send with the problem (`Retry-After`, `WWW-Authenticate`, `Allow`). */
  headers?: Record<string, string>;
  /** Problem `type` URI; defaults to the server's `urn:rampart:problem:<code>`. */
  type?: string;
}

/**
 * An error that maps to one HTTP status and a client-safe `detail`.
 * @example
 * throw new HttpException(418, 'I am a teapot', { code: 'TEA_ERR_POT' });
 */
export class HttpException extends RampartError {
  declare readonly status: number;
  declare readonly category: HttpErrorCategory;
  readonly title: string;
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly type: string | undefined;

  constructor(status: number, detail?: string, options: HttpExceptionOptions = {}, base?: HttpErrorCode) {
    // An error response needs an error status: `new HttpException(302)` is a programming
    // mistake, reported with a stable code like every other misconfiguration.
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new HttpError('HTTP_ERR_INVALID_OPTIONS', `HttpException status must be an integer in 400..599, got ${String(status)}`);
    }
    // Without a code, a status the registry knows takes its code, title and category (429 →
    // HTTP_ERR_TOO_MANY_REQUESTS): clients match on `code` and `type`, which must agree with the status.
    const known = base ?? (options.code === undefined ? registryCode(status) : undefined);
    const spec = known === undefined ? undefined : HTTP_ERRORS[known];
    const code = options.code ?? base ?? codeForStatus(status);
    super(code, detail ?? '', { category: spec?.category ?? (status >= 500 ? 'internal' : 'client'), status, cause: options.cause });
    this.title = spec?.title ?? statusTitle(status);
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
    this.type = options.type;
  }
}

/** The reason phrase we use as problem `title` for a bare status (RFC 9110 names). */
export function statusTitle(status: number): string {
  // Stryker disable next-line EqualityOperator: 500 has a reason phrase, so `>` and `>=` agree
  return STATUS_CODES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/**
 * 400 BadRequest.
 * @example
 * throw new BadRequestException('cursor is not valid');
 */
export class BadRequestException extends HttpException {
  constructor(detail?: string, options?: HttpExceptionOptions) {
    super(400, detail, options, 'HTTP_ERR_BAD_REQUEST');
  }
}

/**
 * 401 Unauthorized.
 * @example
 * throw new UnauthorizedException('token expired', { headers: { 'www-authenticate': 'Bearer' } });
 */
export class UnauthorizedException extends HttpException {
  constructor(detail?: string, options?: HttpExceptionOptions) {
    super(401, detail, options, 'HTTP_ERR_UNAUTHORIZED');
  }
}

/**
 * 403 Forbidden.
 * @example
 * throw new ForbiddenException('admins only');
 */
export class ForbiddenException extends HttpException {
  constructor(detail?: string, options?: HttpExceptionOptions) {
    super(403, detail, options, 'HTTP_ERR_FORBIDDEN');
  }
}

/**
 * 404 NotFound.
 * @example
 * throw new NotFoundException(`no user ${id}`);
 */
export class NotFoundException extends HttpException {
  constructor(detail?: string, options?: HttpExceptionOptions) {
    super(404, detail, options, 'HTTP_ERR_NOT_FOUND');
  }
}

/**
 * 405 MethodNotAllowed.
 * @example
 * throw new MethodNotAllowedException('read only', { headers: { allow: 'GET' } });
 */
export class MethodNotAllowedException extends HttpException {
  constructor(detail?: string, options?: HttpExceptionOptions) {
    super(405, detail, options, 'HTTP_ERR_METHOD_NOT_ALLOWED');
  }
}

/**
 * 409 Conflict.
 * @example
 * throw new ConflictException('email already registered');
 */
export class ConflictException extends HttpException {
  constructor(detail?: string, options?: HttpExceptionOptions) {
    super(409, detail, options, 'HTTP_ERR_CONFLICT');
  }
}

/**
 * 410 Gone.
 * @example
 * throw new GoneException('v1 was retired');
 */
export class GoneException extends HttpException {
  constructor(detail?: string, options?: HttpExceptionOptions) {
    super(410, detail, options, 'HTTP_ERR_GONE');
  }
}

/**
 * 413 PayloadTooLarge.
 * @example
 * throw new PayloadTooLargeException('upload above 5 MiB');
 */
export class PayloadTooLargeException extends HttpException {
  constructor(detail?: string, options?: HttpExceptionOptions) {
    super(413, detail, options, 'HTTP_ERR_PAYLOAD_TOO_LARGE');
  }
}

/**
 * 422 UnprocessableEntity.
 * @example
 * throw new UnprocessableEntityException('end date before start date');
 */
export class UnprocessableEntityException extends HttpException {
  constructor(detail?: string, options?: HttpExceptionOptions) {
    super(422, detail, options, 'HTTP_ERR_UNPROCESSABLE_ENTITY');
  }
}

/**
 * 429 TooManyRequests.
 * @example
 * throw new TooManyRequestsException('slow down', { headers: { 'retry-after': '30' } });
 */
export class TooManyRequestsException extends HttpException {
  constructor(detail?: string, options?: HttpExceptionOptions) {
    super(429, detail, options, 'HTTP_ERR_TOO_MANY_REQUESTS');
  }
}

/**
 * 500 InternalServer.
 * @example
 * throw new InternalServerException(undefined, { cause: dbError });
 */
export class InternalServerException extends HttpException {
  constructor(detail?: string, options?: HttpExceptionOptions) {
    super(500, detail, options, 'HTTP_ERR_INTERNAL');
  }
}

/**
 * 503 ServiceUnavailable.
 * @example
 * throw new ServiceUnavailableException('database unreachable');
 */
export class ServiceUnavailableException extends HttpException {
  constructor(detail?: string, options?: HttpExceptionOptions) {
    super(503, detail, options, 'HTTP_ERR_SERVICE_UNAVAILABLE');
  }
}

/** One invalid field of a request, as listed in a validation problem. */
export interface InvalidField {
  /** Where the field lives: `body`, `params`, `querystring`, `headers`. */
  in: string;
  /** JSON Pointer to the field (`/email`, `/items/0/qty`); `''` for the whole part. */
  pointer: string;
  /** ajv keyword that failed (`required`, `type`, `format`). */
  keyword: string;
  /** Human-readable reason. */
  message: string;
}

/**
 * 400 with the list of invalid fields (`errors` member of the problem).
 * @example
 * throw new ValidationException([{ in: 'body', pointer: '/email', keyword: 'format', message: 'must be an email' }]);
 */
export class ValidationException extends HttpException {
  readonly errors: readonly InvalidField[];

  constructor(errors: readonly InvalidField[], options: HttpExceptionOptions = {}) {
    const n = errors.length;
    super(400, `${n} invalid field${n === 1 ? '' : 's'}`, { ...options, extensions: { ...options.extensions, errors } }, 'HTTP_ERR_VALIDATION');
    this.errors = errors;
  }
}
