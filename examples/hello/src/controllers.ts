/**
 * The HTTP API, in the plain-function form (the decorator form is shown in
 * packages/http/README.md): a versioned greeting (v1 deprecated in app.ts), a
 * rate-limited route, and encrypted notes.
 */
import {
  defineController,
  defineRoute,
  ForbiddenException,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
  TooManyRequestsException,
} from '@rampart/http';
import type { ControllerDefinition, Guard, HttpExceptionOptions } from '@rampart/http';
import type { HttpThrottle, ThrottleResult } from '@rampart/throttler';
import type { NotesStore } from './notes.ts';

/** `GET /v1/hello` (plain) and `GET /v2/hello` (structured). */
export const helloController: ControllerDefinition = defineController({
  path: '/hello',
  routes: [
    defineRoute({ method: 'GET', version: '1', handler: () => ({ message: 'hello, world' }) }),
    defineRoute({ method: 'GET', version: '2', handler: (ctx) => ({ message: 'hello, world', version: ctx.version, requestId: ctx.requestId }) }),
  ],
});

/**
 * A guard that asks the throttler and, on a refusal, answers the throttler's
 * own status (429 limited, 403 deny-listed, 503 store down under fail-closed)
 * with its problem body and headers (RateLimit, Retry-After).
 */
export function throttleGuard(throttle: HttpThrottle): Guard {
  return async ({ request, reply }) => {
    const result = await throttle.check({ ip: request.ip, headers: request.headers, method: request.method, route: request.routeOptions.url });
    if (!result.allowed) throw refusal(result);
    reply.headers(result.headers);
    return true;
  };
}

/**
 * The exception that renders a throttler refusal: its status, `type`, `detail`
 * and extra members (`policy`, `retryAfter`), plus the throttler's own `code`
 * where it has one (`THROTTLE_ERR_STORE_DOWN`). A blanket 429 would tell a
 * deny-listed client to retry and a client of a broken store to slow down.
 */
export function refusal(result: ThrottleResult): HttpException {
  const { type, title: _title, status: _status, detail, code, ...extensions } = result.body ?? { type: undefined, detail: undefined, code: undefined };
  const options: HttpExceptionOptions = { headers: { ...result.headers }, extensions, ...(type === undefined ? {} : { type }), ...(code === undefined ? {} : { code }) };
  if (result.status === 429) return new TooManyRequestsException(detail, options);
  if (result.status === 403) return new ForbiddenException(detail, options);
  if (result.status === 503) return new ServiceUnavailableException(detail, options);
  return new HttpException(result.status, detail, options);
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
