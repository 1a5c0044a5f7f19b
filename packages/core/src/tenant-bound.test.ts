import { describe, expect, it } from 'vitest';
import type { ProviderRecord } from './provider.ts';
import type { Scope } from './scope.ts';
import { tenantBoundRecords } from './tenant-bound.ts';

/** Just enough of a record for the closure: its name (for failure output) and scope. */
function rec(keyName: string, scope: Scope): ProviderRecord {
  return { keyName, scope } as ProviderRecord;
}

function names(set: ReadonlySet<ProviderRecord>): string[] {
  return [...set].map((r) => r.keyName);
}

describe('tenantBoundRecords', () => {
  it('marks exactly the request-scoped records whose inject closure reaches a tenant-scoped one, through any scope', () => {
    const tenant = rec('tenant', 'tenant');
    const transient = rec('transient', 'transient');
    const app = rec('app', 'app');
    const direct = rec('direct', 'request');
    const viaTransient = rec('viaTransient', 'request');
    const viaRequest = rec('viaRequest', 'request');
    const free = rec('free', 'request');
    const onlyApp = rec('onlyApp', 'request');
    const graph = new Map<ProviderRecord, ProviderRecord[]>([
      [tenant, []],
      [transient, [tenant]],
      [app, []],
      [direct, [tenant]],
      [viaTransient, [transient]],
      [viaRequest, [free, viaTransient]],
      [free, []],
      [onlyApp, [app, free]],
    ]);
    expect(names(tenantBoundRecords(graph))).toEqual(['direct', 'viaTransient', 'viaRequest']);
  });

  it('marks nothing in a graph without tenant-scoped providers', () => {
    const a = rec('a', 'request');
    const b = rec('b', 'transient');
    expect(tenantBoundRecords(new Map([[a, [b]], [b, []]])).size).toBe(0);
  });
});
