import { inspect } from 'node:util';
import { ConfigError } from './errors.ts';
import type { ProvenanceRecord } from './provenance.ts';
import { redactTree } from './redact.ts';
import type { ChangeListener, ErrorListener, ReloadResult, Runtime, Snapshot } from './runtime.ts';
import { Secret } from './secret.ts';

function unknownPath(path: string, hint = ''): ConfigError {
  return new ConfigError('CONFIG_ERR_UNKNOWN_PATH', { message: `no field "${path}" in the schema${hint}`, details: { path } });
}

/**
 * A loaded, validated configuration. `value` is deeply frozen and typed from the
 * schema; secrets are {@link Secret}s; every field can be traced with `explain()`.
 * @example
 * const config = await loadConfig(schema, { feeders: [yamlFeeder('app.yaml'), envFeeder({ prefix: 'APP_' })] });
 * config.value.db.port;            // 5432
 * config.explain('db.port').source // 'app.yaml'
 */
export class Config<T> {
  readonly #runtime: Runtime;
  /** The tenant this view resolves for, or undefined for the base config. */
  readonly tenant: string | undefined;

  constructor(runtime: Runtime, tenant?: string) {
    this.#runtime = runtime;
    this.tenant = tenant;
  }

  get #snapshot(): Snapshot {
    const state = this.#runtime.state;
    return this.tenant === undefined ? state.base : (state.tenants.get(this.tenant) as Snapshot);
  }

  /** The resolved configuration (current after any applied reload). */
  get value(): T {
    return this.#snapshot.value as T;
  }

  /**
   * The value at a dotted path, for generic code (typed code reads `value`). Untyped on
   * purpose: a path-typed signature would make `Config<T>` invariant in T, so a
   * `Config<AppConfig>` could not be stored as a `Config<unknown>`.
   * @example config.get('db.port') // 5432
   */
  get(path: string): unknown {
    if (!this.#runtime.init.plan.nodes.has(path)) throw unknownPath(path);
    let current: unknown = this.value;
    let secret = false;
    for (const key of path.split('.')) {
      if (Secret.isSecret(current)) {
        current = current.reveal();
        secret = true;
      }
      // Below an absent optional object there is nothing (resolved values never hold null).
      if (current === undefined) return undefined;
      current = (current as Record<string, unknown>)[key];
    }
    // A field under a secret object stays wrapped: reaching it by path must not unwrap it.
    return secret && !Secret.isSecret(current) && current !== undefined ? new Secret(current) : current;
  }

  /**
   * Where one field's value came from: feeder, source, key, layer, and what it overrode.
   * @example config.explain('db.port') // { feeder: 'env', key: 'APP_DB__PORT', layer: 'base', ... }
   */
  explain(path: string): ProvenanceRecord {
    const record = this.#snapshot.records.get(path);
    if (record !== undefined) return record;
    const node = this.#runtime.init.plan.nodes.get(path);
    if (node?.type === 'object') {
      const fields = node.children.map((c) => c.key).join(', ');
      throw unknownPath(path, `; it is an object, explain one of its fields: ${fields}`);
    }
    throw unknownPath(path);
  }

  /**
   * Every field's provenance, in schema order; JSON-safe with secrets redacted (export it for audit).
   * @example writeFileSync('provenance.json', JSON.stringify(config.provenance(), null, 2));
   */
  provenance(): ProvenanceRecord[] {
    return [...this.#snapshot.records.values()];
  }

  /** The value as plain JSON with every secret `[redacted]`; used by `JSON.stringify(config)`. */
  toJSON(): unknown {
    return redactTree(this.value);
  }

  toString(): string {
    return `Config ${JSON.stringify(this.toJSON())}`;
  }

  [inspect.custom](depth: number, options: object): string {
    return `Config ${inspect(this.toJSON(), { ...options, depth })}`;
  }

  /**
   * Re-reads every source and applies changed dynamic fields. Rejects (and emits
   * to `onError`) when the new values are invalid; the old config stays.
   * @example const { applied, restartRequired } = await config.reload();
   */
  reload(): Promise<ReloadResult> {
    return this.#runtime.reload();
  }

  /**
   * Subscribes to reloads that found differences; returns the unsubscribe function.
   * @example const off = config.onChange((changes) => pool.resize(config.value.db.poolSize));
   */
  onChange(listener: ChangeListener): () => void {
    this.#runtime.changeListeners.add(listener);
    return () => this.#runtime.changeListeners.delete(listener);
  }

  /**
   * Subscribes to failed reloads and throwing listeners; returns the unsubscribe function.
   * @example config.onError((err) => log.error({ code: err.code }, err.message));
   */
  onError(listener: ErrorListener): () => void {
    this.#runtime.errorListeners.add(listener);
    return () => this.#runtime.errorListeners.delete(listener);
  }

  /**
   * The view of one tenant: base and instance values overridden by that tenant's layer.
   * @example loaded.forTenant('acme').value.limits.rps
   */
  forTenant(tenant: string): Config<T> {
    if (!this.#runtime.state.tenants.has(tenant)) {
      throw new ConfigError('CONFIG_ERR_UNKNOWN_TENANT', { message: `unknown tenant "${tenant}" (declare it in loadConfig options.tenants or give it a feeder)`, details: { tenant } });
    }
    return new Config<T>(this.#runtime, tenant);
  }

  /** Tenant ids known to this config. */
  tenants(): string[] {
    return [...this.#runtime.state.tenants.keys()];
  }

  /** Stops the file watcher and drops listeners; later reloads reject with CONFIG_ERR_CLOSED. */
  close(): Promise<void> {
    this.#runtime.close();
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
