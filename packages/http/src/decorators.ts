/**
 * TC39 standard decorators (no reflect-metadata, no experimentalDecorators).
 * Every decorator only records data in the class's decorator metadata; the
 * definition is assembled lazily by `controllerOf`, so the order in which
 * class decorators are written does not matter.
 */
import { HttpError } from './errors.ts';
import { mergeOptions, normalizePath } from './define.ts';
import type { ErrorClass, FilterDefinition } from './define.ts';
import type {
  ControllerDefinition,
  ControllerOptions,
  DeprecationSpec,
  FilterLike,
  Guard,
  Handler,
  Hooks,
  HttpMethod,
  Interceptor,
  RouteDefinition,
  RouteOptions,
  RouteOptionsBase,
  RouteSchema,
  VersionSpec,
} from './types.ts';

// Node 24 does not define Symbol.metadata yet; without it TypeScript's
// lowering passes `undefined` as context.metadata. The TS 5.2 release notes
// recommend exactly this polyfill; Symbol.for keeps two copies in agreement.
const SYMBOL = Symbol as { metadata?: symbol };
// Stryker disable next-line StringLiteral: the key only has to agree between copies; within one copy any key is equivalent
SYMBOL.metadata ??= Symbol.for('Symbol.metadata');
const METADATA: symbol = SYMBOL.metadata;

// Stryker disable next-line StringLiteral: the key only has to agree between copies; within one copy any key is equivalent
const KEY = Symbol.for('rampart.http.metadata');

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Extras = Mutable<RouteOptionsBase>;

interface MethodMeta {
  routes: { method: HttpMethod; path: string; options: RouteOptions }[];
  extras: Extras;
  /** True while the routes are the parent class's (copied, not yet redeclared here). */
  inherited?: boolean;
}

interface ClassMeta {
  controller?: ControllerOptions & { path: string };
  extras: Extras;
  methods: Map<string | symbol, MethodMeta>;
}

function metaOf(metadata: DecoratorMetadataObject | undefined): ClassMeta {
  /* v8 ignore next 4 -- only reachable if another library removes the Symbol.metadata polyfill */
  // Stryker disable next-line all: cannot run here: the polyfill above always defines Symbol.metadata
  if (metadata === undefined) {
    throw new HttpError('HTTP_ERR_INVALID_CONTROLLER', 'Decorator metadata unavailable: Symbol.metadata is not defined');
  }
  const record = metadata as Record<symbol, ClassMeta | undefined>;
  // Stryker disable next-line ConditionalExpression: false only re-copies the class's own metadata each time (same content)
  if (Object.hasOwn(record, KEY)) return record[KEY] as ClassMeta;
  // Inherited metadata: copy the parent's so a subclass never mutates it.
  const parent = record[KEY];
  const own: ClassMeta = {
    ...(parent?.controller === undefined ? {} : { controller: parent.controller }),
    extras: { ...parent?.extras },
    methods: new Map([...(parent?.methods ?? [])].map(([k, m]) => [k, { routes: [...m.routes], extras: { ...m.extras }, inherited: true }])),
  };
  record[KEY] = own;
  return own;
}

function methodMeta(meta: ClassMeta, name: string | symbol): MethodMeta {
  let entry = meta.methods.get(name);
  if (entry === undefined) {
    entry = { routes: [], extras: {} };
    meta.methods.set(name, entry);
  }
  return entry;
}

type AnyContext = ClassDecoratorContext | ClassMethodDecoratorContext;

/** Applies `update` to the class extras or the method extras, depending on the target. */
function onExtras(update: (extras: Extras) => void) {
  return (_value: unknown, context: AnyContext): void => {
    const meta = metaOf(context.metadata);
    update(context.kind === 'class' ? meta.extras : methodMeta(meta, context.name).extras);
  };
}

/**
 * Marks a class as a controller mounted at `path`.
 * @example
 * @Controller('/users', { version: '2' })
 * class Users { @Get('/:id') find(ctx: RouteContext) { return { id: ctx.params.id }; } }
 */
export function Controller(path: string | ControllerOptions = '/', options: ControllerOptions = {}) {
  return (_value: abstract new (...args: never[]) => object, context: ClassDecoratorContext): void => {
    const init = typeof path === 'string' ? { ...options, path } : path;
    metaOf(context.metadata).controller = { ...init, path: normalizePath(init.path ?? '/') };
  };
}

function routeDecorator(method: HttpMethod) {
  return <const S extends RouteSchema = RouteSchema>(path: string = '/', options: RouteOptions<S> = {}) =>
    (_value: Handler<S>, context: ClassMethodDecoratorContext): void => {
      const entry = methodMeta(metaOf(context.metadata), context.name);
      // An override that declares its own routes replaces the parent's (as in NestJS): keeping
      // both registered the parent's paths too, and the same path twice was HTTP_ERR_DUPLICATE_ROUTE.
      // Guards, hooks and other options of the parent method are kept.
      if (entry.inherited === true) {
        entry.routes = [];
        entry.inherited = false;
      }
      entry.routes.push({ method, path: normalizePath(path), options });
    };
}

/** `GET` route. @example @Get('/:id') find(ctx: RouteContext) { ... } */
export const Get = routeDecorator('GET');
/** `POST` route (201 by default). @example @Post('/', { schema }) create(ctx: RouteContext<typeof schema>) { ... } */
export const Post = routeDecorator('POST');
/** `PUT` route. @example @Put('/:id') replace(ctx: RouteContext) { ... } */
export const Put = routeDecorator('PUT');
/** `PATCH` route. @example @Patch('/:id') update(ctx: RouteContext) { ... } */
export const Patch = routeDecorator('PATCH');
/** `DELETE` route. @example @Delete('/:id', { status: 204 }) remove(ctx: RouteContext) { ... } */
export const Delete = routeDecorator('DELETE');
/** `HEAD` route. @example @Head('/') probe() { return undefined; } */
export const Head = routeDecorator('HEAD');
/** `OPTIONS` route. @example @Options('/') describe() { return { methods: ['GET'] }; } */
export const Options = routeDecorator('OPTIONS');

