import { describe, expect, it } from 'vitest';
import { HttpException, MethodNotAllowedException, statusTitle, ValidationException } from './exceptions.ts';

describe('HttpException', () => {
  it('accepts integer statuses 400..599 only', () => {
    expect([new HttpException(400).status, new HttpException(599).status]).toEqual([400, 599]);
    for (const status of [399, 600, 400.5, Number.NaN]) {
      expect(() => new HttpException(status)).toThrow(
        expect.objectContaining({ name: 'HttpError', code: 'HTTP_ERR_INVALID_OPTIONS', message: `HttpException status must be an integer in 400..599, got ${String(status)}` }),
      );
    }
  });

  it('without a registry code: client code and category below 500, internal from 500', () => {
    const client = new HttpException(499, 'nope');
    const server = new HttpException(500, 'broke');
    expect([client.code, client.category, client.title, client.message]).toEqual(['HTTP_ERR_BAD_REQUEST', 'client', 'Client Error', 'nope']);
    expect([server.code, server.category, server.title]).toEqual(['HTTP_ERR_INTERNAL', 'internal', 'Internal Server Error']);
    expect([client.extensions, client.headers, client.type, client.cause]).toEqual([{}, {}, undefined, undefined]);
  });

  it('a custom code replaces the class code but keeps its title and category', () => {
    const cause = new Error('c');
    const e = new MethodNotAllowedException('read only', { code: 'DOCS_ERR_READ_ONLY', headers: { allow: 'GET' }, extensions: { doc: 1 }, type: 'https://e/x', cause });
    expect([e.code, e.status, e.title, e.category, e.headers, e.extensions, e.type, e.cause]).toEqual([
      'DOCS_ERR_READ_ONLY',
      405,
      'Method Not Allowed',
      'client',
      { allow: 'GET' },
      { doc: 1 },
      'https://e/x',
      cause,
    ]);
  });

  it('titles come from the RFC 9110 reason phrases, with a class fallback', () => {
    expect([statusTitle(400), statusTitle(503), statusTitle(499), statusTitle(598)]).toEqual(['Bad Request', 'Service Unavailable', 'Client Error', 'Server Error']);
  });
});

describe('ValidationException', () => {
  it('counts fields in the detail and carries them as the errors member, beside other extensions', () => {
    const field = { in: 'body', pointer: '/a', keyword: 'type', message: 'must be string' };
    const none = new ValidationException([]);
    const two = new ValidationException([field, field], { extensions: { hint: 'x' } });
    expect([none.message, none.errors, none.extensions]).toEqual(['0 invalid fields', [], { errors: [] }]);
    expect([two.message, two.code, two.status, two.title, two.category, two.extensions]).toEqual([
      '2 invalid fields',
      'HTTP_ERR_VALIDATION',
      400,
      'Validation Failed',
      'validation',
      { hint: 'x', errors: [field, field] },
    ]);
  });
});
