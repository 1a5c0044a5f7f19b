/**
 * HTTP throughput of Rampart beside bare Fastify and Express 5, in one run on
 * 127.0.0.1. All three servers live in this process; autocannon drives each in
 * a worker thread so the load generator does not share the servers' event loop.
 * Every sample is a bounded run (2 s, 10 connections) and returns ns/request
 * (1e9 / mean req/s). Rampart runs with its defaults (request ids, problem
 * details, diagnostics) minus logging and compression, which the peers lack.
 * Targets: ≥ 0.95× bare Fastify on hello-world, ≥ 0.9× on the validated POST.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Ajv } from 'ajv';
import autocannon from 'autocannon';
import express from 'express';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { defineBenchSuite } from '@rampart/harness';
import { createHttpServer, defineController, defineRoute } from '@rampart/http';
import type { HttpServer } from '@rampart/http';

const DURATION_S = 2;
const CONNECTIONS = 10;

const userSchema = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, age: { type: 'integer', minimum: 0 } },
  required: ['name', 'age'],
  additionalProperties: false,
} as const;
const payload = JSON.stringify({ name: 'Ada Lovelace', age: 36 });

const urls: Record<'rampart' | 'fastify' | 'express', string> = { rampart: '', fastify: '', express: '' };
let rampart: HttpServer | undefined;
let fastify: FastifyInstance | undefined;
let expressServer: Server | undefined;

async function startRampart(): Promise<string> {
  const api = defineController({
    routes: [
      defineRoute({ method: 'GET', path: '/hello', handler: () => ({ hello: 'world' }) }),
      defineRoute({ method: 'POST', path: '/users', status: 200, schema: { body: userSchema }, handler: (ctx) => ({ id: 1, name: ctx.body.name }) }),
    ],
  });
  // Compression off: the peers do not compress, so all three do the same work.
  rampart = createHttpServer({ controllers: [api], port: 0, logger: false, openapi: false, readinessPath: false, compression: false });
  return (await rampart.listen()).url;
}

async function startFastify(): Promise<string> {
  fastify = Fastify({ logger: false });
  fastify.get('/hello', () => ({ hello: 'world' }));
  fastify.post('/users', { schema: { body: userSchema } }, (req) => ({ id: 1, name: (req.body as { name: string }).name }));
  return fastify.listen({ host: '127.0.0.1', port: 0 });
}

async function startExpress(): Promise<string> {
  const validate = new Ajv({ allErrors: true }).compile(userSchema);
  const app = express();
  app.use(express.json());
  app.get('/hello', (_req, res) => void res.json({ hello: 'world' }));
  app.post('/users', (req, res) => {
    if (!validate(req.body)) return void res.status(400).json({ errors: validate.errors });
    res.json({ id: 1, name: (req.body as { name: string }).name });
  });
  return new Promise((resolve) => {
    expressServer = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(expressServer?.address() as AddressInfo).port}`));
  });
}

function load(target: keyof typeof urls, path: string, post: boolean): () => Promise<number> {
  return async () => {
    const result = await autocannon({
      url: urls[target] + path,
      connections: CONNECTIONS,
      duration: DURATION_S,
      workers: 1,
      ...(post ? { method: 'POST' as const, body: payload, headers: { 'content-type': 'application/json' } } : {}),
    });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${target} ${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return 1e9 / result.requests.average;
  };
}

export default defineBenchSuite({
  package: 'http',
  async setup() {
    urls.rampart = await startRampart();
    urls.fastify = await startFastify();
    urls.express = await startExpress();
  },
  async teardown() {
    await rampart?.close();
    await fastify?.close();
    await new Promise((resolve) => (expressServer === undefined ? resolve(undefined) : expressServer.close(resolve)));
  },
  tasks: [
    {
      name: 'http/hello-world',
      sample: load('rampart', '/hello', false),
      peers: { fastify: load('fastify', '/hello', false), 'express 5': load('express', '/hello', false) },
    },
    {
      name: 'http/validated-post',
      sample: load('rampart', '/users', true),
      peers: { fastify: load('fastify', '/users', true), 'express 5': load('express', '/users', true) },
    },
  ],
});
