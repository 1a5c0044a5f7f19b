import { describe, expect, it } from 'vitest';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { createJsonLogger } from '@rampart/core';
import { createHttpServer } from './http-server.ts';
import { defineController, defineRoute } from './define.ts';
import { SerializingLogController } from './request-log.ts';

function captured() {
  const lines: Record<string, unknown>[] = [];
  const logger = createJsonLogger({ level: 'trace', write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { lines, logger: logger as unknown as FastifyBaseLogger };
}

const routes = [
  defineRoute({ method: 'GET', path: '/hello', handler: () => ({ hello: 'world' }) }),
  defineRoute({ method: 'GET', path: '/boom', handler: () => { throw new Error('disk on fire'); } }),
];

describe('request log lines with a logger instance', () => {
  it("logs Fastify's request lines with small serialized req/res, not the raw objects (core's JSON logger threw on them)", async () => {
    const { lines, logger } = captured();
    const server = createHttpServer({ controllers: [defineController({ routes })], logger });
    const response = await server.app.inject({ method: 'GET', url: '/hello?x=1', headers: { 'x-request-id': 'log-1' } });
    expect(response.statusCode).toBe(200);
    const incoming = lines.find((line) => line['msg'] === 'incoming request');
    expect(incoming).toMatchObject({ level: 30, requestId: 'log-1' });
    // Exactly these fields (inject() has no remote port, which JSON then leaves out).
    expect(incoming?.['req']).toEqual({ method: 'GET', url: '/hello?x=1', host: 'localhost:80', remoteAddress: '127.0.0.1' });
    const completed = lines.find((line) => line['msg'] === 'request completed');
    expect(completed).toMatchObject({ level: 30, requestId: 'log-1', res: { statusCode: 200 } });
    expect(completed?.['responseTime']).toEqual(expect.any(Number));
    await server.close();
  });

  it('a failing handler still logs cleanly: the error with its request id, then the 500 completion', async () => {
    const { lines, logger } = captured();
    const server = createHttpServer({ controllers: [defineController({ routes })], logger, production: true });
    const response = await server.app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'log-2' } });
    expect(response.statusCode).toBe(500);
    expect(lines.find((line) => line['msg'] === 'request failed')).toMatchObject({ level: 50, requestId: 'log-2', err: { name: 'Error', message: 'disk on fire' } });
    expect(lines.find((line) => line['msg'] === 'request completed')).toMatchObject({ requestId: 'log-2', res: { statusCode: 500 } });
    await server.close();
  });
});

describe('SerializingLogController', () => {
  function subject(disabled = false) {
    const calls: [string, Record<string, unknown>, string][] = [];
    const at = (level: string) => (obj: Record<string, unknown>, msg: string) => void calls.push([level, obj, msg]);
    const log = { info: at('info'), warn: at('warn'), error: at('error') };
    const request = { method: 'POST', url: '/u', host: 'api.test', ip: '10.0.0.1', socket: { remotePort: 4242 }, log } as unknown as FastifyRequest;
    const reply = (statusCode: number) => ({ statusCode, elapsedTime: 1.5, log }) as unknown as FastifyReply;
    return { calls, request, reply, controller: new SerializingLogController({ disableRequestLogging: disabled }) };
  }
  const req = { method: 'POST', url: '/u', host: 'api.test', remoteAddress: '10.0.0.1', remotePort: 4242 };

  it('keeps the levels and messages of each Fastify line, with serialized req/res', () => {
    const { calls, request, reply, controller } = subject();
    const failure = new Error('bad');
    controller.incomingRequest(request);
    controller.requestCompleted(failure, request, reply(500));
    controller.requestCompleted(null, request, reply(201));
    controller.defaultErrorLog(failure, request, reply(503));
    controller.defaultErrorLog(failure, request, reply(404));
    controller.streamError(Object.assign(new Error('closed'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }), request, reply(200));
    controller.streamError(new Error('reset'), request, reply(200));
    controller.writeHeadError(failure, request, reply(500));
    expect(calls).toEqual([
      ['info', { req }, 'incoming request'],
      ['error', { res: { statusCode: 500 }, err: failure, responseTime: 1.5 }, 'request errored'],
      ['info', { res: { statusCode: 201 }, responseTime: 1.5 }, 'request completed'],
      ['error', { req, res: { statusCode: 503 }, err: failure }, 'bad'],
      ['info', { res: { statusCode: 404 }, err: failure }, 'bad'],
      ['info', { res: { statusCode: 200 } }, 'stream closed prematurely'],
      ['warn', { err: expect.objectContaining({ message: 'reset' }) }, 'response terminated with an error with headers already sent'],
      ['warn', { req, res: { statusCode: 500 }, err: failure }, 'bad'],
    ]);
  });

  it('writes nothing when request logging is disabled', () => {
    const { calls, request, reply, controller } = subject(true);
    const failure = new Error('bad');
    controller.incomingRequest(request);
    controller.requestCompleted(null, request, reply(200));
    controller.defaultErrorLog(failure, request, reply(500));
    controller.streamError(failure, request, reply(200));
    controller.writeHeadError(failure, request, reply(500));
    expect(calls).toEqual([]);
  });
});
