import { describe, expect, it } from 'vitest';
import { createHttpServer } from './http-server.ts';
import { gate, getWhileDraining } from './test-support/drain-request.ts';

/**
 * Regression: README "Graceful shutdown": from the drain on, a response carries
 * `Connection: close`. The built-in routes (readiness probe, OpenAPI documents) answer
 * outside the controller routes' send wrapper, so theirs said `keep-alive` although the
 * socket is closed right after it. And a probe whose check was still running when the
 * close began answered 200 "ready" after readiness had flipped.
 */

// Chunked bodies are not decoded here: the document is small and sent with Content-Length.
const options = { logger: false, port: 0, drainTimeout: 3_000, timeouts: { keepAlive: 60_000 }, compression: false } as const;

describe('built-in routes during the drain', () => {
  it('the OpenAPI document in flight when the drain begins says Connection: close', async () => {
    const g = gate<void>();
    const server = createHttpServer(options);
    // A raw Fastify hook (README "Built-in routes") holds the request until the drain began.
    server.app.addHook('onRequest', async () => {
      g.entered();
      await g.opened;
    });
    const answer = await getWhileDraining(server, '/openapi.json', g.started, () => g.release());
    expect({ ...answer, body: JSON.parse(answer.body).openapi }).toEqual({ status: 200, connection: 'close', body: '3.1.0', drained: true });
  });

  it('a readiness probe whose check passes after the close began answers 503 with Connection: close', async () => {
    const g = gate<boolean>();
    const server = createHttpServer({ ...options, readinessCheck: () => (g.entered(), g.opened) });
    const answer = await getWhileDraining(server, '/health/ready', g.started, () => g.release(true));
    const body = JSON.parse(answer.body);
    expect({ ...answer, body: [body.code, body.detail] }).toEqual({ status: 503, connection: 'close', body: ['HTTP_ERR_SERVICE_UNAVAILABLE', 'Server is shutting down'], drained: true });
  });

  it('a readiness probe held by a raw hook while the drain began says Connection: close', async () => {
    const g = gate<void>();
    const server = createHttpServer(options);
    server.app.addHook('onRequest', async (_request, reply) => {
      g.entered();
      await g.opened;
      // A hook answering itself (an IP allow-list, say): no Rampart code sends this reply.
      await reply.code(403).send({ denied: true });
    });
    const answer = await getWhileDraining(server, '/health/ready', g.started, () => g.release());
    expect(answer).toEqual({ status: 403, connection: 'close', body: '{"denied":true}', drained: true });
  });
});
