/**
 * The HTTP API, in the plain-function form (the decorator form is shown in
 * packages/http/README.md): a versioned greeting (v1 deprecated in app.ts), a
 * rate-limited route, and encrypted notes.
 */
import { defineController, defineRoute, NotFoundException, TooManyRequestsException } from '@rampart/http';
import type { ControllerDefinition, Guard } from '@rampart/http';
import type { HttpThrottle } from '@rampart/throttler';
import type { NotesStore } from './notes.ts';

/** `GET /v1/hello` (plain) and `GET /v2/hello` (structured). */
export const helloController: ControllerDefinition = defineController({
  path: '/hello',
  routes: [
    defineRoute({ method: 'GET', version: '1', handler: () => ({ message: 'hello, world' }) }),
    defineRoute({ method: 'GET', version: '2', handler: (ctx) => ({ message: 'hello, world', version: ctx.version, requestId: ctx.requestId }) }),
  ],
});

/** A guard that asks the throttler and answers 429 (with RateLimit headers) when over the limit. */
export function throttleGuard(throttle: HttpThrottle): Guard {
  return async ({ request, reply }) => {
    const result = await throttle.check({ ip: request.ip, headers: request.headers, method: request.method, route: request.routeOptions.url });
    if (!result.allowed) throw new TooManyRequestsException('Rate limit exceeded, retry later', { headers: { ...result.headers } });
    reply.headers(result.headers);
    return true;
  };
}

/** `GET /v{1,2}/limited`, guarded by the throttler. */
export function limitedController(throttle: HttpThrottle): ControllerDefinition {
  return defineController({
    path: '/limited',
    version: ['1', '2'],
    guards: [throttleGuard(throttle)],
    routes: [defineRoute({ method: 'GET', handler: () => ({ ok: true }) })],
  });
}

const noteBody = {
  type: 'object',
  properties: { text: { type: 'string', minLength: 1, maxLength: 2000 } },
  required: ['text'],
  additionalProperties: false,
} as const;
const noteParams = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] } as const;

/** `POST /v{1,2}/notes` stores an encrypted note; `GET /v{1,2}/notes/:id` reads it back. */
export function notesController(notes: NotesStore): ControllerDefinition {
  return defineController({
    path: '/notes',
    version: ['1', '2'],
    routes: [
      defineRoute({ method: 'POST', schema: { body: noteBody }, handler: (ctx) => ({ id: notes.add(ctx.body.text) }) }),
      defineRoute({
        method: 'GET',
        path: '/:id',
        schema: { params: noteParams },
        handler: (ctx) => {
          const text = notes.read(ctx.params.id);
          if (text === undefined) throw new NotFoundException(`No note ${ctx.params.id}`);
          return { id: ctx.params.id, text };
        },
      }),
    ],
  });
}
