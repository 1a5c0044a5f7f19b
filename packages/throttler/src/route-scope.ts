/**
 * Which route quota a request spends. A quota belongs to the route a handler
 * serves, not to the request method: HEAD is answered by the GET handler
 * (RFC 9110 §9.3.2; Fastify registers a HEAD route per GET route that runs
 * the GET handler), so HEAD spends GET's quota, and a route registered for
 * several methods with one handler has one quota. Counted per method, each
 * extra method would be a fresh quota for the same work.
 */

/** The method a request is counted as: HEAD counts as GET. */
export function countedMethod(method: string | undefined): string {
  return method === 'HEAD' ? 'GET' : (method ?? '');
}

/**
 * The methods part of a route quota's name: the route's own methods when the
 * framework reports them (`routeMethods`), each counted as `countedMethod`,
 * without duplicates, sorted, joined by `,`; else the request's counted method.
 * @example
 * routeMethodsOf({ method: 'HEAD' }); // 'GET'
 * routeMethodsOf({ method: 'PUT', routeMethods: ['PUT', 'GET', 'HEAD'] }); // 'GET,PUT'
 */
export function routeMethodsOf(req: { readonly method?: string; readonly routeMethods?: readonly string[] }): string {
  const own = req.routeMethods;
  if (own === undefined || own.length === 0) return countedMethod(req.method);
  // Stryker disable next-line ConditionalExpression: performance-only fast path (one method: no Set, no sort), same result
  if (own.length === 1) return countedMethod(own[0]);
  return [...new Set(own.map(countedMethod))].sort().join(',');
}
