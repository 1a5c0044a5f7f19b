import { isDeepStrictEqual } from 'node:util';
import type { LeafNode, Plan } from './plan.ts';
import { Secret } from './secret.ts';

/** One field whose resolved value differs between two loads. */
export interface Change {
  /** Dotted field path. */
  readonly path: string;
  /** Old value; a {@link Secret} for a secret field, so printing a change never leaks it. */
  readonly previous: unknown;
  /** New value; a {@link Secret} for a secret field. */
  readonly next: unknown;
  /** Dynamic fields are applied; others are reported as restart-required. */
  readonly dynamic: boolean;
  /** The tenant whose view changed, or undefined for the base config. */
  readonly tenant: string | undefined;
}

/** Reads a leaf from a raw value tree (no secrets wrapped yet). */
export function rawAt(raw: unknown, path: readonly string[]): unknown {
  let current = raw;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function shown(leaf: LeafNode, value: unknown): unknown {
  if (value === undefined) return undefined;
  return leaf.redacted ? new Secret(value) : value;
}

/**
 * The leaves whose raw values differ between two resolutions, in schema order.
 * @example diff(plan, { port: 1 }, { port: 2 }, undefined) // [{ path: 'port', previous: 1, next: 2, ... }]
 */
export function diff(plan: Plan, before: unknown, after: unknown, tenant: string | undefined): Change[] {
  const changes: Change[] = [];
  for (const leaf of plan.leaves) {
    const previous = rawAt(before, leaf.path);
    const next = rawAt(after, leaf.path);
    if (isDeepStrictEqual(previous, next)) continue;
    changes.push(Object.freeze({ path: leaf.key, previous: shown(leaf, previous), next: shown(leaf, next), dynamic: leaf.dynamic, tenant }));
  }
  return changes;
}

function cloneTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneTree);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneTree(v)]));
}

/**
 * `before` with the given leaves taken from `after`: the config that applying
 * only the dynamic changes produces.
 * @example patch(plan, { a: 1, b: 1 }, { a: 2, b: 2 }, ['a']) // { a: 2, b: 1 }
 */
export function patch(plan: Plan, before: unknown, after: unknown, keys: ReadonlySet<string>): unknown {
  const out = cloneTree(before) as Record<string, unknown>;
  for (const leaf of plan.leaves) {
    if (!keys.has(leaf.key)) continue;
    let target = out;
    for (const segment of leaf.path.slice(0, -1)) {
      if (typeof target[segment] !== 'object' || target[segment] === null) target[segment] = {};
      target = target[segment] as Record<string, unknown>;
    }
    target[leaf.path[leaf.path.length - 1] as string] = cloneTree(rawAt(after, leaf.path));
  }
  return out;
}
