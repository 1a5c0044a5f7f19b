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

/** Compiles per-route response validators. */
export interface ResponseValidator {
  /** The hook for a route, or `undefined` when it declares no response schema. */
  forRoute(response: Readonly<Record<string | number, JsonSchema>> | undefined): PreSerialization | undefined;
}

function pick<T>(byStatus: ReadonlyMap<string, T>, status: number): T | undefined {
  const key = String(status);
  return byStatus.get(key) ?? byStatus.get(`${key.charAt(0)}xx`) ?? byStatus.get('default');
}

/**
 * A validator factory sharing one ajv instance.
 * @example
 * const hook = createResponseValidator().forRoute({ 200: { type: 'object' } });
 */
export function createResponseValidator(): ResponseValidator {
  // Formats are not checked: Fastify's serializer already shapes them, and
  // strict format checking here would reject schemas that Fastify accepts.
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    // Stryker disable next-line BooleanLiteral: without ajv-formats, true only logs "unknown format ignored" (strict is off)
    validateFormats: false,
  });
  return {
    forRoute(response) {
      if (response === undefined) return undefined;
      const byStatus = new Map<string, ValidateFunction>();
      for (const [status, schema] of Object.entries(response)) byStatus.set(status.toLowerCase(), ajv.compile(schema));
      return async (_request, reply, payload) => {
        if (reply.statusCode >= 400) return payload;
        const validate = pick(byStatus, reply.statusCode);
        if (validate === undefined || validate(payload)) return payload;
        // Stryker disable next-line LogicalOperator,ArrayDeclaration: ajv sets `errors` whenever validate() returns false
        const issues = validate.errors ?? [];
        // ajv fills `message` unless created with `messages: false`
        const where = issues.map((e) => `${e.instancePath || '/'} ${String(e.message)}`).join('; ');
        throw new HttpError('HTTP_ERR_RESPONSE_VALIDATION', `Response does not match its schema: ${where}`);
      };
    },
  };
}
