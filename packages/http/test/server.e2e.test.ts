import { Agent, request as undiciRequest } from 'undici';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, defineController, defineRoute } from '@rampart/http';
import type { HttpServer } from '@rampart/http';

const body = { type: 'object', properties: { name: { type: 'string', minLength: 1 } }, required: ['name'], additionalProperties: false } as const;

const api = defineController({
  path: '/api',
  routes: [
    defineRoute({ method: 'GET', path: '/hello', handler: () => ({ hello: 'world' }) }),
    defineRoute({ method: 'POST', path: '/users', schema: { body }, handler: (ctx) => ({ created: ctx.body.name }) }),
  ],
});

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('real listening server (supertest)', () => {
  it('serves JSON with the request id and problem documents on errors', async () => {
    server = createHttpServer({ controllers: [api], port: 0, logger: false });
    const { url } = await server.listen();
    const ok = await request(url).get('/api/hello').set('X-Request-Id', 'e2e-1').expect(200);
    expect(ok.body).toEqual({ hello: 'world' });
    expect(ok.headers['x-request-id']).toBe('e2e-1');
    const created = await request(url).post('/api/users').send({ name: 'ada' }).expect(201);
    expect(created.body).toEqual({ created: 'ada' });
    const invalid = await request(url).post('/api/users').set('X-Request-Id', 'e2e-2').send({ name: { first: 'ada' } }).expect(400);
    expect(invalid.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(invalid.body).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_VALIDATION',
      title: 'Validation Failed',
      status: 400,
      detail: '1 invalid field',
      instance: '/api/users',
      code: 'HTTP_ERR_VALIDATION',
      requestId: 'e2e-2',
      errors: [{ in: 'body', pointer: '/name', keyword: 'type', message: 'must be string' }],
    });
    const gz = await request(url).get('/openapi.json').set('Accept-Encoding', 'gzip').expect(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.openapi).toBe('3.1.0');
  });

  it('listen twice is refused; close is idempotent', async () => {
    server = createHttpServer({ controllers: [api], port: 0, logger: false });
    await server.listen();
    await expect(server.listen()).rejects.toMatchObject({ code: 'HTTP_ERR_ALREADY_LISTENING' });
    expect(await server.close()).toEqual({ drained: true });
    expect(await server.close()).toEqual({ drained: true });
    expect(server.state).toBe('closed');
  });
});

describe('graceful shutdown under load', () => {
  it('every request the server accepted before close completes with 200; readiness flips first', async () => {
    // Server side: ids of requests whose handler started (accepted) before close() began.
    const acceptedBeforeClose = new Set<string>();
    let closing = false;
    const slow = defineController({
      routes: [
        defineRoute({
          method: 'GET',
          path: '/slow',
          handler: async (ctx) => {
            if (!closing) acceptedBeforeClose.add(ctx.requestId);
            await new Promise((resolve) => setTimeout(resolve, 40));
            return { slow: true };
          },
        }),
      ],
    });
    server = createHttpServer({ controllers: [slow], port: 0, logger: false, readinessGrace: 50 });
    const { url } = await server.listen();
    const agent = new Agent({ connections: 8, pipelining: 1 });
    const outcome = new Map<string, number | 'error'>();
    let running = true;
    let seq = 0;
    const worker = async (): Promise<void> => {
      while (running) {
        const id = `load-${(seq += 1)}`;
        try {
          const res = await undiciRequest(`${url}/slow`, { dispatcher: agent, headers: { 'x-request-id': id } });
          await res.body.dump();
          outcome.set(id, res.statusCode);
        } catch {
          outcome.set(id, 'error');
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const readinessDuringGrace = request(url).get('/health/ready');
    closing = true;
    const closed = server.close();
    const ready = await readinessDuringGrace;
    const result = await closed;
    running = false;
    await Promise.all(workers);
    await agent.close();
    expect(ready.status).toBe(503);
    expect(result).toEqual({ drained: true });
    expect(acceptedBeforeClose.size).toBeGreaterThan(8);
    const failed = [...acceptedBeforeClose].filter((id) => outcome.get(id) !== 200);
    expect(failed).toEqual([]);
  });

  it('bounds the drain: a request outliving drainTimeout is cut and close reports drained: false', async () => {
    let arrived!: () => void;
    const seen = new Promise<void>((resolve) => (arrived = resolve));
    const hang = defineController({
      routes: [
        defineRoute({
          method: 'GET',
          path: '/hang',
          handler: () => {
            arrived();
            return new Promise(() => undefined);
          },
        }),
      ],
    });
    server = createHttpServer({ controllers: [hang], port: 0, logger: false, drainTimeout: 100 });
    const { url } = await server.listen();
    const pending = fetch(`${url}/hang`).then(
      () => 'answered',
      () => 'cut',
    );
    await seen;
    expect(await server.close()).toEqual({ drained: false });
    expect(await pending).toBe('cut');
  });
});
