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

/** Fastify `onResponse` hook publishing the event. */
export function publishRequest(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  done();
  if (!requests.hasSubscribers) return;
  const event: HttpRequestEvent = {
    requestId: request.id,
    method: request.method,
    route: request.routeOptions.url,
    statusCode: reply.statusCode,
    durationMs: reply.elapsedTime,
  };
  requests.publish(event);
}
