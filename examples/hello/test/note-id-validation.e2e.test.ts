import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { HTTP_SERVER } from '@rampart/http';
import { buildHelloApp, NOTES } from '@rampart/example-hello';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child() { return quiet; } };

describe('example service: the note id path parameter is a uuid', () => {
  it('a malformed id answers 400 problem+json naming the parameter, before the store is asked', async () => {
    const app = buildHelloApp({ config: { host: '127.0.0.1', port: 0, rateLimit: { limit: 3, windowMs: 60_000 } }, logger: quiet, shutdownSignals: false });
    await app.start();
    try {
      const read = vi.spyOn(app.get(NOTES), 'read');
      const { port } = app.get(HTTP_SERVER).app.server.address() as { port: number };
      const res = await request(`http://127.0.0.1:${port}`).get('/v2/notes/not-a-uuid').set('X-Request-Id', 'bad-id-1').expect(400);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.headers['x-request-id']).toBe('bad-id-1');
      expect(res.body).toEqual({
        type: 'urn:rampart:problem:HTTP_ERR_VALIDATION',
        title: 'Validation Failed',
        status: 400,
        detail: '1 invalid field',
        instance: '/v2/notes/not-a-uuid',
        code: 'HTTP_ERR_VALIDATION',
        requestId: 'bad-id-1',
        errors: [{ in: 'params', pointer: '/id', keyword: 'format', message: 'must match format "uuid"' }],
      });
      expect(read).not.toHaveBeenCalled();
    } finally {
      await app.stop();
    }
  });
});
