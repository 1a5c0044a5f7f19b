import { errorCodes } from 'fastify';
import { describe, expect, it } from 'vitest';
import { HttpError } from './errors.ts';
import { HttpException } from './exceptions.ts';
import { normalize, renderProblem } from './problem-details.ts';

const ctx = { requestId: 'r', instance: '/p', production: true, typeBase: 'urn:t:' };
const brand = Symbol.for('rampart.error');

function bodyOf(error: unknown, production = true) {
  return renderProblem(error, { ...ctx, production }).body;
}

describe('framework errors keep their status and get a stable code', () => {
  it.each([
    [new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), 413, 'HTTP_ERR_PAYLOAD_TOO_LARGE', 'Request body is too large'],
    [new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('text/xml'), 415, 'HTTP_ERR_UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type text/xml'],
    [new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), 400, 'HTTP_ERR_MALFORMED_JSON', "Body cannot be empty when content-type is set to 'application/json'"],
    [new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), 400, 'HTTP_ERR_MALFORMED_JSON', "Body is not valid JSON but content-type is set to 'application/json'"],
    [new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), 400, 'HTTP_ERR_BAD_REQUEST', 'Request body size did not match Content-Length'],
  ])('%s', (error, status, code, detail) => {
    expect(bodyOf(error)).toMatchObject({ status, code, detail });
    expect(normalize(error, true).cause).toBe(error);
  });

  it('names prototype poisoning from any parser, whatever its code', () => {
    const proto = Object.assign(new SyntaxError('Object contains forbidden prototype property'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    const ctor = Object.assign(new SyntaxError('Object contains forbidden CONSTRUCTOR property'), { statusCode: 400 });
    expect([bodyOf(proto).code, bodyOf(proto).detail]).toEqual(['HTTP_ERR_PROTO_POISONING', 'Object contains forbidden prototype property']);
    expect([bodyOf(ctor).code, bodyOf(ctor).detail]).toEqual(['HTTP_ERR_PROTO_POISONING', 'Forbidden Prototype Property']);
  });

  it('only FST_ codes may show their message; 5xx framework errors are internal', () => {
    const lib = Object.assign(new Error('pool /srv/db exhausted'), { statusCode: 409, code: 'POOL_BUSY' });
    expect(bodyOf(lib)).toMatchObject({ status: 409, code: 'HTTP_ERR_CONFLICT', detail: 'Conflict' });
    const numeric = Object.assign(new Error('x'), { statusCode: 429, code: 42 });
    expect(bodyOf(numeric)).toMatchObject({ status: 429, detail: 'Too Many Requests' });
    const server = Object.assign(new Error('upstream said no'), { statusCode: 500, code: 'FST_ERR_X' });
    expect(bodyOf(server)).toMatchObject({ status: 500, code: 'HTTP_ERR_INTERNAL', detail: 'An unexpected error occurred.' });
    expect(bodyOf(Object.assign(new Error('teapot'), { statusCode: 399 }))).toMatchObject({ status: 500, code: 'HTTP_ERR_INTERNAL' });
    expect(bodyOf(Object.assign(new Error('odd'), { statusCode: 404.5 }))).toMatchObject({ status: 500 });
    expect(bodyOf({ statusCode: 404, message: 'not an Error' })).toMatchObject({ status: 500 });
  });

  it('validation errors list their part, defaulting to body', () => {
    const issue = { keyword: 'type', instancePath: '/n', message: 'must be integer' };
    const query = Object.assign(new Error('v'), { validation: [issue], validationContext: 'querystring' });
    const unknown = Object.assign(new Error('v'), { validation: [issue], validationContext: 7 });
    expect(bodyOf(query).errors).toEqual([{ in: 'querystring', pointer: '/n', keyword: 'type', message: 'must be integer' }]);
    expect(bodyOf(unknown).errors).toEqual([{ in: 'body', pointer: '/n', keyword: 'type', message: 'must be integer' }]);
    const required = Object.assign(new Error('v'), { validation: [{ keyword: 'required', instancePath: '/a', params: { missingProperty: 7 } }] });
    expect(bodyOf(required).errors).toEqual([{ in: 'body', pointer: '/a', keyword: 'required', message: 'is invalid' }]);
  });
});

