/**
 * RFC 9110 §15.5.6: a request whose path names a resource that exists, but
 * not for its method, is answered 405 with an `Allow` header listing the
 * methods the resource does support; only a path nobody serves is a 404.
 * Fastify sends both to the not-found handler, so the handler asks the router
 * again, once per method, with the request's own API version.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { instanceOf } from './error-handler.ts';
import { MethodNotAllowedException, NotFoundException } from './exceptions.ts';
import type { HttpException } from './exceptions.ts';
import { VERSION_CONSTRAINT, versionConstraint } from './versioning.ts';
import type { VersioningOptions } from './versioning.ts';

// find-my-way answers a parameter longer than `maxParamLength` with a stand-in
// handle (Fastify's 414) for any method; only a real route carries `searchParams`.
type Lookup = { searchParams?: unknown } | null;

/**
 * Builds the function that lists the methods the router serves for a request's
 * path and API version (router constraint of header, media-type and custom versioning).
 * @example
 * const allowed = allowedMethods(app, { type: 'header' });
 * allowed(request); // ['GET', 'HEAD'] for `POST /users` when only GET /users exists
 */
export function allowedMethods(app: FastifyInstance, versioning: VersioningOptions | undefined): (request: FastifyRequest) => string[] {
  // Debug, not warn: the router derived the version of this request first and
  // already reported the same failure (see fastifyOptions in http-server.ts).
  const report = (error: unknown): void => app.log.debug({ err: error }, 'versioning extract() threw again while listing allowed methods');
  const strategy = versioning === undefined || versioning.type === 'uri' ? undefined : versionConstraint(versioning, report);
  return (request) => {
    const url = instanceOf(request);
    const constraints = strategy === undefined ? undefined : { [VERSION_CONSTRAINT]: strategy.deriveConstraint(request.raw) };
    return app.supportedMethods.filter((method) => {
      const found = app.findRoute({ method, url, constraints }) as Lookup;
      return found !== null && found.searchParams !== undefined;
    });
  };
}

/**
 * The exception for a request no route answered: 405 with `Allow` when the path
 * exists for other methods, else 404.
 * @example
 * sendProblem(request, reply, unmatched(request, allowedMethods(app, undefined)(request)), settings);
 */
export function unmatched(request: FastifyRequest, allowed: readonly string[]): HttpException {
  const path = instanceOf(request);
  // The request's own method being routable means a handler called `reply.callNotFound()`.
  if (allowed.length === 0 || allowed.includes(request.method)) return new NotFoundException(`No route for ${request.method} ${path}`);
  return new MethodNotAllowedException(`${request.method} is not allowed for ${path}`, { headers: { allow: allowed.join(', ') } });
}
