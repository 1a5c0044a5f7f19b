/**
 * Request ids: a client (or an upstream proxy) may send `X-Request-Id` to
 * correlate logs across services. The value ends up in response headers and
 * log lines, so it is accepted only when short and made of token characters;
 * anything else (CR/LF, quotes, JSON, 10 KB strings) is replaced by a fresh id.
 */
import { randomFillSync } from 'node:crypto';

/** Longest incoming request id we accept (a UUID is 36, a W3C trace id 32). */
export const MAX_REQUEST_ID_LENGTH = 128;

// RFC 9110 token characters minus a few separators kept out of log formats; `+` also rejects ''.
const VALID = /^[A-Za-z0-9._~:+/=-]+$/;

const ID_BYTES = 16;
// Random bytes for 256 ids, drawn in one call (randomUUID buffers the same way).
// Zero-filled, not allocUnsafe: a bug in the refill check must never send old memory.
const pool = Buffer.alloc(ID_BYTES * 256);
let taken = pool.length;
// Where each byte's two hex digits go in the 36 characters of a UUID.
const AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
// The dashes (char code 45) stay; the loop writes every other character.
const text = Buffer.alloc(36, 45);

/**
 * Char code of the lower-case hex digit for `nibble` (0-15), without a branch:
 * on random nibbles a `nibble < 10 ? … : …` mispredicts half the time, which
 * made this function slower than randomUUID (measured). (9 - nibble) >> 31 is
 * -1 exactly for 10-15, adding the 39 from '9' + 1 to 'a'.
 */
function hexDigit(nibble: number): number {
  return 48 + nibble + (((9 - nibble) >> 31) & 39);
}

/**
 * A random (version 4) UUID, as `crypto.randomUUID()` makes, written out as
 * one flat string. randomUUID returns a string concatenated from 20 pieces,
 * which V8 must flatten before Node checks it as a header value: on the
 * response path that cost about 130 ns more per request than this function
 * (measured beside it here: generate, header check, byte length).
 * @example
 * randomRequestId(); // '3f0c9a52-8d1e-4b7a-9c2f-5e6d7a8b9c0d'
 */
export function randomRequestId(): string {
  // Stryker disable next-line ConditionalExpression: refilling on every call gives ids just as random, only slower
  if (taken === pool.length) {
    randomFillSync(pool);
    taken = 0;
  }
  // Stryker disable next-line EqualityOperator: a 17th pass writes at AT[16], undefined, which a Buffer ignores: same id
  for (let i = 0; i < ID_BYTES; i += 1) {
    let byte = pool[taken + i] as number;
    if (i === 6) byte = (byte & 0x0f) | 0x40; // version 4
    else if (i === 8) byte = (byte & 0x3f) | 0x80; // RFC 9562 variant: 10xx
    const at = AT[i] as number;
    text[at] = hexDigit(byte >> 4);
    text[at + 1] = hexDigit(byte & 0x0f);
  }
  taken += ID_BYTES;
  return text.toString('latin1', 0, 36);
}

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
 * Builds Fastify's `genReqId`: reuse a valid incoming id from `header`, else a random UUID ({@link randomRequestId}).
 * @example
 * Fastify({ genReqId: requestIdGenerator('x-request-id') });
 */
export function requestIdGenerator(header: string, generate: () => string = randomRequestId): (req: { headers: Record<string, unknown> }) => string {
  const name = header.toLowerCase();
  return (req) => {
    const incoming = req.headers[name];
    return isValidRequestId(incoming) ? incoming : generate();
  };
}
