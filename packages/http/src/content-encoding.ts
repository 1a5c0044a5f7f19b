/**
 * Content codings of request bodies. Request bodies are never inflated (a
 * small gzip body can expand past bodyLimit, see http-server.ts), and Fastify
 * ignores Content-Encoding: it handed the gzip bytes to the JSON parser, which
 * answered 400 "not valid JSON", blaming the client's JSON for the server's
 * missing support. RFC 9110 §15.5.16 names 415 for an unsupported content
 * coding, with Accept-Encoding in the answer for the codings that would be
 * accepted: only `identity` here.
 */
import type { FastifyRequest } from 'fastify';
import { HttpException } from './exceptions.ts';

/**
 * Throws the 415 for a request whose body has a content coding other than
 * `identity`; an absent or empty Content-Encoding is no coding. The JSON
 * parser calls it; Fastify's text/plain parser and parsers added on
 * `server.app` get the bytes as sent and call it themselves to answer alike.
 * @example
 * refuseEncodedBody({ 'content-encoding': 'gzip' }); // throws HTTP_ERR_UNSUPPORTED_MEDIA_TYPE
 */
export function refuseEncodedBody(headers: FastifyRequest['headers']): void {
  const coding = headers['content-encoding'];
  if (coding === undefined) return;
  const codings = coding.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return;
  throw new HttpException(415, `Content-Encoding ${codings.join(', ')} is not supported: send the body uncompressed`, { headers: { 'accept-encoding': 'identity' } }, 'HTTP_ERR_UNSUPPORTED_MEDIA_TYPE');
}