/**
 * API version(s) of a controller or route (overrides the controller's).
 * @example
 * @Version(['1', '2']) @Get('/') list() { return []; }
 */
export function Version(version: VersionSpec) {
  return onExtras((extras) => {
    extras.version = version;
  });
}

/**
 * Guards run in order global → controller → route; any `false` answers 403.
 * @example
 * @UseGuards((ctx) => ctx.headers['x-api-key'] === key) @Get('/admin') admin() { ... }
 */
export function UseGuards(...guards: Guard[]) {
  return onExtras((extras) => {
    extras.guards = [...(extras.guards ?? []), ...guards];
  });
}

/**
 * Interceptors wrap the handler: global outermost, route innermost.
 * @example
 * @UseInterceptors(async (_ctx, next) => ({ data: await next() })) @Get('/') list() { ... }
 */
export function UseInterceptors(...interceptors: Interceptor[]) {
  return onExtras((extras) => {
    extras.interceptors = [...(extras.interceptors ?? []), ...interceptors];
  });
}

/**
 * Exception filters; a route filter wins over a controller filter, which wins over a global one.
 * @example
 * @UseFilters(ConflictFilter) @Post('/') create() { ... }
 */
export function UseFilters(...filters: FilterLike[]) {
  return onExtras((extras) => {
    extras.filters = [...(extras.filters ?? []), ...filters];
  });
}

/**
 * Hooks per phase for a controller or a route.
 * @example
 * @UseHooks({ onRequest: [(ctx) => ctx.log.info('hit')] }) @Get('/') list() { ... }
 */
export function UseHooks(hooks: Hooks) {
  return onExtras((extras) => {
    const prev = extras.hooks ?? {};
    extras.hooks = {
      onRequest: [...(prev.onRequest ?? []), ...(hooks.onRequest ?? [])],
      preHandler: [...(prev.preHandler ?? []), ...(hooks.preHandler ?? [])],
      onResponse: [...(prev.onResponse ?? []), ...(hooks.onResponse ?? [])],
    };
  });
}

/**
 * Marks a controller or route deprecated (RFC 9745) with an optional sunset (RFC 8594).
 * @example
 * @Deprecated({ since: new Date('2025-01-01'), sunset: new Date('2026-01-01'), link: 'https://example.com/migrate' })
 */
export function Deprecated(spec: DeprecationSpec) {
  return onExtras((extras) => {
    extras.deprecated = spec;
  });
}

const CATCH = new WeakMap<object, readonly ErrorClass[]>();

/**
 * Declares which error classes an exception filter class handles (none = all).
 * @example
 * @Catch(UniqueViolation)
 * class ConflictFilter implements ExceptionFilter { catch() { return new ConflictException('taken'); } }
 */
export function Catch(...types: ErrorClass[]) {
  return (value: abstract new () => object, _context: ClassDecoratorContext): void => {
    CATCH.set(value, types);
  };
}

/** Error classes declared by `@Catch` on a filter class, or `undefined`. */
export function caughtBy(filterClass: object): readonly ErrorClass[] | undefined {
  return CATCH.get(filterClass);
}

/** Reads a `FilterDefinition` out of anything accepted as a filter; `HTTP_ERR_INVALID_CONTROLLER` when it has no `catch()`. */
export function toFilter(filter: FilterLike): FilterDefinition {
  if (typeof filter === 'function') {
    const instance = new filter();
    return { types: caughtBy(filter) ?? [], catch: catchOf(instance, filter.name) };
  }
  const declared = (filter as Partial<FilterDefinition>).types ?? caughtBy(filter.constructor) ?? [];
  return { types: declared, catch: catchOf(filter, filter.constructor.name) };
}

// Filters come from untyped code too (JavaScript, `as any`): a missing catch() is named
// at startup instead of surfacing as "Cannot read properties of undefined (reading 'bind')".
function catchOf(filter: { catch?: unknown }, name: string): FilterDefinition['catch'] {
  const method = filter.catch;
  if (typeof method !== 'function') throw new HttpError('HTTP_ERR_INVALID_CONTROLLER', `Exception filter ${name || '(anonymous)'} has no catch() method`);
  return (method as FilterDefinition['catch']).bind(filter);
}

/**
 * The controller definition of a decorated class, or `undefined` if it has no `@Controller`.
 * @example
 * controllerOf(Users)?.routes.length;
 */
export function controllerOf(target: abstract new (...args: never[]) => object): ControllerDefinition | undefined {
  const metadata = (target as unknown as Record<symbol, Record<symbol, ClassMeta | undefined> | null | undefined>)[METADATA];
  const meta = metadata?.[KEY];
  if (meta?.controller === undefined) return undefined;
  const routes: RouteDefinition[] = [];
  for (const [name, method] of meta.methods) {
    for (const route of method.routes) {
      routes.push({ ...route.options, ...mergeOptions(route.options, method.extras), method: route.method, path: route.path, handler: name });
    }
  }
  const { path, ...options } = meta.controller;
  return { ...options, ...mergeOptions(options, meta.extras), path, routes, target: target as ControllerDefinition['target'] };
}
