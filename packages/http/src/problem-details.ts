/**
 * Turns anything a handler, hook or Fastify itself throws into an RFC 9457
 * problem document. Unknown values become a 500 whose body says nothing about
 * the failure in production: messages and stacks leak paths, SQL and secrets.
 */
import { HTTP_ERRORS, codeForStatus } from './errors.ts';
import type { HttpErrorCode } from './errors.ts';
import { HttpException, ValidationException } from './exceptions.ts';
import type { InvalidField } from './exceptions.ts';

/** RFC 9457 media type of every error response. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/**
 * The body of every Rampart error response.
 * @example
 * const p: Problem = { type: 'urn:rampart:problem:HTTP_ERR_NOT_FOUND', title: 'Not Found', status: 404,
 *   detail: 'no route GET /nope', instance: '/nope', code: 'HTTP_ERR_NOT_FOUND', requestId: 'req-1' };
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  [extension: string]: unknown;
}

/** What the caller knows about the failed request. */
export interface ProblemContext {
  requestId: string;
  /** Request path (query string already removed: it may carry tokens). */
  instance: string;
  /** Production hides messages of unknown errors. */
  production: boolean;
  /** Prefix of the problem `type` URI. */
  typeBase: string;
}

/** A rendered problem: what to send and how loudly to log. */
export interface RenderedProblem {
  body: Problem;
  headers: Readonly<Record<string, string>>;
  /** True when the failure is ours (5xx): logged at error level with the full error. */
  serverFault: boolean;
}

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'requestId', '__proto__', 'constructor', 'prototype']);
const HIDDEN_DETAIL = 'An unexpected error occurred.';

/**
 * Renders any thrown value as a problem document.
 * @example
 * renderProblem(new NotFoundException('no user 7'), ctx).body.status; // 404
 */
export function renderProblem(error: unknown, ctx: ProblemContext): RenderedProblem {
  const exception = normalize(error, ctx.production);
  const body: Problem = {
    type: exception.type ?? ctx.typeBase + exception.code,
    title: exception.title,
    status: exception.status,
    detail: exception.message === '' ? exception.title : exception.message,
    instance: ctx.instance,
    code: exception.code,
    requestId: ctx.requestId,
  };
  for (const key of Object.keys(exception.extensions)) {
    if (!RESERVED.has(key)) body[key] = exception.extensions[key];
  }
  return { body, headers: exception.headers, serverFault: exception.status >= 500 };
}

/** Maps a thrown value to an HttpException, keeping the original as `cause`. */
export function normalize(error: unknown, production: boolean): HttpException {
  if (error instanceof HttpException) return error;
  if (isBrandedException(error)) return rebrand(error, production);
  const framework = fromFramework(error);
  if (framework !== undefined) return framework;
  const detail = production ? HIDDEN_DETAIL : devDetail(error);
  return new HttpException(500, detail, { cause: error }, 'HTTP_ERR_INTERNAL');
}

function devDetail(error: unknown): string {
  if (error instanceof Error) return error.message === '' ? HIDDEN_DETAIL : error.message;
  return `Non-error value thrown: ${typeof error}`;
}

// An HttpException from another installed copy of @rampart/http.
function isBrandedException(error: unknown): error is HttpException {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Partial<HttpException>;
  return e[Symbol.for('rampart.error') as never] === true && typeof e.code === 'string' && validStatus(e.status);
}

// A branded error that is not our HttpException: another copy of this package,
// or an internal HttpError. Server-side messages stay hidden in production.
// A registry code keeps its registry title and category (HTTP_ERR_RESPONSE_VALIDATION
// is "Response Validation Failed", not the 500 reason phrase); a foreign copy's `type` is kept.
function rebrand(e: HttpException, production: boolean): HttpException {
  const ext = typeof e.extensions === 'object' && e.extensions !== null ? e.extensions : {};
  const headers = typeof e.headers === 'object' && e.headers !== null ? e.headers : {};
  const detail = production && e.status >= 500 ? HIDDEN_DETAIL : String(e.message);
  const type = typeof e.type === 'string' ? e.type : undefined;
  const options = { cause: e, extensions: ext, headers, type };
  if (isRegistryCode(e.code) && HTTP_ERRORS[e.code].status === e.status) return new HttpException(e.status, detail, options, e.code);
  return new HttpException(e.status, detail, { ...options, code: e.code });
}

function isRegistryCode(code: string): code is HttpErrorCode {
  return Object.hasOwn(HTTP_ERRORS, code);
}

function validStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599;
}

interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  validation?: unknown;
  validationContext?: unknown;
}

// Fastify reports parser, limit and schema failures as errors with a
// `statusCode` and an `FST_*` code; we give them stable HTTP_ERR_* codes.
function fromFramework(error: unknown): HttpException | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as FrameworkError;
  if (Array.isArray(e.validation)) return fromValidation(e.validation as AjvIssue[], typeof e.validationContext === 'string' ? e.validationContext : 'body', error);
  if (!validStatus(e.statusCode) || e.statusCode >= 500) return undefined;
  const code = frameworkCode(e, error.message);
  const safe = typeof e.code === 'string' && e.code.startsWith('FST_');
  const detail = safe ? error.message : HTTP_ERRORS[code].title;
  return new HttpException(e.statusCode, detail, { cause: error }, code);
}

function frameworkCode(e: FrameworkError, message: string): HttpErrorCode {
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'HTTP_ERR_PAYLOAD_TOO_LARGE';
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'HTTP_ERR_UNSUPPORTED_MEDIA_TYPE';
  if (/forbidden (prototype|constructor) property/i.test(message)) return 'HTTP_ERR_PROTO_POISONING';
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'HTTP_ERR_MALFORMED_JSON';
  return codeForStatus(e.statusCode as number);
}

/** One ajv error object, as Fastify puts them in `error.validation`. */
export interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/**
 * The invalid fields of one request part, from its ajv errors.
 * @example
 * invalidFields([{ instancePath: '', keyword: 'required', params: { missingProperty: 'sort' } }], 'querystring');
 * // [{ in: 'querystring', pointer: '/sort', keyword: 'required', message: 'is invalid' }]
 */
export function invalidFields(issues: readonly AjvIssue[], where: string): InvalidField[] {
  return issues.map((issue) => {
    const base = issue.instancePath ?? '';
    const missing = issue.params?.missingProperty;
    const pointer = issue.keyword === 'required' && typeof missing === 'string' ? `${base}/${escapePointer(missing)}` : base;
    return { in: where, pointer, keyword: issue.keyword ?? 'unknown', message: issue.message ?? 'is invalid' };
  });
}

function fromValidation(issues: AjvIssue[], where: string, cause: Error): ValidationException {
  return new ValidationException(invalidFields(issues, where), { cause });
}

// RFC 6901: `~` and `/` inside a member name are escaped.
function escapePointer(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}
