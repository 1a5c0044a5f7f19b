/**
 * One server of the HTTP benchmark, in its own process (as in the
 * fastify/benchmarks harness): `node server-process.ts <name>` (names: see `starters`).
 * Prints `{"url": ...}` on one stdout line once listening, and exits when its
 * parent closes stdin, so a crashed benchmark leaves no server behind.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import express from 'express';
import Fastify from 'fastify';
import { createApp, silentLogger, token } from '@rampart/core';
import { createHttpServer, defineController, defineRoute } from '@rampart/http';

export const userSchema = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, age: { type: 'integer', minimum: 0 } },
  required: ['name', 'age'],
  additionalProperties: false,
} as const;

async function rampart(): Promise<string> {
  const api = defineController({
    routes: [
      defineRoute({ method: 'GET', path: '/hello', handler: () => ({ hello: 'world' }) }),
      defineRoute({ method: 'POST', path: '/users', status: 200, schema: { body: userSchema }, handler: (ctx) => ({ id: 1, name: ctx.body.name }) }),
    ],
  });
  // Compression off: the peers do not compress, so all three do the same work.
  const server = createHttpServer({ controllers: [api], port: 0, logger: false, openapi: false, readinessPath: false, compression: false });
  return (await server.listen()).url;
}

/**
 * Bare Fastify doing the one thing the issue requires of every Rampart
 * response that bare Fastify does not do: return a request id (a random UUID,
 * as Rampart generates when the client sent none) in `x-request-id`. Beside
 * it, the hello-world ratio shows how much of the gap is that header.
 */
async function fastifyWithRequestId(): Promise<string> {
  const app = Fastify({ logger: false, genReqId: () => randomUUID() });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.get('/hello', () => ({ hello: 'world' }));
  return app.listen({ host: '127.0.0.1', port: 0 });
}

async function fastify(): Promise<string> {
  const app = Fastify({ logger: false });
  app.get('/hello', () => ({ hello: 'world' }));
  app.post('/users', { schema: { body: userSchema } }, (req) => ({ id: 1, name: (req.body as { name: string }).name }));
  return app.listen({ host: '127.0.0.1', port: 0 });
}

function expressServer(): Promise<string> {
  const validate = new Ajv({ allErrors: true }).compile(userSchema);
  const app = express();
  app.use(express.json());
  app.get('/hello', (_req, res) => void res.json({ hello: 'world' }));
  app.post('/users', (req, res) => {
    if (!validate(req.body)) return void res.status(400).json({ errors: validate.errors });
    res.json({ id: 1, name: (req.body as { name: string }).name });
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

/**
 * The request-scope pair: the same Rampart server and route, once inside
 * core's request scope (as HttpModule wires it: AsyncLocalStorage per request,
 * a request-scoped service built once per request) and once without a scope
 * (a constant object instead). Their ratio is the request scope's overhead on
 * a real HTTP request.
 */
async function scoped(withScope: boolean): Promise<string> {
  const USER = token<{ user: string }>('requestUser');
  const app = createApp({ logger: silentLogger, providers: [{ provide: USER, scope: 'request', useFactory: () => ({ user: 'u1' }) }] });
  await app.start();
  const constant = { user: 'u1' };
  const api = defineController({
    routes: [defineRoute({ method: 'GET', path: '/who', handler: () => ({ user: (withScope ? app.get(USER) : constant).user }) })],
  });
  const server = createHttpServer({
    controllers: [api], port: 0, logger: false, openapi: false, readinessPath: false, compression: false,
    ...(withScope ? { requestScope: <R>(requestId: string, fn: () => R): R => app.runInRequestScope(fn, { requestId }) } : {}),
  });
  return (await server.listen()).url;
}

const starters = { rampart, fastify, 'fastify-request-id': fastifyWithRequestId, express: expressServer, scoped: () => scoped(true), unscoped: () => scoped(false) };
const which = process.argv[2] as keyof typeof starters;
if (!(which in starters)) throw new Error(`server-process.ts: unknown server "${String(which)}" (${Object.keys(starters).join(', ')})`);
const url = await starters[which]();
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
