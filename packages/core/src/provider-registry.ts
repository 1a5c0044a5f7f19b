/**
 * Which provider a key resolves to: the registered records by key, and the
 * selection among them (explicit name > priority > registration batch >
 * ambiguity error), with typed errors for a key nothing provides. The
 * container (container.ts) extends it with resolution and instance caches.
 */
import { ambiguousProvider, missingProvider, notAKey } from './container-errors.ts';
import type { ProviderRecord } from './provider.ts';
import { formatValue } from './suggest.ts';
import type { InjectionKey } from './token.ts';
import { isInjectionKey, keyName } from './token.ts';

export class ProviderRegistry {
  readonly #byKey = new Map<InjectionKey<unknown>, ProviderRecord[]>();

  /** Adds records (already validated); call before the first resolution. */
  add(records: readonly ProviderRecord[]): void {
    for (const rec of records) {
      const list = this.#byKey.get(rec.key);
      if (list === undefined) this.#byKey.set(rec.key, [rec]);
      else list.push(rec);
    }
  }

  records(): ProviderRecord[] {
    return [...this.#byKey.values()].flat();
  }

  candidates(key: InjectionKey<unknown>): readonly ProviderRecord[] {
    return this.#byKey.get(key) ?? [];
  }

  /** The provider `key` (optionally `name`) resolves to, or a typed error. */
  select(key: InjectionKey<unknown>, name: string | undefined, requester: string): ProviderRecord {
    let list = this.#byKey.get(key) ?? [];
    // Only valid keys are ever registered, so this is the one place a lookup by `undefined` (or any non-key) gets to.
    if (list.length === 0) throw isInjectionKey(key) ? this.missing(this.keyLabel(key), requester) : notAKey(key, requester);
    if (name !== undefined) {
      const all = list;
      list = list.filter((r) => r.name === name);
      if (list.length === 0) {
        // Untyped callers may pass any name; one that is not a string is simply a name no provider has.
        const label = typeof name === 'string' ? name : formatValue(name);
        throw this.missing(`${this.keyLabel(key)} named '${label}'`, requester, all.flatMap((r) => (r.name === undefined ? [] : [r.name])), label);
      }
    }
    if (list.length === 1) return list[0] as ProviderRecord;
    const top = Math.max(...list.map((r) => r.priority));
    list = list.filter((r) => r.priority === top);
    const first = Math.min(...list.map((r) => r.batch));
    list = list.filter((r) => r.batch === first);
    if (list.length === 1) return list[0] as ProviderRecord;
    throw ambiguousProvider(this.keyLabel(key), requester, list, top);
  }

  /** Name of a registered key for messages and by-name lookup (`<anonymous class>` for a class without one). */
  keyLabel(key: InjectionKey<unknown>): string {
    return keyName(key);
  }

  /** True when `key` (with `name`, if given) has a provider: what tryGet() checks before resolving. */
  has(key: InjectionKey<unknown>, name: string | undefined): boolean {
    return this.candidates(key).some((r) => name === undefined || r.name === name);
  }

  /** CORE_ERR_MISSING_PROVIDER with close-name suggestions. */
  missing(wanted: string, requester: string, pool?: readonly string[], needle = wanted) {
    return missingProvider(wanted, requester, pool ?? [...this.#byKey.keys()].map((k) => this.keyLabel(k)), needle);
  }

  /**
   * Every provider of `key`, highest priority first, then registration order.
   * No providers is an empty list for a key, but `undefined` (a token read
   * during a circular import) is refused as select() refuses it: an empty
   * list hid the mistake.
   */
  ordered(key: InjectionKey<unknown>, requester: string): ProviderRecord[] {
    const list = this.#byKey.get(key);
    if (list === undefined) {
      if (!isInjectionKey(key)) throw notAKey(key, requester);
      return [];
    }
    return [...list].sort((a, b) => b.priority - a.priority || a.batch - b.batch);
  }

  /** Keys registered under a name (string lookup). */
  keysNamed(name: string): InjectionKey<unknown>[] {
    return [...this.#byKey.keys()].filter((k) => this.keyLabel(k) === name);
  }
}
