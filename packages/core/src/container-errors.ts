/**
 * The typed errors of service resolution, each with a message that names the
 * provider (`'cache' (redis) of module 'store'`) and says what to do. Only
 * built when a lookup fails: nothing here is on a resolution path.
 */
import { coreError } from './errors.ts';
import { isRampartError } from './rampart-error.ts';
import type { ProviderRecord } from './provider.ts';
import { closeNames, formatValue } from './suggest.ts';

/** Label of a record for messages: `cache (redis) of module 'store'`. */
export function describe(rec: ProviderRecord): string {
  const name = rec.name === undefined ? '' : ` (${rec.name})`;
  const owner = rec.module === undefined ? 'the application' : `module '${rec.module}'`;
  return `'${rec.keyName}'${name} of ${owner}`;
}

export function cycle(rec: ProviderRecord) {
  return coreError('CORE_ERR_PROVIDER_CYCLE', `Service ${describe(rec)} was requested while it was being created (a factory resolves it, directly or not)`, { details: { chain: [rec.keyName, rec.keyName] } });
}

/** What a factory of `rec` threw, as CORE_ERR_PROVIDER_FAILED; a dependency's failure (already of that code) goes on as it is. */
export function providerFailed(rec: ProviderRecord, error: unknown) {
  if (isRampartError(error) && error.code === 'CORE_ERR_PROVIDER_FAILED') return error;
  return coreError('CORE_ERR_PROVIDER_FAILED', `Creating service ${describe(rec)} failed`, { cause: error, details: { service: rec.keyName, module: rec.module } });
}

/** CORE_ERR_MISSING_PROVIDER for a lookup by something that is no key at all: nothing can provide it. */
export function notAKey(key: unknown, requester: string) {
  const shown = formatValue(key);
  return coreError(
    'CORE_ERR_MISSING_PROVIDER',
    `${requester} asked for ${shown}, which is not a token or a class. A token that is undefined where it is used was usually read during a circular import, before the module declaring it finished loading: move it to a module outside the cycle.`,
    { details: { token: shown, requester, suggestions: [] } },
  );
}

/** CORE_ERR_MISSING_PROVIDER with close-name suggestions: `needle` is looked for among `known`. */
export function missingProvider(wanted: string, requester: string, known: readonly string[], needle: string) {
  // Keys match by identity: when another key carries the very name asked for,
  // this is a second token of that name (token('db') made twice), not a typo,
  // and suggesting the name asked for would contradict the message.
  const twin = known.includes(needle) ? ` Another token or class is also named '${needle}': keys are told apart by identity, not by name, so this is a different one (was the token made twice?).` : '';
  const suggestions = closeNames(needle, known.filter((k) => k !== needle));
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
  return coreError('CORE_ERR_MISSING_PROVIDER', `${requester} asked for '${wanted}', which no module provides.${twin}${hint}`, {
    details: { token: wanted, requester, suggestions },
  });
}

/** CORE_ERR_AMBIGUOUS_PROVIDER for providers of `token` that tie on priority `top` and registration. */
export function ambiguousProvider(token: string, requester: string, tied: readonly ProviderRecord[], top: number) {
  const candidates = tied.map(describe);
  return coreError(
    'CORE_ERR_AMBIGUOUS_PROVIDER',
    `${requester} asked for '${token}' and ${String(tied.length)} providers tie (priority ${String(top)}, same registration): ${candidates.join(', ')}. Give one a higher priority, or ask by name.`,
    { details: { token, requester, candidates } },
  );
}

/** CORE_ERR_AMBIGUOUS_PROVIDER for a lookup by string name that several tokens carry; `candidates` lists each token's providers. */
export function ambiguousName(name: string, requester: string, candidates: readonly string[]) {
  return coreError('CORE_ERR_AMBIGUOUS_PROVIDER', `${requester} asked for '${name}' by name and ${String(candidates.length)} different tokens carry that name: ${candidates.join('; ')}; ask by token`, {
    details: { token: name, requester, candidates },
  });
}

export function noRequestScope(rec: ProviderRecord) {
  return coreError('CORE_ERR_NO_REQUEST_SCOPE', `Service ${describe(rec)} is request-scoped; resolve it inside app.runInRequestScope()`, { details: { service: rec.keyName } });
}

export function tenantRequired(rec: ProviderRecord) {
  return coreError('CORE_ERR_TENANT_REQUIRED', `Service ${describe(rec)} is tenant-scoped and no tenant context is active (strict tenancy); wrap the call in app.runInTenant(id, fn)`, {
    details: { service: rec.keyName },
  });
}
