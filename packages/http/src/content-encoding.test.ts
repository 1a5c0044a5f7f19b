import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { refuseEncodedBody } from './content-encoding.ts';
import { defineController, defineRoute } from './define.ts';
import { createHttpServer } from './http-server.ts';

const routes = defineController({ routes: [defineRoute({ method: 'POST', path: '/echo', handler: (ctx) => ({ got: ctx.body }) })] });
const make = () => createHttpServer({ logger: false, readinessPath: false, openapi: false, controllers: [routes] });

describe('compressed JSON request bodies', () => {
  // Was: 400 HTTP_ERR_MALFORMED_JSON ("Body is not valid JSON"), blaming the client's JSON for an encoding we don't inflate.
  it.each([
    ['application/json', 'gzip', JSON.stringify({ a: 1 })],
    ['application/json; charset=utf-8', 'GZIP', JSON.stringify({ a: 1 })],
    ['application/json', 'identity, gzip', JSON.stringify({ a: 1 })],
  ])('a %s body with Content-Encoding %s answers 415 naming the coding, with Accept-Encoding: identity', async (type, coding, text) => {
    const s = make();
    const res = await s.app.inject({ method: 'POST', url: '/echo', payload: gzipSync(text), headers: { 'content-type': type, 'content-encoding': coding, 'x-request-id': 'gz' } });
    expect(res.statusCode).toBe(415);
    expect(res.headers['accept-encoding']).toBe('identity');
    expect(res.json()).toEqual({
      type: 'urn:rampart:problem:HTTP_ERR_UNSUPPORTED_MEDIA_TYPE',
      title: 'Unsupported Media Type',
      status: 415,
      detail: 'Content-Encoding gzip is not supported: send the body uncompressed',
      instance: '/echo',
      code: 'HTTP_ERR_UNSUPPORTED_MEDIA_TYPE',
      requestId: 'gz',
    });
    await s.close();
  });

  it('a JSON body marked identity (or with an empty Content-Encoding) is parsed as before', async () => {
    const s = make();
    for (const coding of ['identity', ' Identity ', '']) {
      const res = await s.app.inject({ method: 'POST', url: '/echo', payload: '{"a":1}', headers: { 'content-type': 'application/json', 'content-encoding': coding } });
      expect([res.statusCode, res.json()]).toEqual([201, { got: { a: 1 } }]);
    }
    const bad = await s.app.inject({ method: 'POST', url: '/echo', payload: '{"a":', headers: { 'content-type': 'application/json' } });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'HTTP_ERR_MALFORMED_JSON']);
    await s.close();
  });

  it('a text/plain parser of your own refuses a compressed body alike with refuseEncodedBody', async () => {
    const s = make();
    s.app.addContentTypeParser('text/plain', { parseAs: 'string' }, (request, text, done) => {
      try {
        refuseEncodedBody(request.headers);
      } catch (error) {
        done(error as Error, undefined);
        return;
      }
      done(null, text);
    });
    const gz = await s.app.inject({ method: 'POST', url: '/echo', payload: gzipSync('hi'), headers: { 'content-type': 'text/plain', 'content-encoding': 'br' } });
    expect([gz.statusCode, gz.json().code, gz.headers['accept-encoding']]).toEqual([415, 'HTTP_ERR_UNSUPPORTED_MEDIA_TYPE', 'identity']);
    const plain = await s.app.inject({ method: 'POST', url: '/echo', payload: 'hi', headers: { 'content-type': 'text/plain' } });
    expect([plain.statusCode, plain.json()]).toEqual([201, { got: 'hi' }]);
    await s.close();
  });
});

describe('refuseEncodedBody', () => {
  it.each([[{}], [{ 'content-encoding': '' }], [{ 'content-encoding': 'identity' }], [{ 'content-encoding': ' IDENTITY , ' }]])('accepts %j', (headers) => {
    expect(() => refuseEncodedBody(headers)).not.toThrow();
  });

  it.each([
    ['br', 'br'],
    ['deflate, gzip', 'deflate, gzip'],
    ['identity,zstd', 'zstd'],
  ])('refuses %s, naming %s', (coding, named) => {
    expect(() => refuseEncodedBody({ 'content-encoding': coding })).toThrow(
      expect.objectContaining({ status: 415, code: 'HTTP_ERR_UNSUPPORTED_MEDIA_TYPE', message: `Content-Encoding ${named} is not supported: send the body uncompressed`, headers: { 'accept-encoding': 'identity' } }),
    );
  });
});
