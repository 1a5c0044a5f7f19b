import { describe, expect, it } from 'vitest';
import { defineController, defineRoute } from './define.ts';
import { createHttpServer } from './http-server.ts';
import { parseJsonBody } from './json-parser.ts';

const echo = defineController({ routes: [defineRoute({ method: 'POST', path: '/echo', handler: (ctx) => ({ got: ctx.body }) })] });

async function post(payload: string, contentType = 'application/json') {
  const server = createHttpServer({ logger: false, controllers: [echo] });
  const res = await server.app.inject({ method: 'POST', url: '/echo', payload, headers: { 'content-type': contentType } });
  await server.close();
  return [res.statusCode, res.json<{ code?: string; detail?: string; got?: unknown }>()] as const;
}

describe('JSON bodies', () => {
  it('parses JSON, also with a charset parameter', async () => {
    expect(await post('{"a":[1,"x"]}')).toEqual([201, { got: { a: [1, 'x'] } }]);
    expect(await post('[true]', 'application/json; charset=utf-8')).toEqual([201, { got: [true] }]);
  });

  it.each([
    ['', 'HTTP_ERR_MALFORMED_JSON', 'Body cannot be empty when content-type is application/json'],
    ['{"a":', 'HTTP_ERR_MALFORMED_JSON', 'Body is not valid JSON'],
    ['{"__proto__":{"admin":true}}', 'HTTP_ERR_PROTO_POISONING', 'Body contains a forbidden prototype property'],
    ['{"constructor":{"prototype":{"admin":true}}}', 'HTTP_ERR_PROTO_POISONING', 'Body contains a forbidden prototype property'],
  ])('%j answers 400 %s', async (payload, code, detail) => {
    const [status, body] = await post(payload);
    expect([status, body.code, body.detail]).toEqual([400, code, detail]);
  });

  it('keeps the parser failure as the cause', () => {
    expect(() => parseJsonBody('nope')).toThrow(expect.objectContaining({ cause: expect.any(SyntaxError) }));
    expect(() => parseJsonBody('')).toThrow(expect.objectContaining({ status: 400, code: 'HTTP_ERR_MALFORMED_JSON' }));
  });
});
