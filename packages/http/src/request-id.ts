/**
 * Request ids: a client (or an upstream proxy) may send `X-Request-Id` to
 * correlate logs across services. The value ends up in response headers and
 * log lines, so it is accepted only when short and made of token characters;
 * anything else (CR/LF, quotes, JSON, 10 KB strings) is replaced by a fresh id.
 */
import { randomUUID } from 'node:crypto';

/** Longest incoming request id we accept (a UUID is 36, a W3C trace id 32). */
export const MAX_REQUEST_ID_LENGTH = 128;

// RFC 9110 token characters minus a few separators kept out of log formats; `+` also rejects ''.
const VALID = /^[A-Za-z0-9._~:+/=-]+$/;

/**
 * True when an incoming request id may be reused as is.
 * @example
 * isValidRequestId('0b6e9c1e-6f8a-4a6e-9d4a-2f1d3c9b7a10'); // true
 * isValidRequestId('x\r\nSet-Cookie: a=b');               // false
 */
export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_REQUEST_ID_LENGTH && VALID.test(value);
}

/**
 * Builds Fastify's `genReqId`: reuse a valid incoming id from `header`, else a random UUID.
 * @example
 * Fastify({ genReqId: requestIdGenerator('x-request-id') });
 */
export function requestIdGenerator(header: string, generate: () => string = randomUUID): (req: { headers: Record<string, unknown> }) => string {
  const name = header.toLowerCase();
  return (req) => {
    const incoming = req.headers[name];
    return isValidRequestId(incoming) ? incoming : generate();
  };
}
