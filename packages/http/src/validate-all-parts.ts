/**
 * Fastify validates params, then body, then querystring, then headers, and
 * stops at the first part that fails (lib/validation.js), so a request wrong in
 * several places would be answered one part at a time. On that error path, and
 * only there, the parts Fastify did not reach are run through the route's own
 * compiled validators, so one 400 lists every invalid field. A successful
 * request never gets here: it costs nothing on the hot path.
 */
import type { FastifyRequest } from 'fastify';
import { ValidationException } from './exceptions.ts';
import type { InvalidField } from './exceptions.ts';
import { invalidFields } from './problem-details.ts';
import type { AjvIssue } from './problem-details.ts';

type Part = 'params' | 'body' | 'querystring' | 'headers';

// Fastify's order: every part before the failed one was validated and passed.
const FASTIFY_ORDER: readonly Part[] = ['params', 'body', 'querystring', 'headers'];
// Order of the listed fields: the request as written, URL first, body last.
const LISTED_ORDER: readonly Part[] = ['params', 'querystring', 'headers', 'body'];
// The request property each part lives in (and the parentDataProperty Fastify gives ajv).
const PROPERTY = { params: 'params', body: 'body', querystring: 'query', headers: 'headers' } as const;

/** A compiled validator as Fastify calls it: ajv's, or a custom compiler's. */
interface PartValidator {
  (data: unknown, context?: { parentData: object; parentDataProperty: string }): unknown;
  errors?: unknown;
  schemaEnv?: unknown;
}

interface FastifyValidationError extends Error {
  validation: AjvIssue[];
  validationContext: Part;
}

function failedPart(error: unknown): error is FastifyValidationError {
  if (!(error instanceof Error)) return false;
  const e = error as Partial<FastifyValidationError>;
  return Array.isArray(e.validation) && FASTIFY_ORDER.includes(e.validationContext as Part);
}

// A body schema with `content` compiles to one validator per media type.
function validatorOf(request: FastifyRequest, part: Part): PartValidator | undefined {
  const compiled = request.getValidationFunction(part) as unknown as PartValidator | Readonly<Record<string, unknown>> | undefined;
  if (typeof compiled === 'function' || compiled === undefined) return compiled;
  const media = request.mediaType;
  // Object.hasOwn: the media type comes from the client (`__proto__` must not resolve).
  const byType = media !== undefined && Object.hasOwn(compiled, media) ? compiled[media] : undefined;
  return typeof byType === 'function' ? (byType as PartValidator) : undefined;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

// Mirrors Fastify's validateParam: the same data, and the parent so ajv's coercion lands on the request.
async function issuesOf(request: FastifyRequest, part: Part): Promise<readonly AjvIssue[]> {
  const validator = validatorOf(request, part);
  if (validator === undefined) return [];
  const key = PROPERTY[part];
  const value: unknown = request[key];
  const data = value === undefined ? null : value;
  try {
    const ret = validator.schemaEnv === undefined ? validator(data) : validator(data, { parentData: request, parentDataProperty: key });
    const result = isThenable(ret) ? await ret : ret;
    // A custom compiler's `{ error }` carries no field list: that part is not listed.
    return result === false && Array.isArray(validator.errors) ? (validator.errors as AjvIssue[]) : [];
  } catch (thrown) {
    // An `$async` ajv schema rejects with a ValidationError holding the issues.
    const issues = (thrown as { errors?: unknown } | null)?.errors;
    if (Array.isArray(issues)) return issues as AjvIssue[];
    // The request already fails with a 400; a broken validator is ours to fix, not the client's.
    request.log.error({ err: thrown, part }, 'validator threw while listing invalid fields');
    return [];
  }
}

/**
 * Completes a Fastify validation error with the invalid fields of the parts
 * Fastify did not validate. Anything else, and a failure confined to one part,
 * comes back unchanged.
 * @example
 * const error = await validateAllParts(fastifyError, request);
 * // ValidationException listing params, querystring, headers and body fields
 */
export async function validateAllParts(error: unknown, request: FastifyRequest): Promise<unknown> {
  if (!failedPart(error)) return error;
  const failed = error.validationContext;
  const fields = new Map<Part, InvalidField[]>([[failed, invalidFields(error.validation, failed)]]);
  for (const part of FASTIFY_ORDER.slice(FASTIFY_ORDER.indexOf(failed) + 1)) {
    const issues = await issuesOf(request, part);
    if (issues.length > 0) fields.set(part, invalidFields(issues, part));
  }
  if (fields.size === 1) return error;
  return new ValidationException(
    LISTED_ORDER.flatMap((part) => fields.get(part) ?? []),
    { cause: error },
  );
}
