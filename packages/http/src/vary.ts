/**
 * Adds request header names to a reply's `Vary` field (RFC 9110 §12.5.5)
 * without dropping what is there: @fastify/compress appends `Accept-Encoding`
 * the same way, and a handler may have named `Origin`.
 */
import type { FastifyReply } from 'fastify';

/**
 * Appends `fields` (lower-case, comma-separated) to `Vary`, skipping names it
 * already lists in any case; `*` (varies on everything) is kept as it is.
 * @example
 * appendVary(reply, 'x-api-version'); // Vary: Origin → Vary: Origin, x-api-version
 */
export function appendVary(reply: FastifyReply, fields: string): void {
  const prior = reply.getHeader('vary');
  if (prior === undefined) {
    reply.header('vary', fields);
    return;
  }
  const current = String(prior);
  const listed = new Set(current.toLowerCase().split(',').map((name) => name.trim()));
  if (listed.has('*')) return;
  const missing = fields.split(', ').filter((name) => !listed.has(name));
  if (missing.length > 0) reply.header('vary', current.trim() === '' ? missing.join(', ') : `${current}, ${missing.join(', ')}`);
}