describe('branded errors from another copy', () => {
  it('a registry code keeps its registry title and category (regression: HttpError rendered the 500 reason phrase)', () => {
    const internal = new HttpError('HTTP_ERR_RESPONSE_VALIDATION', 'Response does not match its schema: / must be object');
    expect(bodyOf(internal)).toEqual({
      type: 'urn:t:HTTP_ERR_RESPONSE_VALIDATION',
      title: 'Response Validation Failed',
      status: 500,
      detail: 'An unexpected error occurred.',
      instance: '/p',
      code: 'HTTP_ERR_RESPONSE_VALIDATION',
      requestId: 'r',
    });
    expect(bodyOf(internal, false).detail).toBe('Response does not match its schema: / must be object');
    const normalized = normalize(new HttpError('HTTP_ERR_LISTEN_ABORTED', 'late'), false);
    expect([normalized.title, normalized.category, normalized.cause instanceof HttpError]).toEqual(['Listen Aborted', 'lifecycle', true]);
    const foreign = { [brand]: true, code: 'HTTP_ERR_CONFLICT', status: 409, message: 'taken', title: 'ignored: the registry names it' };
    expect(bodyOf(foreign)).toMatchObject({ title: 'Conflict', code: 'HTTP_ERR_CONFLICT', type: 'urn:t:HTTP_ERR_CONFLICT' });
  });

  it('a registry code under another status is not given the registry title', () => {
    expect(bodyOf({ [brand]: true, code: 'HTTP_ERR_NOT_FOUND', status: 410, message: 'm' })).toMatchObject({ status: 410, title: 'Gone', code: 'HTTP_ERR_NOT_FOUND' });
  });

  it("carry the copy's problem type across", () => {
    const typed = { [brand]: true, code: 'A_ERR', status: 409, message: 'm', type: 'https://example.com/problems/a' };
    expect(bodyOf(typed)).toMatchObject({ type: 'https://example.com/problems/a', code: 'A_ERR', title: 'Conflict' });
    expect(bodyOf({ [brand]: true, code: 'A_ERR', status: 409, message: 'm', type: 42 }).type).toBe('urn:t:A_ERR');
  });

  it('need the brand, a string code and a 4xx/5xx integer status', () => {
    expect(bodyOf({ [brand]: true, code: 'A_ERR', status: 418, message: 'm' })).toMatchObject({ status: 418, code: 'A_ERR', detail: 'm', title: "I'm a Teapot" });
    expect(bodyOf({ [brand]: true, code: 'A_ERR', status: 599, message: 'm' }, false)).toMatchObject({ status: 599, detail: 'm' });
    for (const fake of [
      { [brand]: 'yes', code: 'A_ERR', status: 418 },
      { [brand]: true, code: 1, status: 418 },
      { [brand]: true, code: 'A_ERR', status: 399 },
      { [brand]: true, code: 'A_ERR', status: 600 },
      { [brand]: true, code: 'A_ERR', status: 418.5 },
      { [brand]: true, code: 'A_ERR', status: '418' },
    ]) {
      expect(bodyOf(fake)).toMatchObject({ status: 500, code: 'HTTP_ERR_INTERNAL' });
    }
  });

  it('hide 5xx messages in production only and tolerate missing extensions and headers', () => {
    const fault = { [brand]: true, code: 'DB_ERR_DOWN', status: 503, message: 'host db-1 unreachable', extensions: null, headers: 'nope' };
    expect(renderProblem(fault, ctx)).toEqual({
      body: { type: 'urn:t:DB_ERR_DOWN', title: 'Service Unavailable', status: 503, detail: 'An unexpected error occurred.', instance: '/p', code: 'DB_ERR_DOWN', requestId: 'r' },
      headers: {},
      serverFault: true,
    });
    expect(bodyOf(fault, false).detail).toBe('host db-1 unreachable');
    expect(bodyOf({ ...fault, status: 499 }).detail).toBe('host db-1 unreachable');
  });
});

describe('renderProblem', () => {
  it('never lets extensions override reserved members or the prototype', () => {
    const extensions = JSON.parse('{"type":"x","title":"x","status":1,"detail":"x","instance":"x","code":"x","requestId":"x","__proto__":{"p":1},"constructor":1,"prototype":1,"ok":true}') as Record<string, unknown>;
    const body = bodyOf(new HttpException(409, 'd', { extensions }));
    expect(body).toEqual({ type: 'urn:t:HTTP_ERR_CONFLICT', title: 'Conflict', status: 409, detail: 'd', instance: '/p', code: 'HTTP_ERR_CONFLICT', requestId: 'r', ok: true });
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
  });

  it('is a server fault from 500 on', () => {
    expect([renderProblem(new HttpException(499), ctx).serverFault, renderProblem(new HttpException(500), ctx).serverFault]).toEqual([false, true]);
  });

  it('unknown errors: hidden in production, message or type name in development', () => {
    expect(bodyOf(new Error('secret path'))).toMatchObject({ status: 500, title: 'Internal Server Error', detail: 'An unexpected error occurred.' });
    expect(bodyOf(new Error('secret path'), false).detail).toBe('secret path');
    expect(bodyOf(42, false).detail).toBe('Non-error value thrown: number');
  });
});
