/**
 * Fastify's per-request log lines (`incoming request`, `request completed`,
 * …) pass the whole request and reply objects and rely on the serializers
 * Fastify installs on the pino it creates. A logger handed in as an instance
 * (core's JSON logger, an app's own pino) has none of them: core's logger
 * threw on the circular socket and crashed the example service on its first
 * request, and a bare pino writes kilobytes of socket state per line. This
 * controller hands every logger the small objects Fastify's serializers make.
 */
import { LogController } from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** What Fastify's `req` serializer keeps of a request. */
export interface LoggedRequest {
  readonly method: string;
  readonly url: string;
  readonly host: string;
  readonly remoteAddress: string;
  readonly remotePort: number | undefined;
}

/**
 * The request as one log line shows it (Fastify's `req` serializer's fields).
 * @example
 * loggedRequest(request); // { method: 'GET', url: '/v2/hello', host: '127.0.0.1:3000', remoteAddress: '127.0.0.1', remotePort: 51234 }
 */
export function loggedRequest(request: FastifyRequest): LoggedRequest {
  return { method: request.method, url: request.url, host: request.host, remoteAddress: request.ip, remotePort: request.socket.remotePort };
}

/**
 * Fastify's LogController with `req`/`res` serialized before they reach the
 * logger; levels, messages and the `disableRequestLogging` check stay Fastify's.
 * Used only for logger instances: a pino Fastify builds from options has its
 * own serializers, which expect the raw objects.
 */
export class SerializingLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.info({ req: loggedRequest(request) }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const res = { statusCode: reply.statusCode };
    if (error) reply.log.error({ res, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ res, responseTime: reply.elapsedTime }, 'request completed');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const res = { statusCode: reply.statusCode };
    if (reply.statusCode >= 500) reply.log.error({ req: loggedRequest(request), res, err: error }, error.message);
    else reply.log.info({ res, err: error }, error.message);
  }

  override streamError(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error.code === 'ERR_STREAM_PREMATURE_CLOSE') reply.log.info({ res: { statusCode: reply.statusCode } }, 'stream closed prematurely');
    else reply.log.warn({ err: error }, 'response terminated with an error with headers already sent');
  }

  override writeHeadError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    reply.log.warn({ req: loggedRequest(request), res: { statusCode: reply.statusCode }, err: error }, error.message);
  }
}
