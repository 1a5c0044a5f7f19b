/**
 * Bootstrap and context costs:
 * - bootstrap/10-modules: createApp + start() of 10 modules in a dependency
 *   chain, each providing one service that injects the previous module's
 *   (registration, validation, graph and provider checks, ordered hooks, events);
 * - tenant/context: entering a tenant context (id validation, frozen context,
 *   AsyncLocalStorage run) around a no-op, beside a bare AsyncLocalStorage run;
 * - request-scope/async-chain: the overhead of a request scope on an
 *   HTTP-like handler, measured side by side with the same handler and no
 *   scope. The handler does what a small JSON endpoint does after the socket:
 *   builds a lower-cased header map from Node's flat rawHeaders (8 headers),
 *   checks the content type, parses a ~1 KiB JSON body (20 items), awaits
 *   three service calls that settle on microtasks (token check, two
 *   repository reads) and one setImmediate hop standing for real I/O, looks up
 *   three app-scoped services and the request's user, and serializes the answer
 *   with its response headers. With the scope, it runs inside
 *   runInRequestScope({ requestId }) as @rampart/http calls it, and the user
 *   is a request-scoped service built once per request; without, a constant
 *   object. task / "no request scope" is the request-scope overhead (goal: at
 *   most 1.05); task / "bare AsyncLocalStorage.run" is what the scope costs
 *   beyond Node's own context propagation, which any request scope pays (the
 *   same handler run inside a bare AsyncLocalStorage.run with a constant user).
 *   All three start where a request callback starts: in an empty async
 *   context, entered through an async resource (see requestCallback).
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
const REPO = token<{ find(id: string): Promise<string> }>('repo');
const AUTH = token<{ verify(header: string | undefined): Promise<boolean> }>('auth');
const repo = { find: (id: string) => Promise.resolve(`row-${id}`) };
const auth = { verify: (header: string | undefined) => Promise.resolve(header === 'Bearer t0k3n') };
const app = createApp({
  logger: silentLogger,
  providers: [
    { provide: REPO, useValue: repo },
    { provide: AUTH, useValue: auth },
    { provide: REQ, scope: 'request', useFactory: () => ({ user: 'u1' }) },
  ],
});
const plainUser = { user: 'u1' };
// Where a request callback starts. Node enters it through the HTTP parser's
// async resource, in a context where no AsyncLocalStorage holds a value: the
// frame is empty when @rampart/http enters the request scope (checked with
// --expose-internals' AsyncContextFrame.current()). The bench loop is not
// there: after the first AsyncLocalStorage.run, Node 24 puts back a frame that
// holds the storage (with undefined), every later await carries it, and every
// later run copies it. So each variant runs through this snapshot, taken at
// load, before any run: an empty context entered through an async resource, as
// Node does it. Measured here in 20 one-task runs of each version: the scope
// cost 1.105x no scope without the snapshot, 1.087x with it. One variant per
// process (at 09eda12, 30 processes each, medians of per-round ratios): 1.06x
// in 100 ms windows, 1.05x in 300 ms, 1.044x [1.040-1.050] in 1 s windows,
// with bare AsyncLocalStorage.run at 1.031x: short windows also time the JIT
// warming up the scope's extra code, which a server pays once.
const requestCallback = AsyncLocalStorage.snapshot();
const bare = new AsyncLocalStorage<object>();
const store = {};
const noop = (): undefined => undefined;

const body = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ sku: `sku-${String(i)}`, qty: i, note: 'x'.repeat(16) })) });
// What Node's HTTP parser hands over: [name, value, name, value, ...] as sent.
const rawHeaders = [
  'Host', 'api.example.test', 'User-Agent', 'bench/1.0', 'Accept', 'application/json', 'Accept-Encoding', 'gzip, br',
  'Content-Type', 'application/json', 'Content-Length', String(body.length), 'X-Request-Id', 'req-1', 'Authorization', 'Bearer t0k3n',
];
const ioHop = () => new Promise<void>((resolve) => setImmediate(resolve));

function headerMap(raw: readonly string[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (let i = 0; i < raw.length; i += 2) headers.set((raw[i] as string).toLowerCase(), raw[i + 1] as string);
  return headers;
}

interface Reply { status: number; headers: Record<string, string>; payload: string }

async function handler(user: () => { user: string }): Promise<Reply> {
  const headers = headerMap(rawHeaders);
  if (headers.get('content-type') !== 'application/json') return { status: 415, headers: {}, payload: '' };
  const input = JSON.parse(body) as { items: { sku: string; qty: number }[] };
  if (!(await app.get(AUTH).verify(headers.get('authorization')))) return { status: 401, headers: {}, payload: '' };
  const first = await app.get(REPO).find(input.items[0]?.sku ?? '');
  await ioHop();
  const second = await app.get(REPO).find(input.items[1]?.sku ?? '');
  const payload = JSON.stringify({ user: user().user, rows: [first, second], total: input.items.reduce((n, item) => n + item.qty, 0) });
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(payload.length), 'x-request-id': headers.get('x-request-id') ?? '' }, payload };
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
      fn: () => requestCallback(() => app.runInRequestScope(() => handler(() => app.get(REQ)), { requestId: 'req-1' })),
      peers: {
        'no request scope': () => requestCallback(() => handler(() => plainUser)),
        'bare AsyncLocalStorage.run': () => requestCallback(() => bare.run(store, () => handler(() => plainUser))),
      },
    },
  ],
});
