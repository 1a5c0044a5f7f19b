import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { defineController, defineRoute } from './define.ts';
import { createHttpServer } from './http-server.ts';
import type { RouteContext } from './types.ts';

async function* parts(): AsyncGenerator<string> {
  yield 'denied ';
  await new Promise((resolve) => setTimeout(resolve, 20));
  yield 'by hook';
}

/**
 * Regressions found by a second review (2026-12-07): each test failed before its fix.
 */
describe('hooks that answer the request', () => {
  it('an onRequest or preHandler hook that sends a stream ends the request: the handler does not run', async () => {
    // Fastify stops its chain only once `reply.sent`, and a streamed (or compressed) send is not sent when the
    // hook returns. Before the fix: the handler ran after the hook answered (its side effects too), its reply
    // collided with the hook's ("Reply was already sent") and the client saw the socket close without a response.
    let handled = 0;
    const answer = (ctx: RouteContext) => void ctx.reply.code(401).type('text/plain').send(Readable.from(parts()));
    const routes = [
      defineRoute({ method: 'GET', path: '/early', hooks: { onRequest: [answer] }, handler: () => ((handled += 1), { secret: true }) }),
      defineRoute({ method: 'POST', path: '/late', hooks: { preHandler: [answer] }, handler: () => ((handled += 1), { secret: true }) }),
      defineRoute({ method: 'GET', path: '/quiet', hooks: { onRequest: [() => undefined] }, handler: () => ({ passed: true }) }),
    ];
    const server = createHttpServer({ logger: false, port: 0, compression: false, controllers: [defineController({ routes })] });
    const { url } = await server.listen();
    try {
      for (const [method, path] of [['GET', '/early'], ['POST', '/late']] as const) {
        const res = await fetch(`${url}${path}`, { method });
        expect([res.status, await res.text()]).toEqual([401, 'denied by hook']);
      }
      expect(handled).toBe(0);
      expect(await (await fetch(`${url}/quiet`)).json()).toEqual({ passed: true });
    } finally {
      await server.close();
    }
  });
});
