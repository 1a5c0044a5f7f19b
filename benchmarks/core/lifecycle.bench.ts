/**
 * Bootstrap and context costs:
 * - bootstrap/10-modules: createApp + start() of 10 modules in a dependency
 *   chain, each providing one service that injects the previous module's
 *   (registration, validation, graph and provider checks, ordered hooks, events);
 * - tenant/context: entering a tenant context (id validation, frozen context,
 *   AsyncLocalStorage run) around a no-op, beside a bare AsyncLocalStorage run;
 * - request-scope/async-chain: an HTTP-like handler (parse a ~1 KiB JSON body,
 *   two awaited repository calls, one event-loop hop standing for I/O, two
 *   service lookups, serialize the answer) inside runInRequestScope with a
 *   request-scoped service, beside the same chain with no request scope: the
 *   ratio is the request-scope overhead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { defineBenchSuite } from '@rampart/harness';
import { createApp, defineModule, silentLogger, token } from '@rampart/core';
import type { ModuleDefinition, Token } from '@rampart/core';

const services: Token<{ n: number }>[] = Array.from({ length: 10 }, (_, i) => token<{ n: number }>(`svc${String(i)}`));

function tenModules(): ModuleDefinition[] {
  return services.map((svc, i) =>
    defineModule({
      name: `m${String(i)}`,
      version: '1.0.0',
      requires: i === 0 ? [] : [`m${String(i - 1)}`],
      providers: [
        i === 0
          ? { provide: svc, useValue: { n: 0 } }
          : { provide: svc, inject: [services[i - 1] as Token<{ n: number }>], useFactory: (prev: { n: number }) => ({ n: prev.n + 1 }) },
      ],
      start: (ctx) => void ctx.get(svc),
    }),
  );
}

const REQ = token<{ user: string }>('requestUser');
const REPO = token<{ find(): Promise<string> }>('repo');
const repo = { find: () => Promise.resolve('row') };
const app = createApp({
  logger: silentLogger,
  providers: [
    { provide: REPO, useValue: repo },
    { provide: REQ, scope: 'request', useFactory: () => ({ user: 'u1' }) },
  ],
});
const plainUser = { user: 'u1' };
const bare = new AsyncLocalStorage<object>();
const store = {};
const noop = (): undefined => undefined;

const body = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ sku: `sku-${String(i)}`, qty: i, note: 'x'.repeat(16) })) });
const ioHop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function handler(user: () => { user: string }): Promise<string> {
  const input = JSON.parse(body) as { items: { qty: number }[] };
  const first = await app.get(REPO).find();
  await ioHop();
  const second = await app.get(REPO).find();
  return JSON.stringify({ user: user().user, rows: [first, second], total: input.items.reduce((n, item) => n + item.qty, 0) });
}

export default defineBenchSuite({
  package: 'core',
  setup: () => app.start(),
  teardown: () => app.stop(),
  tasks: [
    {
      name: 'core/bootstrap/10-modules',
      fn: () => createApp({ logger: silentLogger, modules: tenModules() }).start(),
    },
    {
      name: 'core/tenant/context',
      fn: () => app.runInTenant('acme', noop),
      peers: { 'node:async_hooks AsyncLocalStorage.run': () => bare.run(store, noop) },
    },
    {
      name: 'core/request-scope/async-chain',
      fn: () => app.runInRequestScope(() => handler(() => app.get(REQ))),
      peers: { 'no request scope': () => handler(() => plainUser) },
    },
  ],
});
