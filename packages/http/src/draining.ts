/**
 * Requests that reach the server after a close began: pipelined, or sent on a
 * keep-alive connection that was busy when the listener closed (server.close()
 * only reaps idle sockets). They are refused with a 503 problem document and
 * `Connection: close`, so the client retries elsewhere on a fresh connection.
 *
 * Fastify's own `return503OnClosing` answers plain JSON without a request id,
 * and a check in a request hook would cost every request while the server is
 * up. Instead the server's 'request' listener is swapped once, at close time.
 */
import { channel, subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger, onSendHookHandler } from 'fastify';
import { instanceOf } from './error-handler.ts';
import type { ErrorHandlerSettings } from './error-handler.ts';
import { HTTP_REQUEST_CHANNEL } from './diagnostics.ts';
import type { HttpRequestEvent } from './diagnostics.ts';
import { ServiceUnavailableException } from './exceptions.ts';
import { PROBLEM_CONTENT_TYPE, renderProblem } from './problem-details.ts';
import type { requestIdGenerator } from './request-id.ts';

/** Fastify's `genReqId` as {@link requestIdGenerator} builds it. */
export type RequestIdGenerator = ReturnType<typeof requestIdGenerator>;

/** `detail` of the problem sent to requests that arrive while the server drains. */
export const DRAINING_DETAIL = 'Server is shutting down';

const requests = channel(HTTP_REQUEST_CHANNEL);

// Refused requests are requests too: metrics built on the channel must see the 503s of a shutdown.
function track(req: IncomingMessage, res: ServerResponse, requestId: string): void {
  if (!requests.hasSubscribers) return;
  const start = performance.now();
  res.once('finish', () => {
    const event: HttpRequestEvent = { requestId, method: req.method as string, route: undefined, statusCode: res.statusCode, durationMs: performance.now() - start };
    requests.publish(event);
  });
}

/**
 * Replaces the server's request listener (Fastify's router) with one that
 * answers every new request 503 `HTTP_ERR_SERVICE_UNAVAILABLE`. Requests
 * already dispatched are not affected: they finish normally.
 * @example
 * fastify.addHook('preClose', (done) => { refuseWhileDraining(fastify.server, settings, genReqId, fastify.log); done(); });
 */
export function refuseWhileDraining(server: Server, settings: ErrorHandlerSettings, genReqId: RequestIdGenerator, log: FastifyBaseLogger): void {
  const refuse = (req: IncomingMessage, res: ServerResponse): void => {
    // Same id rules as every other response: a valid incoming X-Request-Id is kept.
    const requestId = genReqId(req);
    const error = new ServiceUnavailableException(DRAINING_DETAIL);
    // There is no Fastify request/reply here (the router no longer runs), so
    // sendProblem cannot be used; the document comes from the same renderer.
    // `req.url` is always set on a request an http.Server emits (Node docs).
    const problem = renderProblem(error, { requestId, instance: instanceOf({ url: req.url as string }), production: settings.production, typeBase: settings.typeBase });
    const body = JSON.stringify(problem.body);
    // Info, not error: refusing work during a planned shutdown is expected (Fastify logs it at info too).
    log.info({ requestId, code: problem.body.code, res: { statusCode: 503 } }, 'request refused: server is shutting down');
    track(req, res, requestId);
    res.writeHead(503, {
      ...problem.headers,
      'content-type': PROBLEM_CONTENT_TYPE,
      'content-length': Buffer.byteLength(body),
      [settings.requestIdHeader]: requestId,
      connection: 'close',
    });
    res.end(body);
  };
  for (const listener of server.listeners('request')) server.removeListener('request', listener as (...args: unknown[]) => void);
  server.on('request', refuse);
}

// Published by Node's http server for every response that finished (Node >= 16.18).
const RESPONSE_FINISH = 'http.server.response.finish';

/**
 * While a close drains, closes each keep-alive socket as soon as its in-flight
 * response finished. server.close() only reaps sockets idle at that moment;
 * a socket busy then would stay open until `keepAliveTimeout`, holding the close
 * (and past `drainTimeout`, reporting a drain timeout for work that was done).
 * Subscribed only while draining, so requests cost nothing extra while the server is up.
 * Returns the function that stops it.
 * @example
 * const stop = closeIdleAfterEachResponse(fastify.server); await fastify.close(); stop();
 */
export function closeIdleAfterEachResponse(server: Server): () => void {
  const onFinish = (message: unknown): void => {
    if ((message as { server?: unknown }).server !== server) return;
    // Published before Node detached the response from its socket: the socket is idle on the next turn.
    setImmediate(() => server.closeIdleConnections());
  };
  subscribe(RESPONSE_FINISH, onFinish);
  return () => void unsubscribe(RESPONSE_FINISH, onFinish);
}

/**
 * An onSend hook that marks a response of the drain `Connection: close` (see register-routes.ts:
 * the socket is closed after it, so the client must not reuse it). For routes whose answers do
 * not go through the controller routes' send wrapper (the built-in routes).
 * @example
 * fastify.get('/health/ready', { onSend: closeConnectionWhileDraining(() => draining) }, handler);
 */
export function closeConnectionWhileDraining(draining: () => boolean): onSendHookHandler {
  return (_request, reply, payload, done) => {
    if (draining()) reply.header('connection', 'close');
    done(null, payload);
  };
}
