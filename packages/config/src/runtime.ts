import type { Change } from './diff.ts';
import { diff, patch } from './diff.ts';
import type { ConfigIssue } from './errors.ts';
import { ConfigError, isConfigError, validationError } from './errors.ts';
import type { Feeder } from './feeders/feeder.ts';
import type { Plan } from './plan.ts';
import type { ProvenanceRecord } from './provenance.ts';
import type { Resolution } from './resolve.ts';
import { finish, resolve } from './resolve.ts';
import { loadSources } from './sources.ts';
import type { FileWatch } from './watcher.ts';

/** One resolved scope (the base config or a tenant's view). */
export interface Snapshot {
  readonly raw: unknown;
  readonly value: unknown;
  readonly records: ReadonlyMap<string, ProvenanceRecord>;
}

/** Every scope resolved at one load. */
export interface State {
  readonly base: Snapshot;
  readonly tenants: ReadonlyMap<string, Snapshot>;
}

/** What a reload did: dynamic changes applied, other changes held back until a restart. */
export interface ReloadResult {
  readonly applied: readonly Change[];
  readonly restartRequired: readonly Change[];
}

/** Called after a reload that found differences; `changes` are the applied ones. */
export type ChangeListener = (changes: readonly Change[], result: ReloadResult) => void;
/** Called when a reload fails (the old config stays) or a change listener throws. */
export type ErrorListener = (error: ConfigError) => void;

/** What the runtime needs to (re)build its state. */
export interface RuntimeInit {
  readonly plan: Plan;
  readonly feeders: readonly Feeder[];
  readonly instance: string | undefined;
  readonly tenants: readonly string[];
}

function tenantIssues(tenant: string, issues: readonly ConfigIssue[], seen: ReadonlySet<string>): ConfigIssue[] {
  return issues.filter((i) => !seen.has(i.message)).map((i) => ({ ...i, message: `tenant ${tenant}: ${i.message}` }));
}

function snapshot(resolution: Resolution): Snapshot {
  return { raw: resolution.raw, value: resolution.value, records: resolution.records };
}

/**
 * Loads every source and resolves the base scope and each tenant; throws one
 * CONFIG_ERR_VALIDATION listing every problem of every scope.
 */
export async function buildState(init: RuntimeInit): Promise<State> {
  const sources = await loadSources(init.plan, init.feeders, init.instance);
  const base = resolve(init.plan, sources.base);
  const issues = [...base.issues];
  const seen = new Set(base.issues.map((i) => i.message));
  const tenants = new Map<string, Snapshot>();
  for (const tenant of new Set([...init.tenants, ...sources.tenants])) {
    const resolution = resolve(init.plan, sources.forTenant(tenant));
    issues.push(...tenantIssues(tenant, resolution.issues, seen));
    tenants.set(tenant, snapshot(resolution));
  }
  if (issues.length > 0) throw validationError(issues);
  return { base: snapshot(base), tenants };
}

/** Holds the live state of a loaded config: reloads it, notifies listeners, owns the watcher. */
export class Runtime {
  state: State;
  readonly init: RuntimeInit;
  readonly changeListeners = new Set<ChangeListener>();
  readonly errorListeners = new Set<ErrorListener>();
  watch: FileWatch | undefined;
  closed = false;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(init: RuntimeInit, state: State) {
    this.init = init;
    this.state = state;
  }

  /** Serialized: a reload started while another runs waits for it, so changes are never computed twice. */
  reload(): Promise<ReloadResult> {
    const run = this.#queue.then(() => this.#reloadNow());
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #reloadNow(): Promise<ReloadResult> {
    if (this.closed) throw new ConfigError('CONFIG_ERR_CLOSED', { message: 'cannot reload a closed config' });
    let next: State;
    try {
      next = await buildState(this.init);
    } catch (error) {
      throw this.#fail(error);
    }
    const applied: Change[] = [];
    const restartRequired: Change[] = [];
    const base = this.#merge(this.state.base, next.base, undefined, applied, restartRequired);
    const tenants = new Map<string, Snapshot>();
    for (const [tenant, snap] of next.tenants) {
      // Tenants come from the options and the feeder list, both fixed at load: every one has an old snapshot.
      tenants.set(tenant, this.#merge(this.state.tenants.get(tenant) as Snapshot, snap, tenant, applied, restartRequired));
    }
    this.state = { base, tenants };
    const result: ReloadResult = Object.freeze({ applied: Object.freeze(applied), restartRequired: Object.freeze(restartRequired) });
    if (applied.length > 0 || restartRequired.length > 0) this.#notify(result);
    return result;
  }

  #merge(old: Snapshot, next: Snapshot, tenant: string | undefined, applied: Change[], restart: Change[]): Snapshot {
    const changes = diff(this.init.plan, old.raw, next.raw, tenant);
    const dynamic = changes.filter((c) => c.dynamic);
    restart.push(...changes.filter((c) => !c.dynamic));
    if (dynamic.length === changes.length) {
      applied.push(...dynamic);
      // Equal values may still come from another source now (a file stopped setting a field
      // that its default matches): the records follow the sources even when no value changed.
      // The old value objects stay, so references users hold remain the current config.
      return changes.length === 0 ? { ...old, records: next.records } : next;
    }
    // Mixed: keep static fields as they are, apply dynamic ones, and re-check the rules on the mix.
    const keys = new Set(dynamic.map((c) => c.path));
    const raw = patch(this.init.plan, old.raw, next.raw, keys);
    const checked = finish(this.init.plan, raw);
    if (checked.issues.length > 0) throw this.#fail(validationError(checked.issues));
    applied.push(...dynamic);
    // Every field the new state holds describes its new source; only fields held back for a
    // restart (a changed path, or any field below it) keep the record of the value they keep.
    const held = changes.filter((c) => !c.dynamic).map((c) => c.path);
    const records = new Map(next.records);
    for (const [path, record] of old.records) {
      if (held.some((h) => path === h || path.startsWith(`${h}.`))) records.set(path, record);
    }
    return { raw, value: checked.value, records };
  }

  #fail(error: unknown): ConfigError {
    // A throwing `.validate()` check is user code that escapes buildState as is: listeners still get a ConfigError.
    const failure = isConfigError(error) ? error : new ConfigError('CONFIG_ERR_FEEDER', { message: 'reload failed', cause: error });
    this.emitError(failure);
    return failure;
  }

  #notify(result: ReloadResult): void {
    for (const listener of this.changeListeners) {
      try {
        listener(result.applied, result);
      } catch (error) {
        // One failing subscriber must not stop the others, nor undo an applied reload.
        this.emitError(new ConfigError('CONFIG_ERR_LISTENER', { message: 'a config change listener threw', cause: error }));
      }
    }
  }

  emitError(error: ConfigError): void {
    if (this.errorListeners.size === 0) {
      // Nobody subscribed: a silent failure would leave operators guessing why a change did not apply.
      process.emitWarning(error.message, { code: error.code });
      return;
    }
    for (const listener of this.errorListeners) {
      try {
        listener(error);
      } catch (thrown) {
        process.emitWarning(`config error listener threw: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { code: 'CONFIG_ERR_LISTENER' });
      }
    }
  }

  close(): void {
    this.closed = true;
    this.watch?.close();
    this.watch = undefined;
    // A reload already running when close() is called finishes without telling anyone.
    this.changeListeners.clear();
    this.errorListeners.clear();
  }
}
