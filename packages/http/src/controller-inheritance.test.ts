import { describe, expect, it } from 'vitest';
import { Controller, Get, Post, UseGuards, controllerOf } from './decorators.ts';
import { createHttpServer } from './http-server.ts';
import type { Guard } from './types.ts';

/**
 * Regression (audit 2026-12-07): a subclass overriding a route method with its own
 * route decorator kept the parent's route as well. The same path twice made
 * createHttpServer() throw HTTP_ERR_DUPLICATE_ROUTE; another path left the parent's
 * path served by the override too. NestJS users expect the override to redeclare it.
 */
describe('overriding a decorated route method in a subclass', () => {
  const guard: Guard = () => true;

  @Controller('/items')
  class Base {
    @Get('/')
    @UseGuards(guard)
    list(): unknown {
      return ['base'];
    }

    @Post('/')
    create(): unknown {
      return { from: 'base' };
    }
  }

  class SamePath extends Base {
    @Get('/')
    override list(): unknown {
      return ['sub'];
    }
  }

  class OtherPath extends Base {
    @Get('/all')
    override list(): unknown {
      return ['all'];
    }
  }

  it('the override redeclares the route: one route, on its own path, keeping the parent method guards', () => {
    expect(controllerOf(SamePath)?.routes.map((r) => [r.method, r.path, r.handler, r.guards])).toEqual([
      ['GET', '/', 'list', [guard]],
      ['POST', '/', 'create', []],
    ]);
    expect(controllerOf(OtherPath)?.routes.map((r) => [r.method, r.path])).toEqual([
      ['GET', '/all'],
      ['POST', '/'],
    ]);
    // The parent keeps its own routes.
    expect(controllerOf(Base)?.routes.map((r) => [r.method, r.path])).toEqual([
      ['GET', '/'],
      ['POST', '/'],
    ]);
  });

  it('a server with the subclass starts and answers with the override', async () => {
    const server = createHttpServer({ logger: false, controllers: [SamePath] });
    try {
      const res = await server.app.inject('/items');
      expect([res.statusCode, res.json()]).toEqual([200, ['sub']]);
    } finally {
      await server.close();
    }
  });
});
