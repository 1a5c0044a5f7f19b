import { isDeepStrictEqual } from 'node:util';
import type { LeafNode, ObjectNode, Plan } from './plan.ts';
import { Secret } from './secret.ts';

/** One field whose resolved value differs between two loads. */
export interface Change {
  /** Dotted field path. */
  readonly path: string;
  /** Old value; a {@link Secret} for a secret field, so printing a change never leaks it. */
  readonly previous: unknown;
  /** New value; a {@link Secret} for a secret field. */
  readonly next: unknown;
  /**
   * Whether the change is applied at runtime: true for a `.dynamic()` field, unless an
   * optional section around it appears or disappears and that section is not dynamic
   * itself. Others are reported as restart-required.
   */
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
 * Applying a dynamic leaf alone is safe only while the optional sections around it stay
 * present or absent: from a section that appeared it would bring that one leaf without
 * the section's other (required) fields, and after a section disappeared it would leave
 * a half-empty one. So such a change waits for a restart, like the section itself, unless
 * the section is dynamic: then every field in it is, and it is applied whole.
 */
function sectionToggled(plan: Plan, leaf: LeafNode, before: unknown, after: unknown): boolean {
  for (let depth = 1; depth < leaf.path.length; depth += 1) {
    const path = leaf.path.slice(0, depth);
    if ((plan.nodes.get(path.join('.')) as ObjectNode).dynamic) return false;
    if ((rawAt(before, path) === undefined) !== (rawAt(after, path) === undefined)) return true;
  }
  return false;
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
    const dynamic = leaf.dynamic && !sectionToggled(plan, leaf, before, after);
    changes.push(Object.freeze({ path: leaf.key, previous: shown(leaf, previous), next: shown(leaf, next), dynamic, tenant }));
  }
  return changes;
}

function cloneTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneTree);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneTree(v)]));
}

function patchLeaf(out: Record<string, unknown>, after: unknown, path: readonly string[]): void {
  let target = out;
  for (let depth = 1; depth < path.length; depth += 1) {
    const segment = path[depth - 1] as string;
    // A section gone from `after` goes whole (diff applies such a leaf only when the section is dynamic).
    if (rawAt(after, path.slice(0, depth)) === undefined) {
      target[segment] = undefined;
      return;
    }
    if (typeof target[segment] !== 'object' || target[segment] === null) target[segment] = {};
    target = target[segment] as Record<string, unknown>;
  }
  target[path[path.length - 1] as string] = cloneTree(rawAt(after, path));
}

/**
 * `before` with the given leaves taken from `after`: the config that applying
 * only the dynamic changes produces. A section that `after` lacks is removed
 * rather than left holding undefined leaves.
 * @example patch(plan, { a: 1, b: 1 }, { a: 2, b: 2 }, ['a']) // { a: 2, b: 1 }
 */
export function patch(plan: Plan, before: unknown, after: unknown, keys: ReadonlySet<string>): unknown {
  const out = cloneTree(before) as Record<string, unknown>;
  for (const leaf of plan.leaves) {
    if (keys.has(leaf.key)) patchLeaf(out, after, leaf.path);
  }
  return out;
}
