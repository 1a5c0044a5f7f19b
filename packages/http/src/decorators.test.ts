import { describe, expect, it } from 'vitest';
import {
  Catch,
  Controller,
  controllerOf,
  Delete,
  Deprecated,
  Get,
  Head,
  Options,
  Patch,
  Post,
  Put,
  toFilter,
  UseFilters,
  UseGuards,
  UseHooks,
  UseInterceptors,
  Version,
} from './decorators.ts';
import { defineFilter } from './define.ts';
import { createHttpServer } from './http-server.ts';
import type { ExceptionFilter, FilterContext, FilterLike, Guard, Hook, Interceptor } from './types.ts';

const since = new Date('2029-01-01T00:00:00Z');

describe('route decorators', () => {
  it('record one route per decorator with its method and a normalized path (default /)', () => {
    @Controller()
    class Every {
      @Get()
      @Post('made')
      a() {}
      @Put('/put/')
      b() {}
      @Patch('/patch')
      c() {}
      @Delete('/delete')
      d() {}
      @Head('/head')
      e() {}
      @Options('/options')
      f() {}
    }
    const def = controllerOf(Every);
    expect(def?.path).toBe('/');
    expect(def?.routes.map((r) => [r.method, r.path, r.handler])).toEqual([
      ['POST', '/made', 'a'],
      ['GET', '/', 'a'],
      ['PUT', '/put', 'b'],
      ['PATCH', '/patch', 'c'],
      ['DELETE', '/delete', 'd'],
      ['HEAD', '/head', 'e'],
      ['OPTIONS', '/options', 'f'],
    ]);
  });

  it('a controller options object without a path mounts at /', () => {
    @Controller({ version: '2', tags: ['t'] })
    class Versioned {
      @Get('/x')
      x() {}
    }
    expect(controllerOf(Versioned)).toMatchObject({ path: '/', version: '2', tags: ['t'] });
  });
});

describe('stacked decorators', () => {
  it('concatenate guards, interceptors, filters and hooks per phase in source order', () => {
    const g1: Guard = () => true;
    const g2: Guard = () => true;
    const i1: Interceptor = (_c, next) => next();
    const i2: Interceptor = (_c, next) => next();
    const f1 = { catch: () => undefined };
    const f2 = { catch: () => undefined };
    const h1: Hook = () => undefined;
    const h2: Hook = () => undefined;
    const h3: Hook = () => undefined;
    @Controller('/s')
    class Stacked {
      @Get('/')
      @UseGuards(g1)
      @UseGuards(g2)
      @UseInterceptors(i1)
      @UseInterceptors(i2)
      @UseFilters(f1)
      @UseFilters(f2)
      @UseHooks({ onRequest: [h1] })
      @UseHooks({ preHandler: [h2], onResponse: [h3] })
      @UseHooks({ onRequest: [h2] })
      @Version('3')
      @Deprecated({ since })
      m() {}
    }
    const [route] = controllerOf(Stacked)?.routes ?? [];
    // Method decorators apply bottom-up: the last one written is the first recorded.
    expect(route).toMatchObject({
      guards: [g2, g1],
      interceptors: [i2, i1],
      filters: [f2, f1],
      hooks: { onRequest: [h2, h1], preHandler: [h2], onResponse: [h3] },
      version: '3',
      deprecated: { since },
    });
  });
});

describe('inheritance', () => {
  it('a subclass without @Controller inherits the controller, class options and method routes, and adds its own', () => {
    const guard: Guard = () => true;
    @Controller('/base', { tags: ['b'] })
    @UseGuards(guard)
    class Base {
      @Get('/one')
      @Version('1')
      one() {}
    }
    class Sub extends Base {
      @Get('/two')
      two() {}
    }
    const sub = controllerOf(Sub);
    expect([sub?.path, sub?.tags, sub?.guards]).toEqual(['/base', ['b'], [guard]]);
    expect(sub?.routes.map((r) => [r.method, r.path, r.version, r.tags])).toEqual([
      ['GET', '/one', '1', []],
      ['GET', '/two', undefined, []],
    ]);
    expect(controllerOf(Base)?.routes.map((r) => r.path)).toEqual(['/one']);
  });
});

describe('exception filter classes', () => {
  class Oops extends Error {}

  it('a class without @Catch catches everything; @Catch lists its classes', () => {
    class Anything implements ExceptionFilter {
      catch(error: unknown) {
        return error;
      }
    }
    @Catch(Oops, TypeError)
    class Narrow implements ExceptionFilter {
      catch() {
        return 'narrow';
      }
    }
    expect(toFilter(Anything).types).toEqual([]);
    expect(toFilter(Narrow).types).toEqual([Oops, TypeError]);
    expect(toFilter(new Narrow()).types).toEqual([Oops, TypeError]);
    expect(toFilter(new Anything()).types).toEqual([]);
  });

  it('a filter without catch() is HTTP_ERR_INVALID_CONTROLLER naming it (regression: a raw TypeError)', () => {
    class NoCatch {}
    expect(() => toFilter(NoCatch as unknown as FilterLike)).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_CONTROLLER', message: 'Exception filter NoCatch has no catch() method' }));
    expect(() => toFilter({ catch: 'nope' } as unknown as FilterLike)).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_CONTROLLER', message: 'Exception filter Object has no catch() method' }));
    expect(() => toFilter((class {}) as unknown as FilterLike)).toThrow(expect.objectContaining({ message: 'Exception filter (anonymous) has no catch() method' }));
    expect(() => createHttpServer({ logger: false, filters: [NoCatch as unknown as FilterLike] })).toThrow(expect.objectContaining({ code: 'HTTP_ERR_INVALID_CONTROLLER' }));
  });

  it('binds catch to its instance and prefers declared types on plain objects', () => {
    class Counting implements ExceptionFilter {
      seen = 0;
      catch() {
        this.seen += 1;
        return this.seen;
      }
    }
    const filter = toFilter(Counting);
    expect([filter.catch(new Error('a'), {} as FilterContext), filter.catch(new Error('b'), {} as FilterContext)]).toEqual([1, 2]);
    const plain = toFilter(defineFilter([Oops], () => 'p'));
    expect(plain.types).toEqual([Oops]);
  });
});
