/**
 * Answers protocol-level client errors (slow headers, oversized headers,
 * garbage on the wire) with a problem document instead of Fastify's ad-hoc
 * JSON, then closes the socket: such a connection cannot be trusted further.
 */
import type { Socket } from 'node:net';
import type { HttpErrorCode } from './errors.ts';
import { HTTP_ERRORS } from './errors.ts';
import { randomRequestId } from './request-id.ts';

interface ClientError extends Error {
  code?: string;
}

// Node keeps the response in flight on the socket as `_httpMessage` (its own 'clientError'
// default reads it for the same check); undocumented, hence optional here.
interface SocketWithResponse extends Socket {
  _httpMessage?: { headersSent?: boolean } | null;
}

function codeFor(error: ClientError): HttpErrorCode {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'HTTP_ERR_REQUEST_TIMEOUT';
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'HTTP_ERR_HEADERS_TOO_LARGE';
  return 'HTTP_ERR_BAD_REQUEST';
}

/**
 * Builds Fastify's `clientErrorHandler`.
 * @example
 * Fastify({ clientErrorHandler: clientErrorHandler('urn:rampart:problem:', 'x-request-id') });
 */
export function clientErrorHandler(typeBase: string, requestIdHeader: string): (error: ClientError, socket: Socket) => void {
  return (error, socket) => {
    // A reset or destroyed socket has nobody left to answer (Node docs, 'clientError').
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const code = codeFor(error);
    const { status, title } = HTTP_ERRORS[code];
    const requestId = randomRequestId();
    const body = JSON.stringify({ type: typeBase + code, title, status, detail: title, instance: '', code, requestId });
    // Like Node's own default: a response in flight whose headers went out (a stream, with a
    // malformed request pipelined behind it) would get the problem written into its body.
    if (socket.writable && (socket as SocketWithResponse)._httpMessage?.headersSent !== true) {
      socket.write(
        `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n${requestIdHeader}: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
