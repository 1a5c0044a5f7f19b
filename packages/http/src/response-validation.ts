/**
 * Optional validation of response bodies against `schema.response`. Fastify
 * only uses response schemas to serialize (unknown properties are dropped,
 * wrong types coerced); validating catches handlers that break their own
 * contract before clients do. Costs one ajv call per response, hence opt-in.
 */
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.ts';
import type { JsonSchema } from './schema-types.ts';

type PreSerialization = (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown>;

/** The checks of one route. */
export interface RouteResponseCheck {
  /** Fastify hook: objects (and `null`), before they are serialized. */
  readonly preSerialization: PreSerialization;
  /**
   * Strings and Buffers, which Fastify sends without running preSerialization:
   * called with what is passed to `reply.send()`; the error to send instead, if any.
   */
  readonly raw: (reply: FastifyReply, payload: unknown) => HttpError | undefined;
}

/** Compiles per-route response validators. */
export interface ResponseValidator {
  /** The checks of a route, or `undefined` when it declares no response schema. */
  forRoute(response: Readonly<Record<string | number, JsonSchema>> | undefined): RouteResponseCheck | undefined;
}

function pick<T>(byStatus: ReadonlyMap<string, T>, status: number): T | undefined {
  const key = String(status);
  return byStatus.get(key) ?? byStatus.get(`${key.charAt(0)}xx`) ?? byStatus.get('default');
}

// undefined = valid (or nothing to check), else the failure.
function violation(byStatus: ReadonlyMap<string, ValidateFunction>, status: number, payload: unknown): HttpError | undefined {
  if (status >= 400) return undefined;
  const validate = pick(byStatus, status);
  if (validate === undefined || validate(payload)) return undefined;
  // Stryker disable next-line LogicalOperator,ArrayDeclaration: ajv sets `errors` whenever validate() returns false
  const issues = validate.errors ?? [];
  // ajv fills `message` unless created with `messages: false`
  const where = issues.map((e) => `${e.instancePath || '/'} ${String(e.message)}`).join('; ');
  return new HttpError('HTTP_ERR_RESPONSE_VALIDATION', `Response does not match its schema: ${where}`);
}

// A string or Buffer body is checked as the value it carries: parsed when it is
// declared JSON, else the text itself (a `{ type: 'string' }` schema accepts it).
function rawValue(reply: FastifyReply, payload: string | Buffer): { value: unknown } | undefined {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  const type = reply.getHeader('content-type');
  if (typeof type !== 'string' || !type.includes('json')) return { value: text };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    // Not JSON although declared JSON: reported as a violation by the caller.
    return undefined;
  }
}

/**
 * A validator factory sharing one ajv instance. `shared` are the schemas added
 * with Fastify's `addSchema` (`server.app.getSchemas()`), keyed by `$id`: a
 * response schema may `$ref` them as route schemas do.
 * @example
 * const check = createResponseValidator().forRoute({ 200: { type: 'object' } });
 */
export function createResponseValidator(shared: Readonly<Record<string, unknown>> = {}): ResponseValidator {
  // Formats are not checked: Fastify's serializer already shapes them, and
  // strict format checking here would reject schemas that Fastify accepts.
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    // Stryker disable next-line BooleanLiteral: without ajv-formats, true only logs "unknown format ignored" (strict is off)
    validateFormats: false,
  });
  // Without them, a response schema with `{ $ref: 'User#' }` (valid for Fastify, which
  // resolves it against its own shared schemas) failed to compile and listen() rejected.
  for (const schema of Object.values(shared)) ajv.addSchema(schema as JsonSchema);
  return {
    forRoute(response) {
      if (response === undefined) return undefined;
      const byStatus = new Map<string, ValidateFunction>();
      for (const [status, schema] of Object.entries(response)) byStatus.set(status.toLowerCase(), ajv.compile(schema));
      return {
        preSerialization: async (_request, reply, payload) => {
          const failure = violation(byStatus, reply.statusCode, payload);
          if (failure !== undefined) throw failure;
          return payload;
        },
        raw: (reply, payload) => {
          if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return undefined;
          if (reply.statusCode >= 400 || pick(byStatus, reply.statusCode) === undefined) return undefined;
          const parsed = rawValue(reply, payload);
          if (parsed === undefined) return new HttpError('HTTP_ERR_RESPONSE_VALIDATION', 'Response does not match its schema: body declared JSON is not JSON');
          return violation(byStatus, reply.statusCode, parsed.value);
        },
      };
    },
  };
}
