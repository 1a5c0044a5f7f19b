/**
 * `node:diagnostics_channel` event published once per finished request, for
 * APM agents and metrics without monkey-patching. Nothing is built unless
 * someone subscribed.
 */
import { channel } from 'node:diagnostics_channel';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Name of the channel: `rampart:http.request`. */
export const HTTP_REQUEST_CHANNEL = 'rampart:http.request';

/**
 * Message published on {@link HTTP_REQUEST_CHANNEL}.
 * @example
 * subscribe('rampart:http.request', (m) => histogram.record((m as HttpRequestEvent).durationMs));
 */
export interface HttpRequestEvent {
  readonly requestId: string;
  readonly method: string;
  /** Route pattern (`/users/:id`), not the raw URL: bounded cardinality, no ids or tokens. */
  readonly route: string | undefined;
  readonly statusCode: number;
  readonly durationMs: number;
}

const requests = channel(HTTP_REQUEST_CHANNEL);

const TRACKED = Symbol('rampart.http.tracked');

/**
 * Arms the event for this request (once) if anyone listens. Called where
 * Rampart first touches a request (context creation, problem rendering)
 * instead of a global hook, so an unobserved server pays one boolean check.
 */
export function trackRequest(request: FastifyRequest, reply: FastifyReply): void {
  if (!requests.hasSubscribers) return;
  const flagged = request as FastifyRequest & { [TRACKED]?: true };
  if (flagged[TRACKED] === true) return;
  flagged[TRACKED] = true;
  reply.raw.once('finish', () => {
    const event: HttpRequestEvent = {
      requestId: request.id,
      method: request.method,
      route: request.routeOptions.url,
      statusCode: reply.statusCode,
      durationMs: reply.elapsedTime,
    };
    requests.publish(event);
  });
}
