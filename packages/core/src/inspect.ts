/**
 * `app.inspect()` (FR-037): a plain, JSON-safe snapshot of modules, their
 * states and dependencies, services with scope and provider, start order.
 */
import type { ModuleRuntime, ModuleState } from './lifecycle.ts';
import type { ProviderRecord } from './provider.ts';
import type { Scope } from './scope.ts';
import { keyName } from './token.ts';

export interface ModuleInspection {
  readonly name: string;
  readonly version: string;
  readonly state: ModuleState;
  readonly requires: readonly string[];
  readonly optionalRequires: readonly string[];
  readonly optional: boolean;
  readonly hooks: readonly string[];
}

export interface ServiceInspection {
  readonly token: string;
  readonly name: string | undefined;
  readonly scope: Scope;
  readonly priority: number;
  readonly kind: 'value' | 'factory' | 'class';
  /** Module that provides it; `undefined` for app-level and built-in services. */
  readonly module: string | undefined;
  readonly inject: readonly string[];
}

export interface AppInspection {
  readonly id: string;
  readonly state: string;
  /** Empty until `start()` has planned the order. */
  readonly startOrder: readonly string[];
  readonly modules: readonly ModuleInspection[];
  readonly services: readonly ServiceInspection[];
}

const HOOK_NAMES = ['init', 'start', 'stop', 'health', 'reload'] as const;

export function inspectApp(id: string, state: string, order: readonly string[], modules: readonly ModuleRuntime[], records: readonly ProviderRecord[]): AppInspection {
  return {
    id,
    state,
    startOrder: [...order],
    modules: modules.map(({ definition: d, state: s }) => ({
      name: d.name,
      version: d.version,
      state: s,
      requires: [...(d.requires ?? [])],
      optionalRequires: [...(d.optionalRequires ?? [])],
      optional: d.optional === true,
      hooks: HOOK_NAMES.filter((h) => typeof d[h] === 'function'),
    })),
    services: records.map((r) => ({
      token: r.keyName,
      name: r.name,
      scope: r.scope,
      priority: r.priority,
      kind: r.kind,
      module: r.module,
      // keyName(), as for `token`: an anonymous class read '' here and '<anonymous class>' there.
      inject: r.deps.map((d) => keyName(d.token)),
    })),
  };
}
