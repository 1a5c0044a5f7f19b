import { describe, expect, it } from 'vitest';
import { compileRoutes } from './compile-routes.ts';
import { Controller, Get } from './decorators.ts';
import { defineController, defineFilter, defineRoute } from './define.ts';
import { resolveOptions } from './options.ts';
import type { HttpServerOptions } from './options.ts';
import { VERSION_NEUTRAL } from './types.ts';

const since = new Date('2029-01-01T00:00:00Z');
const handler = () => 'x';

function compile(options: HttpServerOptions) {
  return compileRoutes(resolveOptions(options));
}

describe('compileRoutes', () => {
  it('defaults the status to 201 for POST and 200 otherwise; an explicit status wins', () => {
    const routes = compile({
      controllers: [
        defineController({
          routes: [
            defineRoute({ method: 'POST', path: '/a', handler }),
            defineRoute({ method: 'PUT', path: '/a', handler }),
            defineRoute({ method: 'POST', path: '/b', status: 202, handler }),
          ],
        }),
      ],
    });
    expect(routes.map((r) => [r.method, r.url, r.status, r.version, r.constraint, r.deprecation])).toEqual([
      ['POST', '/a', 201, undefined, undefined, undefined],
      ['PUT', '/a', 200, undefined, undefined, undefined],
      ['POST', '/b', 202, undefined, undefined, undefined],
    ]);
  });

  it('URI versioning prefixes the path (custom prefix), header versioning uses a constraint instead', () => {
    const users = defineController({ path: '/users', version: ['1', '2'], routes: [defineRoute({ method: 'GET', handler })] });
    expect(compile({ controllers: [users], versioning: { type: 'uri', prefix: 'api-' } }).map((r) => [r.url, r.version, r.constraint])).toEqual([
      ['/api-1/users', '1', undefined],
      ['/api-2/users', '2', undefined],
    ]);
    expect(compile({ controllers: [users], versioning: { type: 'header' } }).map((r) => [r.url, r.version, r.constraint])).toEqual([
      ['/users', '1', '1'],
      ['/users', '2', '2'],
    ]);
  });

  it('route version wins over the controller version, which wins over defaultVersion; neutral and unversioned stay unprefixed', () => {
    const c = defineController({
      path: '/c',
      version: '2',
      routes: [defineRoute({ method: 'GET', path: '/own', version: '3', handler }), defineRoute({ method: 'GET', path: '/inherit', handler }), defineRoute({ method: 'GET', path: '/n', version: VERSION_NEUTRAL, handler })],
    });
    const plain = defineController({ path: '/p', routes: [defineRoute({ method: 'GET', handler })] });
    expect(compile({ controllers: [c, plain], versioning: { type: 'uri', defaultVersion: '1' } }).map((r) => r.url)).toEqual(['/v3/c/own', '/v2/c/inherit', '/c/n', '/v1/p']);
    expect(compile({ controllers: [plain], versioning: { type: 'uri' } }).map((r) => [r.url, r.version])).toEqual([['/p', undefined]]);
    expect(compile({ controllers: [defineController({ routes: [defineRoute({ method: 'GET', version: VERSION_NEUTRAL, handler })] })] }).map((r) => r.url)).toEqual(['/']);
  });

  it('deprecation: route, then controller, then the version entry of the versioning options', () => {
    const routeDep = { since, link: 'https://r' };
    const ctrlDep = { since, link: 'https://c' };
    const c = defineController({
      path: '/d',
      version: ['1', '2'],
      routes: [defineRoute({ method: 'GET', path: '/r', deprecated: routeDep, handler }), defineRoute({ method: 'GET', path: '/v', handler })],
    });
    const withCtrl = defineController({ path: '/e', version: '2', deprecated: ctrlDep, routes: [defineRoute({ method: 'GET', handler })] });
    const routes = compile({ controllers: [c, withCtrl], versioning: { type: 'uri', versions: { '1': { deprecated: { since, link: 'https://v1' } } } } });
    expect(routes.map((r) => [r.url, r.deprecation?.link])).toEqual([
      ['/v1/d/r', 'https://r'],
      ['/v2/d/r', 'https://r'],
      ['/v1/d/v', 'https://v1'],
      ['/v2/d/v', undefined],
      ['/v2/e', 'https://c'],
    ]);
  });

  it('merges guards, interceptors and hooks global → controller → route, filters route → controller', () => {
    const [g0, g1, g2] = [() => true, () => true, () => true];
    const [f1, f2] = [defineFilter([], () => 1), defineFilter([], () => 2)];
    const [h0, h1, h2] = [() => undefined, () => undefined, () => undefined];
    const c = defineController({
      guards: [g1],
      interceptors: [(_c, next) => next()],
      filters: [f1],
      hooks: { onRequest: [h1], preHandler: [h1], onResponse: [h1] },
      tags: ['ctrl'],
      routes: [defineRoute({ method: 'GET', guards: [g2], filters: [f2], hooks: { onRequest: [h2], preHandler: [h2], onResponse: [h2] }, tags: ['route'], summary: 's', description: 'd', operationId: 'op', handler })],
    });
    const [route] = compile({ controllers: [c], guards: [g0], hooks: { onRequest: [h0], preHandler: [h0], onResponse: [h0] } });
    expect(route?.guards).toEqual([g0, g1, g2]);
    expect(route?.interceptors).toHaveLength(1);
    expect(route?.filters.map((f) => f.catch(new Error('e'), {} as never))).toEqual([2, 1]);
    expect([route?.onRequest, route?.preHandler, route?.onResponse]).toEqual([
      [h0, h1, h2],
      [h0, h1, h2],
      [h0, h1, h2],
    ]);
    expect(route?.doc).toEqual({ summary: 's', description: 'd', operationId: 'op', tags: ['ctrl', 'route'] });
  });

  it('binds decorated handlers to one instance per controller, made by instantiate', () => {
    const made: unknown[] = [];
    @Controller('/i')
    class Counter {
      n = 0;
      @Get('/a')
      a() {
        return (this.n += 1);
      }
      @Get('/b')
      b() {
        return (this.n += 10);
      }
    }
    const routes = compile({ controllers: [Counter], instantiate: (T) => (made.push(T), new T()) });
    expect(made).toEqual([Counter]);
    const ctx = {} as never;
    expect([routes[0]?.handler(ctx), routes[1]?.handler(ctx)]).toEqual([1, 11]);
  });

  it('allows the same path for different versions, refuses a repeat within one version', () => {
    const a = defineRoute({ method: 'GET', version: '1', handler });
    const b = defineRoute({ method: 'GET', version: '2', handler });
    expect(compile({ controllers: [defineController({ routes: [a, b] })], versioning: { type: 'header' } })).toHaveLength(2);
    expect(() => compile({ controllers: [defineController({ routes: [a, a] })], versioning: { type: 'header' } })).toThrow('Route declared twice: GET / 1');
    expect(() => compile({ controllers: [defineController({ routes: [a, a] })], versioning: { type: 'uri' } })).toThrow('Route declared twice: GET /v1 *');
  });

  it('refuses routes that differ only in parameter names (the router cannot hold both)', () => {
    const routes = [defineRoute({ method: 'GET', path: '/a/:id', handler }), defineRoute({ method: 'GET', path: '/a/:name', handler })];
    expect(() => compile({ controllers: [defineController({ routes })] })).toThrow(
      expect.objectContaining({ code: 'HTTP_ERR_DUPLICATE_ROUTE', message: 'Route declared twice: GET /a/:name * (as /a/:id: parameter names do not tell routes apart)' }),
    );
    const distinct = [defineRoute({ method: 'GET', path: '/a/:id', handler }), defineRoute({ method: 'GET', path: '/a/:id/b_2', handler }), defineRoute({ method: 'PUT', path: '/a/:name', handler })];
    expect(compile({ controllers: [defineController({ routes: distinct })] })).toHaveLength(3);
  });

  it('names the controller class when a decorated handler is missing', () => {
    class Holder {}
    const def = { ...defineController({ routes: [{ method: 'GET' as const, path: '/', handler: 'gone' }] }), target: Holder };
    expect(() => compile({ controllers: [def] })).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_CONTROLLER', message: 'Holder.gone is not a method' }));
    const versioned = defineController({ routes: [defineRoute({ method: 'GET', path: '/x', version: '1', handler })] });
    expect(() => compile({ controllers: [versioned] })).toThrow(
      expect.objectContaining({ code: 'HTTP_ERR_INVALID_CONTROLLER', message: 'GET /x declares a version but versioning is not configured' }),
    );
  });
});
